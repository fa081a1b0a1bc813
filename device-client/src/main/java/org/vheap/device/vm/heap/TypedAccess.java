package org.vheap.device.vm.heap;

/**
 * Reading and writing a value by its field descriptor character (I J F D Z B C S, L or [ for references), as
 * the interpreter keeps values in its slots: ints, references and float bits sign-extended, chars
 * zero-extended, longs and double bits whole.
 */
public final class TypedAccess {
    private TypedAccess() {
    }

    /** The value of type {@code type} at {@code address}. */
    public static long read(HeapMemory m, long address, char type) {
        return switch (type) {
            case 'J', 'D' -> m.getLong(address);
            case 'Z', 'B' -> m.getByte(address);
            case 'C' -> m.getChar(address);
            case 'S' -> m.getShort(address);
            default -> m.getInt(address);
        };
    }

    /** Stores {@code value} (a slot's raw value) as type {@code type} at {@code address}. */
    public static void write(HeapMemory m, long address, char type, long value) {
        switch (type) {
            case 'J', 'D' -> m.putLong(address, value);
            case 'Z', 'B' -> m.putByte(address, (byte) value);
            case 'C', 'S' -> m.putShort(address, (short) value);
            default -> m.putInt(address, (int) value);
        }
    }
}
