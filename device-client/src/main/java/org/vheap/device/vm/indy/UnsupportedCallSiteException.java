package org.vheap.device.vm.indy;

/**
 * An {@code invokedynamic} call site that {@link CallSiteSynthesizer} cannot turn into a class: an unknown
 * bootstrap method, or a known one with arguments it does not handle. The message names the bootstrap.
 */
public final class UnsupportedCallSiteException extends RuntimeException {
    public UnsupportedCallSiteException(String message) {
        super(message);
    }
}
