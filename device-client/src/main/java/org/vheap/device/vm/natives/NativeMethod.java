package org.vheap.device.vm.natives;

import org.vheap.device.vm.thread.VmThread;

/**
 * A substitution for a native (or intrinsic) method. Arguments are in {@code slots[base ..]} (the receiver
 * first for an instance method; long and double take two slots). The result is returned raw: an int, a
 * reference or float bits in the low 32 bits, a long or double bits in all 64; ignored for void.
 *
 * <p>A native must not run Java code on the host stack. To run Java code it asks the thread for deferred
 * calls ({@link VmThread#defer}), which run right after it returns, before the caller's next instruction;
 * to block it sets the thread's state (the scheduler resumes it after the call).
 */
@FunctionalInterface
public interface NativeMethod {
    long invoke(VmThread thread, long[] slots, int base);
}
