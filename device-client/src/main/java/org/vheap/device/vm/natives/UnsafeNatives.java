package org.vheap.device.vm.natives;

import org.vheap.device.vm.JavaError;
import org.vheap.device.vm.NativeMemory;
import org.vheap.device.vm.Vm;
import org.vheap.device.vm.heap.HeapMemory;
import org.vheap.format.ObjectLayout;
import org.vheap.device.vm.loader.VmClass;
import org.vheap.device.vm.loader.VmField;

/**
 * jdk.internal.misc.Unsafe over the virtual heap: an (object, offset) pair is the object's virtual address
 * plus the offset (field offsets and array base/scale are the heap format's, see {@link ObjectLayout});
 * static fields live in the mirror. An access with a null object is to the app's native memory
 * ({@link NativeMemory}: {@code allocateMemory}, direct buffers), kept by the device and carried by every checkpoint;
 * any other raw address fails with InternalError. Bulk copies and fills ({@code copyMemory},
 * {@code copySwapMemory}, {@code setMemory}) work in both. All green threads run on one host thread, so the
 * compare-and-set operations are plain reads and writes.
 */
final class UnsafeNatives {
    private static final String U = "jdk/internal/misc/Unsafe";

    private UnsafeNatives() {
    }

    private static long at(long[] s, int b) {
        return address((int) s[b + 1], s[b + 2]);
    }

    /** The virtual address of {@code offset} in object {@code base}; a null base (raw memory) is refused. */
    private static long address(int base, long offset) {
        if (base == 0) {
            throw new JavaError("java/lang/InternalError", "a reference in raw memory is not available on a device");
        }
        return ObjectLayout.address(base) + offset;
    }

    /** The address of {@code offset} in {@code base}: a heap address, or with a null base a native one. */
    private static long anywhere(int base, long offset) {
        if (base != 0) {
            return ObjectLayout.address(base) + offset;
        }
        if (!NativeMemory.isNative(offset)) {
            throw new JavaError("java/lang/InternalError", "raw address " + Long.toHexString(offset)
                    + " is not native memory a device gave out");
        }
        return offset;
    }

    /** A primitive of {@code size} bytes at (object, offset) in slots b+1, b+2: in the heap or in native memory. */
    private static long load(Vm vm, long[] s, int b, int size) {
        long a = anywhere((int) s[b + 1], s[b + 2]);
        if (NativeMemory.isNative(a)) {
            return vm.nativeMemory().get(a, size);
        }
        HeapMemory m = vm.memory();
        return switch (size) {
            case 1 -> m.getByte(a);
            case 2 -> m.getShort(a);
            case 4 -> m.getInt(a);
            default -> m.getLong(a);
        };
    }

    /** Stores the primitive in slot b+4 ({@code size} bytes) at (object, offset) in slots b+1, b+2. */
    private static long store(Vm vm, long[] s, int b, int size) {
        long a = anywhere((int) s[b + 1], s[b + 2]);
        long v = s[b + 4];
        if (NativeMemory.isNative(a)) {
            vm.nativeMemory().put(a, size, v);
            return 0;
        }
        HeapMemory m = vm.memory();
        switch (size) {
            case 1 -> m.putByte(a, (byte) v);
            case 2 -> m.putShort(a, (short) v);
            case 4 -> m.putInt(a, (int) v);
            default -> m.putLong(a, v);
        }
        return 0;
    }

    private static byte byteAt(Vm vm, long a) {
        return NativeMemory.isNative(a) ? (byte) vm.nativeMemory().get(a, 1) : vm.memory().getByte(a);
    }

    private static void putByteAt(Vm vm, long a, byte v) {
        if (NativeMemory.isNative(a)) {
            vm.nativeMemory().put(a, 1, v);
        } else {
            vm.memory().putByte(a, v);
        }
    }

    /**
     * Copies {@code bytes} from {@code from} to {@code to} (overlapping or not, as memmove), reversing the bytes of
     * each {@code swap}-byte element when {@code swap} is above 1 (a buffer of the other byte order).
     */
    private static void copy(Vm vm, long from, long to, long bytes, int swap) {
        if (bytes < 0 || bytes > Integer.MAX_VALUE) {
            throw new JavaError("java/lang/IllegalArgumentException", "bytes " + bytes);
        }
        byte[] buffer = new byte[(int) bytes];
        for (int i = 0; i < buffer.length; i++) {
            buffer[i] = byteAt(vm, from + i);
        }
        for (int i = 0; i < buffer.length; i++) {
            int element = swap > 1 ? i - i % swap : i;
            int source = swap > 1 ? element + swap - 1 - i % swap : i;
            putByteAt(vm, to + i, buffer[source]);
        }
    }

