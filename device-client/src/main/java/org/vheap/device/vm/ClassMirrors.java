package org.vheap.device.vm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.vheap.format.ObjectLayout;
import org.vheap.device.vm.loader.ClassRegistry;
import org.vheap.device.vm.loader.VmClass;
import org.vheap.format.VmStateImage;

/**
 * {@code java.lang.Class} objects, the mirrors of the VM's classes, in the heap. Every class the registry defines
 * (arrays and primitives too) gets one ({@link #defined}): an instance of {@code java.lang.Class} whose injected
 * field {@link ClassRegistry#CLASS_ID_FIELD} holds the class's id (and {@code componentType} an array's component's
 * mirror), followed by the class's static fields ({@link ClassRegistry#layoutStatics}), so statics live in the
 * heap and a mirror's size depends on its class. The classes defined before {@code java.lang.Class} itself (at
 * boot, {@code java.lang.Object} and what it needs) wait for it ({@link #boot}). While a checkpoint's class table
 * is replayed, classes are not given new mirrors but bound to those the heap already has ({@link #startReplay},
 * {@link #endReplay}).
 */
public final class ClassMirrors {
    private final Vm vm;
    private final List<VmClass> waiting = new ArrayList<>();
    private VmClass classClass;
    private int classIdOffset;
    private int componentTypeOffset;
    private boolean replaying;

    ClassMirrors(Vm vm) {
        this.vm = vm;
    }

    /** The class registry's definition listener: the class gets its mirror now, or when it can. */
    void defined(VmClass c) {
        if (replaying || classClass == null) {
            waiting.add(c);
        } else {
            make(c);
        }
    }

    /** Boot: loads {@code java.lang.Class} and gives every class defined so far its mirror. */
    void boot() {
        bindClassClass();
        List<VmClass> early = List.copyOf(waiting);
        waiting.clear();
        for (VmClass c : early) {
            make(c);
        }
    }

    /** A checkpoint's class table is about to be replayed: classes defined now already have mirrors in the heap. */
    void startReplay() {
        replaying = true;
    }

    /**
     * The replay is over: binds each class it defined to its mirror in {@code images} (by class id), allocating
     * nothing.
     *
     * @throws IllegalStateException when a class's statics do not take the bytes its mirror in the heap has (other
     *                               class files than the heap ran)
     */
    void endReplay(Map<Integer, VmStateImage.ClassImage> images) {
        replaying = false;
        bindClassClass();
        for (VmClass c : waiting) {
            VmStateImage.ClassImage ci = images.get(c.id());
            c.mirrorBytes = vm.classes().layoutStatics(c, classClass.instanceBytes());
            if (ci == null || c.mirrorBytes != ci.mirrorBytes()) {
                throw new IllegalStateException("resuming: the statics of " + c.name() + " take " + c.mirrorBytes
                        + " bytes, the heap's mirror " + (ci == null ? "is missing" : ci.mirrorBytes() + " bytes"));
            }
            c.bindMirror(ci.mirror());
        }
        waiting.clear();
    }

    private void bindClassClass() {
        VmClass k = vm.classes().load("java/lang/Class");
        classIdOffset = k.declaredField(ClassRegistry.CLASS_ID_FIELD).offset();
        componentTypeOffset = k.declaredField("componentType").offset();
        classClass = k;
    }

    private void make(VmClass c) {
        int size = vm.classes().layoutStatics(c, classClass.instanceBytes());
        int ref = vm.tenured(() -> vm.allocate(classClass.id(), size));   // quickened into code: pinned, never moves
        c.mirrorBytes = size;
        long a = ObjectLayout.address(ref);
        vm.memory().putInt(a + classIdOffset, c.id());
        if (c.isArray()) {
            vm.putRef(a + componentTypeOffset, c.component().mirror());
        }
        c.bindMirror(ref);
    }

    /** The class a {@code java.lang.Class} object stands for. */
    public VmClass classOf(int mirror) {
        return vm.classes().byId(vm.memory().getInt(ObjectLayout.address(mirror) + classIdOffset));
    }

    /** Whether {@code c} is {@code java.lang.Class}, whose instances are mirrors (sized by their class's statics). */
    boolean isMirrorClass(VmClass c) {
        return c == classClass;
    }
}
