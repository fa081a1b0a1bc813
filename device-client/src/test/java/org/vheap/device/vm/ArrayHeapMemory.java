package org.vheap.device.vm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.vheap.device.vm.heap.HeapMemory;
import org.vheap.device.vm.heap.ObjectLayout;

/**
 * A heap that is one growable host array: no paging, for tests of the interpreter alone. The system segment
 * is a second growable array from {@link ObjectLayout#SYSTEM_SEGMENT_BASE}, read-only but for
 * {@link #installSystem}.
 */
final class ArrayHeapMemory implements HeapMemory {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private final int lineSize;
    private byte[] bytes = new byte[1 << 20];
    private byte[] system = new byte[0];

    ArrayHeapMemory(int lineSize) {
        this.lineSize = lineSize;
    }

    private int at(long address, int size) {
        if (address >= ObjectLayout.SYSTEM_SEGMENT_BASE) {
            throw new IllegalStateException("store to the read-only system segment at 0x" + Long.toHexString(address));
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

    @Override
    public byte getByte(long address) {
        if (address >= ObjectLayout.SYSTEM_SEGMENT_BASE) {
            return system[(int) (address - ObjectLayout.SYSTEM_SEGMENT_BASE)];
        }
        return bytes[at(address, 1)];
    }

    @Override
    public void putByte(long address, byte value) {
        bytes[at(address, 1)] = value;
    }

    @Override
    public short getShort(long address) {
        if (address >= ObjectLayout.SYSTEM_SEGMENT_BASE) {
            return (short) SHORT.get(system, (int) (address - ObjectLayout.SYSTEM_SEGMENT_BASE));
        }
        return (short) SHORT.get(bytes, at(address, 2));
    }

    @Override
    public void putShort(long address, short value) {
        SHORT.set(bytes, at(address, 2), value);
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
        if (address >= ObjectLayout.SYSTEM_SEGMENT_BASE) {
            return (int) INT.get(system, (int) (address - ObjectLayout.SYSTEM_SEGMENT_BASE));
        }
        return (int) INT.get(bytes, at(address, 4));
    }

    @Override
    public void putInt(long address, int value) {
        INT.set(bytes, at(address, 4), value);
    }

    @Override
    public long getLong(long address) {
        if (address >= ObjectLayout.SYSTEM_SEGMENT_BASE) {
            return (long) LONG.get(system, (int) (address - ObjectLayout.SYSTEM_SEGMENT_BASE));
        }
        return (long) LONG.get(bytes, at(address, 8));
    }

    @Override
    public void putLong(long address, long value) {
        LONG.set(bytes, at(address, 8), value);
    }

    @Override
    public void copy(long from, long to, long length) {
        if (from >= ObjectLayout.SYSTEM_SEGMENT_BASE) {
            System.arraycopy(system, (int) (from - ObjectLayout.SYSTEM_SEGMENT_BASE), bytes, at(to, (int) length), (int) length);
            return;
        }
        at(Math.max(from, to), (int) length);
        System.arraycopy(bytes, (int) from, bytes, (int) to, (int) length);
    }

    @Override
    public void zero(long address, long length) {
        at(address, (int) length);
        Arrays.fill(bytes, (int) address, (int) (address + length), (byte) 0);
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
