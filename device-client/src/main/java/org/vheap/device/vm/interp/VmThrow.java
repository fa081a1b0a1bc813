package org.vheap.device.vm.interp;

/** A Java exception object (a heap reference) being thrown in the interpreter. */
public final class VmThrow extends RuntimeException {
    public final int exception;

    public VmThrow(int exception) {
        super(null, null, false, false);
        this.exception = exception;
    }
}
