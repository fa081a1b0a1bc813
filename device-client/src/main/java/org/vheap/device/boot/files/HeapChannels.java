package org.vheap.device.boot.files;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import org.vheap.device.boot.net.HeapSockets;

/**
 * {@code FileChannel}'s reads and writes over the app's files ({@link HeapFiles}): the VM substitutes the JDK's
 * {@code sun.nio.ch.IOUtil} read and write methods with these, which move bytes between a buffer and a file without
 * the native memory ({@code read0(fd, address, len)}) the JDK's own path goes through. The JDK's {@code FileChannelImpl}
 * runs unmodified around them (positions, locks, interrupts, closing). Results follow {@code IOUtil}'s: the bytes
 * moved, -1 at the end of the file. A socket channel's descriptor ({@code SocketChannel}) goes to the sockets'
 * {@link HeapSockets} instead, whose -2 (IOStatus.UNAVAILABLE) says a read or write would block.
 */
public final class HeapChannels {
    /** The heap buffer a transfer between channels copies through. */
    private static final int TRANSFER_BUFFER = 8192;

    private HeapChannels() {
    }

    /** {@code IOUtil.read(fd, dst, position, directIO, async, alignment, nd)}; {@code position} -1: the file's own. */
    public static int read(FileDescriptor fd, ByteBuffer dst, long position, boolean directIO, boolean async,
                           int alignment, Object nd) throws IOException {
        int number = HeapFiles.number(fd);
        int remaining = dst.remaining();
        if (remaining == 0) {
            return 0;
        }
        byte[] bytes = dst.hasArray() ? dst.array() : new byte[remaining];
        int off = dst.hasArray() ? dst.arrayOffset() + dst.position() : 0;
        int n = HeapSockets.isSocket(number) ? HeapSockets.read(number, bytes, off, remaining)
                : position < 0 ? HeapFiles.read(number, bytes, off, remaining)
                : HeapFiles.readAt(number, bytes, off, remaining, position);
        if (n > 0) {
            if (dst.hasArray()) {
                dst.position(dst.position() + n);
            } else {
                dst.put(bytes, 0, n);
            }
        }
        return n;
    }

    /** {@code IOUtil.write(fd, src, position, directIO, async, alignment, nd)}. */
    public static int write(FileDescriptor fd, ByteBuffer src, long position, boolean directIO, boolean async,
                            int alignment, Object nd) throws IOException {
        int number = HeapFiles.number(fd);
        int remaining = src.remaining();
        if (remaining == 0) {
            return 0;
        }
        byte[] bytes;
        int off;
        if (src.hasArray()) {
            bytes = src.array();
            off = src.arrayOffset() + src.position();
        } else {
            bytes = new byte[remaining];
            off = 0;
            src.duplicate().get(bytes);
        }
        int n = remaining;
        if (HeapSockets.isSocket(number)) {
            n = HeapSockets.write(number, bytes, off, remaining);   // part, or -2 when the socket takes nothing now
        } else if (position < 0) {
            HeapFiles.write(number, bytes, off, remaining);
        } else {
            HeapFiles.writeAt(number, bytes, off, remaining, position);
        }
        if (n > 0) {
            src.position(src.position() + n);
        }
        return n;
    }

    /** {@code IOUtil.read(fd, dsts, offset, length, directIO, async, alignment, nd)}: a scattering read. */
    public static long read(FileDescriptor fd, ByteBuffer[] dsts, int offset, int length, boolean directIO,
                            boolean async, int alignment, Object nd) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            if (!dsts[i].hasRemaining()) {
                continue;
            }
            int n = read(fd, dsts[i], -1, directIO, async, alignment, nd);
            if (n < 0) {   // the end, or (a socket) nothing to read now
                return total == 0 ? n : total;
            }
            total += n;
            if (dsts[i].hasRemaining()) {
                break;
            }
        }
        return total;
    }

    /** {@code IOUtil.write(fd, srcs, offset, length, directIO, async, alignment, nd)}: a gathering write. */
    public static long write(FileDescriptor fd, ByteBuffer[] srcs, int offset, int length, boolean directIO,
                             boolean async, int alignment, Object nd) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            int n = write(fd, srcs[i], -1, directIO, async, alignment, nd);
            if (n < 0) {   // a socket that takes nothing now
                return total == 0 ? n : total;
            }
            total += n;
            if (srcs[i].hasRemaining()) {
                break;
            }
        }
        return total;
    }

    /**
     * {@code FileChannelImpl.transferToArbitraryChannel}: up to {@code count} bytes from {@code position} of the
     * channel {@code self} to {@code target}, through a heap buffer (the JDK's own goes through native memory);
     * stops at the end of the file or at a write {@code target} takes only part of.
     */
    public static long transferTo(Object self, long position, long count, WritableByteChannel target)
            throws IOException {
        FileChannel source = (FileChannel) self;
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(count, TRANSFER_BUFFER));
        long done = 0;
        while (done < count) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), count - done));
            if (source.read(buffer, position + done) <= 0) {
                break;
            }
            buffer.flip();
            done += target.write(buffer);
            if (buffer.hasRemaining()) {
                break;
            }
        }
        return done;
    }

    /**
     * {@code FileChannelImpl.transferFromFileChannel} and {@code transferFromArbitraryChannel}: up to {@code count}
     * bytes read from {@code src} (from its position, which moves) written at {@code position} of the channel
     * {@code self}, through a heap buffer; stops when {@code src} has no more.
     */
    public static long transferFrom(Object self, Object src, long position, long count) throws IOException {
        FileChannel sink = (FileChannel) self;
        ReadableByteChannel source = (ReadableByteChannel) src;
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(count, TRANSFER_BUFFER));
        long done = 0;
        while (done < count) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), count - done));
            if (source.read(buffer) <= 0) {
                break;
            }
            buffer.flip();
            while (buffer.hasRemaining()) {
                done += sink.write(buffer, position + done);
            }
        }
        return done;
    }

    /** {@code FileDispatcherImpl.seek0}: with a negative offset, the position; else moves it there. */
    public static long seek(FileDescriptor fd, long offset) throws IOException {
        int number = HeapFiles.number(fd);
        if (offset >= 0) {
            HeapFiles.seek(number, offset);
        }
        return HeapFiles.position(number);
    }

    public static long size(FileDescriptor fd) throws IOException {
        return HeapFiles.length(HeapFiles.number(fd));
    }

    /** {@code FileKey.init}: the key of the file {@code fd} names (its inode, on the one device of the file system). */
    public static void fileKey(Object key, FileDescriptor fd) throws IOException {
        setFileKey(key, 1, HeapFiles.node(HeapFiles.number(fd)).inode);
    }

    /** Sets a {@code sun.nio.ch.FileKey}'s device and inode numbers. */
    private static native void setFileKey(Object key, long device, long inode);

    /** {@code FileDispatcherImpl.truncate0}: 0 when done. */
    public static int truncate(FileDescriptor fd, long size) throws IOException {
        HeapFiles.truncate(HeapFiles.number(fd), size);
        return 0;
    }
}
