package org.vheap.device.vm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.vheap.device.vm.heap.HeapMemory;
import org.vheap.format.ObjectLayout;

/**
 * A heap that is host arrays: no paging, for tests of the interpreter alone. The user heap is one growable array;
 * the nursery (if any) a fixed one from {@link ObjectLayout#NURSERY_BASE}; the system segment a growable one from
 * {@link ObjectLayout#SYSTEM_SEGMENT_BASE}, read-only but for {@link #installSystem}.
 */
final class ArrayHeapMemory implements HeapMemory {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private final int lineSize;
    private final byte[] nursery;
    private final long workingSetBytes;
    private byte[] bytes = new byte[1 << 20];
    private byte[] system = new byte[0];

    ArrayHeapMemory(int lineSize) {
        this(lineSize, 0);
    }

    ArrayHeapMemory(int lineSize, int nurseryBytes) {
        this(lineSize, nurseryBytes, 0);
    }

    ArrayHeapMemory(int lineSize, int nurseryBytes, long workingSetBytes) {
        this.lineSize = lineSize;
        this.nursery = new byte[nurseryBytes];
        this.workingSetBytes = workingSetBytes;
    }

    @Override
    public long workingSetBytes() {
        return workingSetBytes;
    }

    /** The array holding {@code address}. */
    private byte[] array(long address) {
        if (address >= ObjectLayout.SYSTEM_SEGMENT_BASE) {
            return system;
        }
        return address >= ObjectLayout.NURSERY_BASE ? nursery : bytes;
    }

    /** The index of {@code address} in {@link #array}, growing the user heap to hold {@code size} bytes there. */
    private int index(long address, int size) {
        if (address >= ObjectLayout.SYSTEM_SEGMENT_BASE) {
            return (int) (address - ObjectLayout.SYSTEM_SEGMENT_BASE);
        }
        if (address >= ObjectLayout.NURSERY_BASE) {
            return (int) (address - ObjectLayout.NURSERY_BASE);
        }
        if (address + size > bytes.length) {
            long n = bytes.length;
            while (n < address + size) {
                n *= 2;
            }
            bytes = Arrays.copyOf(bytes, Math.toIntExact(n));
        }
        return (int) address;
    }

    /** The array to write {@code address} in (never the system segment). */
    private byte[] writable(long address) {
        if (address >= ObjectLayout.SYSTEM_SEGMENT_BASE) {
            throw new IllegalStateException("store to the read-only system segment at 0x" + Long.toHexString(address));
        }
        return array(address);
    }

    @Override
    public byte getByte(long address) {
        int i = index(address, 1);
        return array(address)[i];
    }

    @Override
    public void putByte(long address, byte value) {
        int i = index(address, 1);
        writable(address)[i] = value;
    }

    @Override
    public short getShort(long address) {
        int i = index(address, 2);
        return (short) SHORT.get(array(address), i);
    }

    @Override
    public void putShort(long address, short value) {
        int i = index(address, 2);
        SHORT.set(writable(address), i, value);
    }

    @Override
    public char getChar(long address) {
        return (char) getShort(address);
    }

    @Override
    public void putChar(long address, char value) {
        putShort(address, (short) value);
    }

    @Override
    public int getInt(long address) {
        int i = index(address, 4);
        return (int) INT.get(array(address), i);
    }

    @Override
    public void putInt(long address, int value) {
        int i = index(address, 4);
        INT.set(writable(address), i, value);
    }

    @Override
    public long getLong(long address) {
        int i = index(address, 8);
        return (long) LONG.get(array(address), i);
    }

    @Override
    public void putLong(long address, long value) {
        int i = index(address, 8);
        LONG.set(writable(address), i, value);
    }

    @Override
    public void copy(long from, long to, long length) {
        int n = (int) length;
        int src = index(from, n);
        int dst = index(to, n);
        System.arraycopy(array(from), src, writable(to), dst, n);
    }

    @Override
    public void zero(long address, long length) {
        int i = index(address, (int) length);
        Arrays.fill(writable(address), i, i + (int) length, (byte) 0);
    }

    @Override
    public long nurseryBytes() {
        return nursery.length;
    }

    @Override
    public void installSystem(long address, byte[] data) {
        int at = Math.toIntExact(address - ObjectLayout.SYSTEM_SEGMENT_BASE);
        if (at < 0 || address % lineSize != 0) {
            throw new IllegalArgumentException("system bytes must be line-aligned in the system segment: 0x" + Long.toHexString(address));
        }
        if (at + data.length > system.length) {
            system = Arrays.copyOf(system, Math.max(at + data.length, 2 * system.length));
        }
        System.arraycopy(data, 0, system, at, data.length);
    }

    @Override
    public int lineSize() {
        return lineSize;
    }
}
