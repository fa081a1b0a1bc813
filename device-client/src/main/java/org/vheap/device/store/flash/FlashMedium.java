package org.vheap.device.store.flash;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The non-volatile storage under a flash log (the seed's "non-volatile storage attached to the device, for example,
 * a flash card"): bytes appended at the end, read anywhere, made durable by {@link #sync}. What was appended but not
 * synced may be lost, in part, by a crash or a power loss: a log on it must find its end again from what it reads
 * ({@link FlashLogReader}). Not thread-safe: one log writes it.
 */
interface FlashMedium extends AutoCloseable {

    /** The bytes held: appended so far, synced or not. */
    long size() throws IOException;

    /** Appends every remaining byte of {@code bytes}. */
    void append(ByteBuffer bytes) throws IOException;

    /** Reads from {@code position} into {@code into} until it is full or the medium ends; returns the bytes read. */
    int read(long position, ByteBuffer into) throws IOException;

    /** Makes everything appended so far durable. */
    void sync() throws IOException;

    /** Drops every byte from {@code size} on: what a torn tail left behind a log's last whole record. */
    void truncate(long size) throws IOException;

    @Override
    void close() throws IOException;
}
