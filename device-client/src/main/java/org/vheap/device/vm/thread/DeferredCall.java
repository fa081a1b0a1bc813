package org.vheap.device.vm.thread;

import org.vheap.device.vm.loader.VmMethod;

/**
 * A Java call a native asked for: run after the native returns, before the caller's next instruction.
 *
 * @param method   the method to run
 * @param args     its argument slots (receiver first)
 * @param onReturn what to do with the result: {@link VmThread#RETURN_DISCARD}, or
 *                 {@link VmThread#RETURN_REPLACE} to make it the value the native returned
 */
public record DeferredCall(VmMethod method, long[] args, int onReturn) {
}
