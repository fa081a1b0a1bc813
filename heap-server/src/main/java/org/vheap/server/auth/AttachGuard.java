package org.vheap.server.auth;

/**
 * Who may attach as a device on one {@code DeviceControl.Attach} stream: made by {@link AccessPolicy#attachGuard()}
 * when the stream starts (from the call's token), asked when the stream's Register names the device.
 */
@FunctionalInterface
public interface AttachGuard {
    /**
     * Throws (a {@code StatusRuntimeException}: UNAUTHENTICATED or PERMISSION_DENIED, with a message) unless the
     * stream's credential may attach as {@code device}.
     */
    void checkDevice(String device);
}
