/**
 * Green threads: every {@code java.lang.Thread} of an app is a {@link org.vheap.device.vm.thread.VmThread}, and all
 * of them run on the VM's one interpreter host thread, so nothing here needs host synchronization and a thread's
 * whole state is plain data a checkpoint can save.
 *
 * <h2>A thread</h2>
 * A {@link org.vheap.device.vm.thread.VmThread} holds its stack of {@link org.vheap.device.vm.thread.Activation}s
 * (method, pc, sp, locals base, the monitor a synchronized method took, the continuation that says what its return
 * does) over one slot array shared by their locals and operand stacks, its scheduling state
 * ({@link org.vheap.device.vm.thread.ThreadState}) and what it is blocked in, and the work a native asked for
 * ({@link org.vheap.device.vm.thread.DeferredCall}s and class initializations, pushed as activations right after the
 * native returns: no Java code runs on the host stack). Its Java state follows HotSpot's: {@code Thread.start0}
 * makes the green thread with an activation of {@code run()}; a thread whose activations run out goes through
 * {@code dispatchUncaughtException} and {@code exit()} as activations before it terminates and wakes its joiners
 * ({@code VmLauncher}); {@code Thread.getState} is computed from the green thread's state
 * ({@link org.vheap.device.vm.thread.VmThread#javaStatus}).
 *
 * <h2>Scheduling and safepoints</h2>
 * The {@link org.vheap.device.vm.thread.Scheduler} picks runnable threads round-robin (of sleepers woken at once, the one
 * due first); the interpreter runs the
 * one picked for a quantum (calls and backward branches) or until it blocks or yields. Between two quanta every
 * thread stands between instructions with its activations saved: that is the safepoint, where the launcher
 * collects garbage and the device checkpoints or suspends. When no thread can run the host sleeps until the earliest
 * timed wake-up (at most 20 ms, so safepoints keep coming); when none ever will (every live thread waits without a
 * timeout) the app is deadlocked, and the launcher says so and stops it with status 1. The clock is the VM's,
 * passed in.
 *
 * <h2>Monitors, wait and notify</h2>
 * Monitors (JVMS 2.11.10) live in the scheduler, by object reference, only while in use: the owner, the recursion
 * count, the threads blocked entering (in order) and the wait set (in order); no object header holds one, and the
 * objects are roots for the collector. {@code monitorenter} on a monitor another thread owns blocks the thread,
 * which retries the instruction when the owner's exit wakes it. {@code Object.wait} releases the monitor whatever
 * the recursion count, saving it; a notified, timed-out or interrupted waiter becomes runnable but runs only after
 * it owns the monitor again with its old count (or blocks entering it meanwhile). A checkpoint saves every monitor
 * in use and the round-robin position, so a resumed app is scheduled as it would have been.
 *
 * <h2>Sleep, park and interrupts</h2>
 * {@code Thread.sleep}, {@code Object.wait} (and so {@code Thread.join}) and {@code Unsafe.park} are natives that
 * set the thread's state and record the call in {@link org.vheap.device.vm.thread.VmThread#blockedIn};
 * {@code natives.BlockingCalls} has them and their interrupts: an interrupt wakes a thread blocked in one, and when
 * it runs again the call ends as on HotSpot (InterruptedException from {@code sleep} or {@code wait}, the status
 * cleared; {@code park} just returns). A thread blocked entering a monitor is not woken by an interrupt.
 */
package org.vheap.device.vm.thread;
