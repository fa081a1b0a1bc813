package org.vheap.device.vm;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The app's native memory: what {@code Unsafe.allocateMemory} gives (the memory of direct {@code ByteBuffer}s, and
 * of the JDK's temporary buffers). It is not heap: the device keeps its blocks on the host, at addresses above every
 * heap address ({@link #BASE}), and every checkpoint carries them all (the VM state's {@link #ATTACHMENT}), so a
 * direct buffer is where it was, with the same bytes, after a resume on any device. Blocks are bounded by the JDK's
 * own accounting of direct memory ({@code MaxDirectMemorySize}, the maximum heap by default).
 *
 * <p>An access outside every block is the app's error, answered with InternalError (HotSpot would crash). Only the
 * VM's interpreter thread uses it.
 */
public final class NativeMemory {
    /** The lowest native address: above the system segment, the highest heap address. */
    public static final long BASE = 1L << 40;
    /** The VM state attachment that carries the blocks. */
    public static final String ATTACHMENT = "native-memory";
    private static final int ALIGNMENT = 16;

    private final TreeMap<Long, byte[]> blocks = new TreeMap<>();
    private long next = BASE;

    /** A new zero-filled block of {@code bytes} (at least 1); its address. */
    public long allocate(long bytes) {
        if (bytes < 0 || bytes > Integer.MAX_VALUE - ALIGNMENT) {
            throw new JavaError("java/lang/OutOfMemoryError", "cannot allocate " + bytes + " bytes of native memory");
        }
        long address = next;
        blocks.put(address, new byte[(int) Math.max(1, bytes)]);
        next += (Math.max(1, bytes) + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        return address;
    }

    /** {@code realloc}: a block of {@code bytes} holding the old one's first bytes; the old one is freed. */
    public long reallocate(long address, long bytes) {
        if (address == 0) {
            return allocate(bytes);
        }
        byte[] old = block(address);
        long to = allocate(bytes);
        System.arraycopy(old, 0, blocks.get(to), 0, (int) Math.min(old.length, bytes));
        blocks.remove(address);
        return to;
    }

    public void free(long address) {
        if (address != 0 && blocks.remove(address) == null) {
            throw new JavaError("java/lang/InternalError", "free of native address " + Long.toHexString(address)
                    + ", which no block starts at");
        }
    }

    /** Whether {@code address} is native memory's (rather than a heap address). */
    public static boolean isNative(long address) {
        return address >= BASE;
    }

    /** A little-endian value of {@code size} bytes (the VM reports a little-endian machine). */
    public long get(long address, int size) {
        Map.Entry<Long, byte[]> e = entry(address, size);
        int at = (int) (address - e.getKey());
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = v << 8 | (e.getValue()[at + i] & 0xFF);
        }
        return v;
    }

    public void put(long address, int size, long value) {
        Map.Entry<Long, byte[]> e = entry(address, size);
        int at = (int) (address - e.getKey());
        for (int i = 0; i < size; i++) {
            e.getValue()[at + i] = (byte) (value >>> (8 * i));
        }
    }

    /** {@code length} bytes from {@code address} (within one block). */
    public byte[] read(long address, int length) {
        Map.Entry<Long, byte[]> e = entry(address, length);
        int at = (int) (address - e.getKey());
        return java.util.Arrays.copyOfRange(e.getValue(), at, at + length);
    }

    /** Writes {@code bytes[0, length)} at {@code address} (within one block). */
    public void write(long address, byte[] bytes, int length) {
        Map.Entry<Long, byte[]> e = entry(address, length);
        System.arraycopy(bytes, 0, e.getValue(), (int) (address - e.getKey()), length);
    }

    /** The blocks, for a checkpoint: count u4, (address u8, length u4, bytes)*, then the next address u8. */
    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(blocks.size());
            for (Map.Entry<Long, byte[]> e : blocks.entrySet()) {
                out.writeLong(e.getKey());
                out.writeInt(e.getValue().length);
                out.write(e.getValue());
            }
            out.writeLong(next);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Puts back the blocks a checkpoint carried ({@link #encode}), at their addresses. */
    public void restore(byte[] encoded) {
        blocks.clear();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            for (int n = in.readInt(); n > 0; n--) {
                long address = in.readLong();
                byte[] b = new byte[in.readInt()];
                in.readFully(b);
                blocks.put(address, b);
            }
            next = in.readLong();
        } catch (IOException e) {
            throw new IllegalArgumentException("the checkpoint's native memory is corrupt", e);
        }
    }

    private byte[] block(long address) {
        byte[] b = blocks.get(address);
        if (b == null) {
            throw new JavaError("java/lang/InternalError", "native address " + Long.toHexString(address)
                    + " starts no block");
        }
        return b;
    }

    private Map.Entry<Long, byte[]> entry(long address, int size) {
        Map.Entry<Long, byte[]> e = blocks.floorEntry(address);
        if (e == null || address + size > e.getKey() + e.getValue().length) {
            throw new JavaError("java/lang/InternalError", "native address " + Long.toHexString(address)
                    + " is outside every block of native memory");
        }
        return e;
    }
}
