package org.vheap.device.vm.natives;

import org.vheap.device.vm.JavaError;
import org.vheap.device.vm.Vm;
import org.vheap.device.vm.interp.MethodInvoker;
import org.vheap.device.vm.loader.ClassRegistry;
import org.vheap.device.vm.loader.VmField;
import org.vheap.device.vm.loader.VmMethod;
import org.vheap.device.vm.thread.DeferredCall;
import org.vheap.device.vm.thread.ThreadState;
import org.vheap.device.vm.thread.VmThread;

/** java.lang.Thread on green threads: start, current thread, yield, liveness, state ({@link BlockingCalls} has sleep and interrupt). */
final class ThreadNatives {
    private ThreadNatives() {
    }

    static void register(Natives n, Vm vm, MethodInvoker invoker) {
        String th = "java/lang/Thread";
        n.register(th, "currentThread", "()Ljava/lang/Thread;", (t, s, b) -> t.javaThread);
        n.register(th, "yield", "()V", (t, s, b) -> {
            t.yieldNow = true;
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
            VmThread nt = new VmThread(vm.threads().size() + 1, vm.strings().hostString(vm.getIntField(self, nameField)));
            nt.javaThread = self;
            nt.daemon = vm.getByteField(self, vm.field(th, "daemon")) != 0;
            VmMethod run = ClassRegistry.select(vm.classOf(self), "run()V");
            invoker.pushActivation(nt, run, new long[] {self}, VmThread.RETURN_END_THREAD);
            vm.putIntField(self, vm.field(th, "threadStatus"), VmThread.JAVA_STATUS_RUNNABLE);
            vm.threads().add(nt);
            vm.scheduler().add(nt);
            return 0;
        });
        // Thread.getState reads threadStatus, which HotSpot keeps current at every change; here the green thread's
        // own state is the truth, handed to the JDK's mapping (VM.toThreadState) as HotSpot's bits
        n.register(th, "getState", "()Ljava/lang/Thread$State;", (t, s, b) -> {
            int self = (int) s[b];
            VmThread target = vm.threadOf(self);
            int status = target == null ? vm.getIntField(self, vm.field(th, "threadStatus")) : target.javaStatus();
            VmMethod toThreadState = vm.classes().load("jdk/internal/misc/VM").declaredMethod("toThreadState", "(I)Ljava/lang/Thread$State;");
            t.defer(new DeferredCall(toThreadState, new long[] {status}, VmThread.RETURN_REPLACE));
            return 0;
        });
        n.register(th, "setPriority0", "(I)V", Natives.nothing());
        n.register(th, "setNativeName", "(Ljava/lang/String;)V", Natives.nothing());
    }
}
