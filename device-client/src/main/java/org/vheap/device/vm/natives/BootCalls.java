package org.vheap.device.vm.natives;

import java.util.Arrays;
import org.vheap.device.vm.Vm;
import org.vheap.device.vm.loader.VmClass;
import org.vheap.device.vm.loader.VmMethod;
import org.vheap.device.vm.thread.DeferredCall;
import org.vheap.device.vm.thread.VmThread;

/**
 * Natives written in Java: a native (or a substituted JDK method) whose work is a static method of one of the VM's
 * boot classes ({@code org.vheap.device.boot}, interpreted like the JDK), called as a deferred call whose result, or
 * exception, becomes the native's. The boot method gets the native's arguments slot for slot, so its descriptor is the
 * native's with the receiver as a first parameter (or dropped), and types the boot class cannot name (a JDK-internal
 * class) as {@code Object}.
 */
final class BootCalls {
    private final Vm vm;
    private final String owner;

    /** Calls into boot class {@code owner} (an internal name). */
    BootCalls(Vm vm, String owner) {
        this.vm = vm;
        this.owner = owner;
    }

    /**
     * Registers {@code nativeOwner.name(descriptor)} as a call of {@code target(targetDescriptor)} with the native's
     * arguments, the receiver of an instance native left out when {@code dropReceiver}.
     */
    void forward(Natives n, String nativeOwner, String name, String descriptor, String target, String targetDescriptor,
                 boolean dropReceiver) {
        int skip = dropReceiver ? 1 : 0;
        n.register(nativeOwner, name, descriptor, (t, s, b) -> {
            VmMethod m = method(target, targetDescriptor);
            return call(t, m, Arrays.copyOfRange(s, b + skip, b + skip + m.argSlots()));
        });
    }

    /**
     * Defers a call of {@code name(descriptor)} with {@code args} (in slots: a long or double takes two) whose result
     * replaces the native's; answers the native's placeholder result.
     */
    long call(VmThread t, String name, String descriptor, long... args) {
        return call(t, method(name, descriptor), args);
    }

    private long call(VmThread t, VmMethod m, long[] args) {
        t.defer(new DeferredCall(m, args, VmThread.RETURN_REPLACE));
        t.deferredInit.add(m.owner());
        return 0;
    }

    private VmMethod method(String name, String descriptor) {
        VmClass c = vm.classes().load(owner);
        VmMethod m = c.declaredMethod(name, descriptor);
        if (m == null) {
            throw new IllegalStateException("no boot method " + owner + "." + name + descriptor);
        }
        return m;
    }
}
