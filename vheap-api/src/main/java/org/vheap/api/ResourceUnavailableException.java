package org.vheap.api;

/** The device has no such resource, or another app holds it exclusively. */
public class ResourceUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ResourceUnavailableException(String message) {
        super(message);
    }
}
