package org.vheap.device.vm.natives;

import org.vheap.device.vm.JavaError;
import org.vheap.device.vm.Vm;

/** java.lang.Object: identity, class, clone, and notify on the green-thread scheduler ({@link BlockingCalls} has wait). */
final class ObjectNatives {
    private ObjectNatives() {
    }

    static void register(Natives n, Vm vm) {
        String o = "java/lang/Object";
        n.register(o, "getClass", "()Ljava/lang/Class;", (t, s, b) -> vm.classOf((int) s[b]).mirror());
        n.register(o, "hashCode", "()I", (t, s, b) -> vm.identityHash((int) s[b]));
        n.register(o, "clone", "()Ljava/lang/Object;", (t, s, b) -> {
            int self = (int) s[b];
            var c = vm.classOf(self);
            if (!c.isArray() && !c.isSubtypeOf(vm.classes().load("java/lang/Cloneable"))) {
                throw new JavaError("java/lang/CloneNotSupportedException", c.javaName());
            }
            return vm.cloneObject(self);
        });
        for (boolean all : new boolean[] {false, true}) {
            n.register(o, all ? "notifyAll" : "notify", "()V", (t, s, b) -> {
                if (!vm.scheduler().notify(t, (int) s[b], all)) {
                    throw new JavaError("java/lang/IllegalMonitorStateException", "current thread is not owner");
                }
                return 0;
            });
        }
    }
}
