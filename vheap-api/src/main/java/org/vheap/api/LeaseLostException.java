package org.vheap.api;

/** The lease no longer holds: released, or the app moved to a device without the resource. */
public class LeaseLostException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LeaseLostException(String message) {
        super(message);
    }
}
