package org.vheap.device.vm.interp;

import java.util.ArrayList;
import java.util.List;
import org.vheap.device.vm.Vm;
import org.vheap.device.vm.heap.HeapMemory;
import org.vheap.format.ObjectLayout;
import org.vheap.device.vm.loader.VmClass;
import org.vheap.device.vm.loader.VmMethod;
import org.vheap.device.vm.thread.Activation;
import org.vheap.device.vm.thread.VmThread;

/**
 * Stack traces as HotSpot keeps them: {@code Throwable.fillInStackTrace} records the thread's activations in the
 * throwable's {@code backtrace} field, a {@code long[]} of entries (method id in the high 32 bits, the pc the
 * activation was at in the low ones, innermost first) with {@code depth} their number; {@code StackTraceElement}s
 * are made from the entries only when the app asks ({@link #stackEntry}). The activations of the throwable's own
 * construction are left out, and those of classes the VM synthesized (call sites), which HotSpot hides. An entry
 * of a NullPointerException the VM raised is marked, so its helpful message ({@link #extendedNpeMessage}) can be
 * computed from the instruction later.
 */
public final class Backtraces {
    /** Marks the first backtrace entry of an exception the VM raised at that instruction. */
    private static final long IMPLICIT = 1L << 31;

    private final Vm vm;
    private final HeapMemory mem;
    private final NullPointerMessages npeMessages = new NullPointerMessages();

    Backtraces(Vm vm) {
        this.vm = vm;
        this.mem = vm.memory();
    }

    /**
     * Throwable.fillInStackTrace: records the thread's activations (method id and pc, newest first) in the
     * exception's backtrace, leaving out the activations that construct the exception, as HotSpot does.
     */
    public void fillInStackTrace(VmThread t, int ex) {
        fillInStackTrace(t, ex, List.of());
    }

    /** As {@link #fillInStackTrace(VmThread, int)}, below the backtrace entries {@code above} (innermost first). */
    void fillInStackTrace(VmThread t, int ex, List<Long> above) {
        VmClass exClass = vm.classOf(ex);
        List<Long> trace = new ArrayList<>(above);
        int i = t.depth - 1;
        while (i >= 0 && t.activations[i].method.name().equals("fillInStackTrace")) {
            i--;
        }
        while (i >= 0 && t.activations[i].method.name().equals("<init>") && exClass.isSubtypeOf(t.activations[i].method.owner())) {
            i--;
        }
        for (; i >= 0; i--) {
            Activation act = t.activations[i];
            if (act.method.owner().isHidden()) {
                continue;
            }
            trace.add(((long) act.method.id() << 32) | (act.faultPc() & 0xFFFFFFFFL));
        }
        int backtrace = vm.newArray(vm.classes().load("[J"), trace.size());
        for (int k = 0; k < trace.size(); k++) {
            mem.putLong(Vm.elementAddress(backtrace, k, 3), trace.get(k));
        }
        VmClass throwable = vm.classes().load("java/lang/Throwable");
        long a = ObjectLayout.address(ex);
        vm.putRef(a + throwable.declaredField("backtrace").offset(), backtrace);
        mem.putInt(a + throwable.declaredField("depth").offset(), trace.size());
    }

    /** Marks the first entry of {@code ex}'s backtrace: the VM raised it at that instruction (an implicit NPE). */
    void markImplicit(int ex) {
        int backtrace = vm.getIntField(ex, vm.field("java/lang/Throwable", "backtrace"));
        if (vm.arrayLength(backtrace) > 0) {
            long first = Vm.elementAddress(backtrace, 0, 3);
            mem.putLong(first, mem.getLong(first) | IMPLICIT);
        }
    }

    /** NullPointerException.getExtendedNPEMessage: the helpful message of an implicit NPE, or 0. */
    public int extendedNpeMessage(int npe) {
        VmClass throwable = vm.classes().load("java/lang/Throwable");
        int backtrace = vm.getIntField(npe, throwable.declaredField("backtrace"));
        if (backtrace == 0 || vm.arrayLength(backtrace) == 0) {
            return 0;
        }
        long e = mem.getLong(Vm.elementAddress(backtrace, 0, 3));
        if ((e & IMPLICIT) == 0) {
            return 0;
        }
        VmMethod m = vm.classes().methodById((int) (e >>> 32));
        String message = npeMessages.message(m, CodePreparer.prepared(m), (int) (e & 0x7FFFFFFFL));
        return message == null ? 0 : vm.strings().newString(message);
    }

    /** The method and source line of backtrace entry {@code i} (for StackTraceElement). */
    public StackEntry stackEntry(int backtrace, int i) {
        long e = mem.getLong(Vm.elementAddress(backtrace, i, 3));
        VmMethod m = vm.classes().methodById((int) (e >>> 32));
        int pc = (int) (e & 0x7FFFFFFFL);
        int line;
        if (m.isNative()) {
            line = -2;
        } else {
            line = CodePreparer.prepared(m).lineAt(pc);
        }
        return new StackEntry(m, line);
    }

    /** One stack trace entry: the method and its source line (-1 unknown, -2 native). */
    public record StackEntry(VmMethod method, int line) {
    }
}
