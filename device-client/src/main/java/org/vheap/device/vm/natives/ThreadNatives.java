package org.vheap.device.vm.natives;

import org.vheap.device.vm.JavaError;
import org.vheap.device.vm.Vm;
import org.vheap.device.vm.interp.Linker;
import org.vheap.device.vm.interp.Throws;
import org.vheap.device.vm.loader.ClassRegistry;
import org.vheap.device.vm.loader.VmField;
import org.vheap.device.vm.loader.VmMethod;
import org.vheap.device.vm.thread.ThreadState;
import org.vheap.device.vm.thread.VmThread;

/** java.lang.Thread on green threads: start, current thread, sleep, yield, interrupt, liveness. */
final class ThreadNatives {
    private ThreadNatives() {
    }

    static void register(Natives n, Vm vm, Linker linker, Throws throwsHelper) {
        String th = "java/lang/Thread";
        n.register(th, "currentThread", "()Ljava/lang/Thread;", (t, s, b) -> t.javaThread);
        n.register(th, "yield", "()V", (t, s, b) -> {
            t.yieldNow = true;
            return 0;
        });
        n.register(th, "sleep", "(J)V", (t, s, b) -> {
            long millis = s[b];
            if (millis < 0) {
                throw new JavaError("java/lang/IllegalArgumentException", "timeout value is negative");
            }
            if (takeInterrupt(vm, t)) {
                throw new JavaError("java/lang/InterruptedException", "sleep interrupted");
            }
            if (millis == 0) {
                t.yieldNow = true;
            } else {
                t.blockedIn = VmThread.IN_SLEEP;
                vm.scheduler().sleep(t, millis * 1_000_000L);
            }
            return 0;
        });
        n.register(th, "holdsLock", "(Ljava/lang/Object;)Z", (t, s, b) -> {
            if ((int) s[b] == 0) {
                throw new JavaError("java/lang/NullPointerException", null);
            }
            return vm.scheduler().holds(t, (int) s[b]) ? 1 : 0;
        });
        n.register(th, "isAlive", "()Z", (t, s, b) -> {
            VmThread other = vm.threadOf((int) s[b]);
            return other != null && other.state != ThreadState.TERMINATED ? 1 : 0;
        });
        n.register(th, "start0", "()V", (t, s, b) -> {
            int self = (int) s[b];
            VmField nameField = vm.field(th, "name");
            VmThread nt = new VmThread(vm.threads().size() + 1, vm.hostString(vm.getIntField(self, nameField)));
            nt.javaThread = self;
            nt.daemon = vm.getByteField(self, vm.field(th, "daemon")) != 0;
            VmMethod run = ClassRegistry.select(vm.classOf(self), "run()V");
            linker.pushFrame(nt, run, new long[] {self}, VmThread.RETURN_END_THREAD);
            vm.putIntField(self, vm.field(th, "threadStatus"), VmThread.JAVA_STATUS_RUNNABLE);
            vm.threads().add(nt);
            vm.scheduler().add(nt);
            return 0;
        });
        n.register(th, "setPriority0", "(I)V", Natives.nothing());
        n.register(th, "setNativeName", "(Ljava/lang/String;)V", Natives.nothing());
        n.register(th, "clearInterruptEvent", "()V", Natives.nothing());
        n.register(th, "interrupt0", "()V", (t, s, b) -> {
            VmThread other = vm.threadOf((int) s[b]);
            if (other != null && other != t) {
                boolean waiting = other.state == ThreadState.WAITING || other.state == ThreadState.TIMED_WAITING;
                if (waiting && other.monitorObject != 0 && other.savedMonitorCount > 0) {
                    // in Object.wait: wake it with InterruptedException once it has its monitor back
                    int ex = throwsHelper.create(other, new JavaError("java/lang/InterruptedException", null));
                    vm.scheduler().wake(other);
                    vm.putByteField(other.javaThread, vm.field(th, "interrupted"), (byte) 0);
                    other.pendingException = ex;
                } else if (waiting && other.blockedIn == VmThread.IN_SLEEP) {
                    int ex = throwsHelper.create(other, new JavaError("java/lang/InterruptedException", "sleep interrupted"));
                    vm.scheduler().wake(other);
                    vm.putByteField(other.javaThread, vm.field(th, "interrupted"), (byte) 0);
                    other.pendingException = ex;
                } else if (waiting && other.blockedIn == VmThread.IN_PARK) {
                    vm.scheduler().wake(other); // park returns; the interrupt status stays set
                }
            }
            return 0;
        });
    }

    /** Reads and clears the thread's interrupt status (the Java field, as HotSpot does). */
    static boolean takeInterrupt(Vm vm, VmThread t) {
        VmField f = vm.field("java/lang/Thread", "interrupted");
        if (vm.getByteField(t.javaThread, f) != 0) {
            vm.putByteField(t.javaThread, f, (byte) 0);
            return true;
        }
        return false;
    }
}
