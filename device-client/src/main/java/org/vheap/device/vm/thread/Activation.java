package org.vheap.device.vm.thread;

import org.vheap.device.vm.loader.VmMethod;

/**
 * One activation of a method on a green thread: what the design notes call a Java frame (a word the VM keeps for
 * the cache table's memory frames). Activations live in VM structures, not on the host stack. Locals start at
 * {@link #bp} in the thread's slot array; the operand stack follows them. Long and double take two slots, as in
 * the JVM, with the value in the lower one.
 */
public final class Activation {
    public VmMethod method;
    /** The prepared code (interp.MethodCode); null for a native method's activation. */
    public Object code;
    public int pc;
    public int sp;
    public int bp;
    /** The object locked on entry to a synchronized method, or 0. */
    public int lockedMonitor;
    /** What the thread does when this activation returns (see {@link VmThread}'s continuation kinds). */
    public int onReturn;
    /**
     * The activation's pc is already past a native call whose effects are not over (the thread blocked in it, or it
     * left activations to run first): an exception arriving now belongs to the call, 3 slots back, for handler ranges
     * and stack traces. Cleared when the activation runs again.
     */
    public boolean afterCall;

    /** The pc of the instruction an exception arriving now belongs to. */
    public int faultPc() {
        return afterCall ? pc - 3 : pc;
    }
}
