package org.vheap.device.vm.natives;

import org.vheap.device.vm.Vm;
import org.vheap.device.vm.loader.VmField;
import org.vheap.device.vm.thread.ThreadState;

/**
 * java.lang.ref.Reference. The collector does not clear or enqueue references yet (they act as strong
 * ones), so the pending list is always empty and the Reference Handler thread (a daemon) waits forever.
 */
final class ReferenceNatives {
    private ReferenceNatives() {
    }

    static void register(Natives n, Vm vm) {
        String r = "java/lang/ref/Reference";
        n.register(r, "getAndClearReferencePendingList", "()Ljava/lang/ref/Reference;", (t, s, b) -> 0);
        n.register(r, "hasReferencePendingList", "()Z", (t, s, b) -> 0);
        n.register(r, "waitForReferencePendingList", "()V", (t, s, b) -> {
            t.state = ThreadState.WAITING;
            return 0;
        });
        n.register(r, "refersTo0", "(Ljava/lang/Object;)Z", (t, s, b) -> referent(vm, (int) s[b]) == (int) s[b + 1] ? 1 : 0);
        n.register("java/lang/ref/PhantomReference", "refersTo0", "(Ljava/lang/Object;)Z",
                (t, s, b) -> referent(vm, (int) s[b]) == (int) s[b + 1] ? 1 : 0);
        n.register(r, "clear0", "()V", (t, s, b) -> {
            vm.putRefField((int) s[b], referentField(vm), 0);
            return 0;
        });
    }

    private static VmField referentField(Vm vm) {
        return vm.field("java/lang/ref/Reference", "referent");
    }

    private static int referent(Vm vm, int ref) {
        return vm.getIntField(ref, referentField(vm));
    }
}
