package org.vheap.device.vm.natives;

import java.util.concurrent.TimeUnit;
import org.vheap.device.vm.JavaError;
import org.vheap.device.vm.Vm;
import org.vheap.device.vm.loader.VmField;
import org.vheap.device.vm.loader.VmMethod;
import org.vheap.device.vm.thread.ThreadState;
import org.vheap.device.vm.thread.VmThread;

/**
 * The natives that block a green thread — {@code Thread.sleep}, {@code Object.wait} (which {@code Thread.join}
 * uses), {@code Unsafe.park} — and how an interrupt ends them, as on HotSpot (JDK 17):
 * <ul>
 *   <li>The interrupt status is the Java field {@code Thread.interrupted}: {@code Thread.interrupt()} sets it and
 *       then calls {@code interrupt0}, {@code Thread.interrupted()} clears it in Java.</li>
 *   <li>{@code sleep} and {@code wait} on a thread whose status is set clear it and throw InterruptedException at
 *       once; {@code park} returns at once and leaves it set.</li>
 *   <li>{@code interrupt0} wakes the thread if it is blocked in one of them (a thread blocked entering a monitor
 *       stays blocked).</li>
 *   <li>A thread that blocked in {@code sleep} or {@code wait} finishes the call when it runs again, whatever woke
 *       it (the clock, {@code notify}, an interrupt): {@link #finish} clears a set status and throws
 *       InterruptedException from the native — for {@code wait} only if it was not notified, and after it took its
 *       monitor back (the scheduler gives it back before the thread runs). Several interrupts before it runs are
 *       one exception and a cleared status.</li>
 * </ul>
 * {@link VmThread#blockedIn} records which call a waiting thread is in (and is kept by a checkpoint).
 */
public final class BlockingCalls {
    private final Vm vm;

    public BlockingCalls(Vm vm) {
        this.vm = vm;
    }

    void register(Natives n) {
        n.register("java/lang/Thread", "sleep", "(J)V", (t, s, b) -> {
            long millis = s[b];
            if (millis < 0) {
                throw new JavaError("java/lang/IllegalArgumentException", "timeout value is negative");
            }
            if (takeInterrupt(t)) {
                throw sleepInterrupted();
            }
            if (millis == 0) {
                t.yieldNow = true;
            } else {
                t.blockedIn = VmThread.IN_SLEEP;
                vm.scheduler().sleep(t, TimeUnit.MILLISECONDS.toNanos(millis));
            }
            return 0;
        });
        n.register("java/lang/Object", "wait", "(J)V", (t, s, b) -> {
            long millis = s[b + 1];
            if (millis < 0) {
                throw new JavaError("java/lang/IllegalArgumentException", "timeout value is negative");
            }
            if (!vm.scheduler().holds(t, (int) s[b])) {
                throw new JavaError("java/lang/IllegalMonitorStateException", "current thread is not owner");
            }
            if (takeInterrupt(t)) {
                throw waitInterrupted();
            }
            vm.scheduler().await(t, (int) s[b], TimeUnit.MILLISECONDS.toNanos(millis));
            t.blockedIn = VmThread.IN_WAIT;
            return 0;
        });
        n.register("java/lang/Thread", "interrupt0", "()V", (t, s, b) -> {
            VmThread other = vm.threadOf((int) s[b]);
            if (other != null && other.blockedIn != 0
                    && (other.state == ThreadState.WAITING || other.state == ThreadState.TIMED_WAITING)) {
                vm.scheduler().wake(other);
            }
            return 0;
        });
        n.register("java/lang/Thread", "clearInterruptEvent", "()V", Natives.nothing());
        String unsafe = "jdk/internal/misc/Unsafe";
        n.register(unsafe, "park", "(ZJ)V", (t, s, b) -> {
            boolean absolute = (s[b + 1] & 1) != 0;
            long time = s[b + 2];
            if (t.permit) {
                t.permit = false;
                return 0;
            }
            if (interrupted(t)) {
                return 0;
            }
            if (time == 0 && !absolute) {
                t.state = ThreadState.WAITING;
            } else {
                long nanos = absolute ? TimeUnit.MILLISECONDS.toNanos(time - vm.currentTimeMillis()) : time;
                if (nanos <= 0) {
                    return 0;
                }
                vm.scheduler().sleep(t, nanos);
            }
            t.blockedIn = VmThread.IN_PARK;
            return 0;
        });
        n.register(unsafe, "unpark", "(Ljava/lang/Object;)V", (t, s, b) -> {
            int javaThread = (int) s[b + 1];
            for (VmThread other : vm.threads()) {
                if (other.javaThread != javaThread) {
                    continue;
                }
                if (other.blockedIn == VmThread.IN_PARK && other.state != ThreadState.RUNNABLE) {
                    vm.scheduler().wake(other); // the wake-up consumes the permit
                } else {
                    other.permit = true;
                }
            }
            return 0;
        });
    }

    /**
     * Ends the blocking call {@code t} was in ({@link VmThread#blockedIn}), now that it runs again: clears the
     * record, and returns the InterruptedException the call throws, or null when it returns normally.
     */
    public JavaError finish(VmThread t) {
        int call = t.blockedIn;
        t.blockedIn = 0;
        return switch (call) {
            case VmThread.IN_SLEEP -> takeInterrupt(t) ? sleepInterrupted() : null;
            case VmThread.IN_WAIT -> !t.notified && takeInterrupt(t) ? waitInterrupted() : null;
            default -> null; // park returns; its interrupt status stays set
        };
    }

    private JavaError sleepInterrupted() {
        return new JavaError("java/lang/InterruptedException", "sleep interrupted").thrownBy(nativeMethod("java/lang/Thread", "sleep"));
    }

    private JavaError waitInterrupted() {
        return new JavaError("java/lang/InterruptedException", null).thrownBy(nativeMethod("java/lang/Object", "wait"));
    }

    private VmMethod nativeMethod(String owner, String name) {
        return vm.classes().load(owner).declaredMethod(name, "(J)V");
    }

    private VmField interruptedField() {
        return vm.field("java/lang/Thread", "interrupted");
    }

    private boolean interrupted(VmThread t) {
        return vm.getByteField(t.javaThread, interruptedField()) != 0;
    }

    /** Reads and clears the thread's interrupt status. */
    private boolean takeInterrupt(VmThread t) {
        if (!interrupted(t)) {
            return false;
        }
        vm.putByteField(t.javaThread, interruptedField(), (byte) 0);
        return true;
    }
}