    static void register(Natives n, Vm vm) {
        HeapMemory m = vm.memory();
        for (String vol : new String[] {"", "Volatile"}) {
            n.register(U, "getInt" + vol, "(Ljava/lang/Object;J)I", (t, s, b) -> load(vm, s, b, 4));
            n.register(U, "putInt" + vol, "(Ljava/lang/Object;JI)V", (t, s, b) -> store(vm, s, b, 4));
            n.register(U, "getReference" + vol, "(Ljava/lang/Object;J)Ljava/lang/Object;", (t, s, b) -> m.getInt(at(s, b)));
            n.register(U, "putReference" + vol, "(Ljava/lang/Object;JLjava/lang/Object;)V", (t, s, b) -> { vm.putRef(at(s, b), (int) s[b + 4]); return 0; });
            n.register(U, "getBoolean" + vol, "(Ljava/lang/Object;J)Z", (t, s, b) -> load(vm, s, b, 1));
            n.register(U, "putBoolean" + vol, "(Ljava/lang/Object;JZ)V", (t, s, b) -> store(vm, s, b, 1));
            n.register(U, "getByte" + vol, "(Ljava/lang/Object;J)B", (t, s, b) -> load(vm, s, b, 1));
            n.register(U, "putByte" + vol, "(Ljava/lang/Object;JB)V", (t, s, b) -> store(vm, s, b, 1));
            n.register(U, "getShort" + vol, "(Ljava/lang/Object;J)S", (t, s, b) -> load(vm, s, b, 2));
            n.register(U, "putShort" + vol, "(Ljava/lang/Object;JS)V", (t, s, b) -> store(vm, s, b, 2));
            n.register(U, "getChar" + vol, "(Ljava/lang/Object;J)C", (t, s, b) -> load(vm, s, b, 2));
            n.register(U, "putChar" + vol, "(Ljava/lang/Object;JC)V", (t, s, b) -> store(vm, s, b, 2));
            n.register(U, "getLong" + vol, "(Ljava/lang/Object;J)J", (t, s, b) -> load(vm, s, b, 8));
            n.register(U, "putLong" + vol, "(Ljava/lang/Object;JJ)V", (t, s, b) -> store(vm, s, b, 8));
            n.register(U, "getFloat" + vol, "(Ljava/lang/Object;J)F", (t, s, b) -> load(vm, s, b, 4));
            n.register(U, "putFloat" + vol, "(Ljava/lang/Object;JF)V", (t, s, b) -> store(vm, s, b, 4));
            n.register(U, "getDouble" + vol, "(Ljava/lang/Object;J)D", (t, s, b) -> load(vm, s, b, 8));
            n.register(U, "putDouble" + vol, "(Ljava/lang/Object;JD)V", (t, s, b) -> store(vm, s, b, 8));
        }
        n.register(U, "compareAndSetInt", "(Ljava/lang/Object;JII)Z", (t, s, b) -> {
            long a = at(s, b);
            if (m.getInt(a) == (int) s[b + 4]) {
                m.putInt(a, (int) s[b + 5]);
                return 1;
            }
            return 0;
        });
        n.register(U, "compareAndExchangeInt", "(Ljava/lang/Object;JII)I", (t, s, b) -> {
            long a = at(s, b);
            int old = m.getInt(a);
            if (old == (int) s[b + 4]) {
                m.putInt(a, (int) s[b + 5]);
            }
            return old;
        });
        n.register(U, "compareAndSetReference", "(Ljava/lang/Object;JLjava/lang/Object;Ljava/lang/Object;)Z", (t, s, b) -> {
            long a = at(s, b);
            if (m.getInt(a) == (int) s[b + 4]) {
                vm.putRef(a, (int) s[b + 5]);
                return 1;
            }
            return 0;
        });
        n.register(U, "compareAndExchangeReference", "(Ljava/lang/Object;JLjava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;", (t, s, b) -> {
            long a = at(s, b);
            int old = m.getInt(a);
            if (old == (int) s[b + 4]) {
                vm.putRef(a, (int) s[b + 5]);
            }
            return old;
        });
        n.register(U, "compareAndSetLong", "(Ljava/lang/Object;JJJ)Z", (t, s, b) -> {
            long a = at(s, b);
            if (m.getLong(a) == s[b + 4]) {
                m.putLong(a, s[b + 6]);
                return 1;
            }
            return 0;
        });
        n.register(U, "compareAndExchangeLong", "(Ljava/lang/Object;JJJ)J", (t, s, b) -> {
            long a = at(s, b);
            long old = m.getLong(a);
            if (old == s[b + 4]) {
                m.putLong(a, s[b + 6]);
            }
            return old;
        });
        // bulk copies and fills, in the heap and native memory: what ByteBuffers' bulk operations come down to
        n.register(U, "copyMemory0", "(Ljava/lang/Object;JLjava/lang/Object;JJ)V", (t, s, b) -> {
            copy(vm, anywhere((int) s[b + 1], s[b + 2]), anywhere((int) s[b + 4], s[b + 5]), s[b + 7], 1);
            return 0;
        });
        n.register(U, "copySwapMemory0", "(Ljava/lang/Object;JLjava/lang/Object;JJJ)V", (t, s, b) -> {
            copy(vm, anywhere((int) s[b + 1], s[b + 2]), anywhere((int) s[b + 4], s[b + 5]), s[b + 7], (int) s[b + 9]);
            return 0;
        });
        n.register(U, "setMemory0", "(Ljava/lang/Object;JJB)V", (t, s, b) -> {
            long at = anywhere((int) s[b + 1], s[b + 2]);
            for (long i = 0; i < s[b + 4]; i++) {
                putByteAt(vm, at + i, (byte) s[b + 6]);
            }
            return 0;
        });
        // native memory (direct buffers): the device's, carried by every checkpoint (NativeMemory)
        n.register(U, "allocateMemory0", "(J)J", (t, s, b) -> vm.nativeMemory().allocate(s[b + 1]));
        n.register(U, "reallocateMemory0", "(JJ)J", (t, s, b) -> vm.nativeMemory().reallocate(s[b + 1], s[b + 3]));
        n.register(U, "freeMemory0", "(J)V", (t, s, b) -> {
            vm.nativeMemory().free(s[b + 1]);
            return 0;
        });
        for (String fence : new String[] {"loadFence", "storeFence", "fullFence"}) {
            n.register(U, fence, "()V", Natives.nothing());
        }
        n.register(U, "arrayBaseOffset0", "(Ljava/lang/Class;)I", (t, s, b) -> ObjectLayout.ARRAY_BASE_OFFSET);
        n.register(U, "arrayIndexScale0", "(Ljava/lang/Class;)I", (t, s, b) -> 1 << vm.mirrors().classOf((int) s[b + 1]).elementShift());
        n.register(U, "objectFieldOffset1", "(Ljava/lang/Class;Ljava/lang/String;)J", (t, s, b) -> {
            VmClass c = vm.mirrors().classOf((int) s[b + 1]);
            String name = vm.strings().hostString((int) s[b + 2]);
            VmField f = c.declaredField(name);
            if (f == null || f.isStatic()) {
                throw new JavaError("java/lang/InternalError", name);
            }
            return f.offset();
        });
        n.register(U, "shouldBeInitialized0", "(Ljava/lang/Class;)Z",
                (t, s, b) -> vm.mirrors().classOf((int) s[b + 1]).initState == VmClass.InitState.INITIALIZED ? 0 : 1);
        n.register(U, "ensureClassInitialized0", "(Ljava/lang/Class;)V", (t, s, b) -> {
            t.deferredInit.add(vm.mirrors().classOf((int) s[b + 1]));
            return 0;
        });
        n.register(U, "allocateInstance", "(Ljava/lang/Class;)Ljava/lang/Object;", (t, s, b) -> {
            VmClass c = vm.mirrors().classOf((int) s[b + 1]);
            if (c.isInterface() || c.isArray() || c.isPrimitive() || (c.access() & org.objectweb.asm.Opcodes.ACC_ABSTRACT) != 0) {
                throw new JavaError("java/lang/InstantiationException", c.javaName());
            }
            return vm.newObject(c);
        });
        n.register(U, "throwException", "(Ljava/lang/Throwable;)V", (t, s, b) -> {
            throw new org.vheap.device.vm.interp.VmThrow((int) s[b + 1]);
        });
        n.register(U, "getLoadAverage0", "([DI)I", (t, s, b) -> -1);
        n.register("jdk/internal/misc/UnsafeConstants", "<clinit>", "()V", (t, s, b) -> {
            VmClass uc = vm.classes().load("jdk/internal/misc/UnsafeConstants");
            long mirror = ObjectLayout.address(uc.mirror());
            m.putInt(mirror + uc.declaredField("ADDRESS_SIZE0").offset(), 8);
            m.putInt(mirror + uc.declaredField("PAGE_SIZE").offset(), 4096);
            m.putByte(mirror + uc.declaredField("BIG_ENDIAN").offset(), (byte) 0);
            m.putByte(mirror + uc.declaredField("UNALIGNED_ACCESS").offset(), (byte) 0);
            m.putInt(mirror + uc.declaredField("DATA_CACHE_LINE_FLUSH_SIZE").offset(), 0);
            return 0;
        });
    }
}
