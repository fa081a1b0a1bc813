package org.vheap.device;

/**
 * The device could not run an app: the store was unreachable after bounded retries, another device holds or
 * took the heap's lease, or the app's heap is not one this command may start. The message says what happened
 * and, where it can, what to do.
 */
public final class DeviceException extends RuntimeException {
    public DeviceException(String message) {
        super(message);
    }

    public DeviceException(String message, Throwable cause) {
        super(message, cause);
    }
}
