package org.vheap.device.vm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.vheap.device.vm.heap.HeapMemory;

/** A heap that is one growable host array: no paging, for tests of the interpreter alone. */
final class ArrayHeapMemory implements HeapMemory {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private final int lineSize;
    private byte[] bytes = new byte[1 << 20];

    ArrayHeapMemory(int lineSize) {
        this.lineSize = lineSize;
    }

    private int at(long address, int size) {
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
        return bytes[at(address, 1)];
    }

    @Override
    public void putByte(long address, byte value) {
        bytes[at(address, 1)] = value;
    }

    @Override
    public short getShort(long address) {
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
        return (int) INT.get(bytes, at(address, 4));
    }

    @Override
    public void putInt(long address, int value) {
        INT.set(bytes, at(address, 4), value);
    }

    @Override
    public long getLong(long address) {
        return (long) LONG.get(bytes, at(address, 8));
    }

    @Override
    public void putLong(long address, long value) {
        LONG.set(bytes, at(address, 8), value);
    }

    @Override
    public void copy(long from, long to, long length) {
        at(Math.max(from, to), (int) length);
        System.arraycopy(bytes, (int) from, bytes, (int) to, (int) length);
    }

    @Override
    public void zero(long address, long length) {
        at(address, (int) length);
        Arrays.fill(bytes, (int) address, (int) (address + length), (byte) 0);
    }

    @Override
    public int lineSize() {
        return lineSize;
    }
}
