package org.vheap.device.store.flash;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The records a {@link FlashHeapStore} appends to its log, one kind byte then the kind's fields (big-endian):
 * <pre>
 *   CREATE  app u4, name UTF, line size u4       an app's heap is made (apps are numbered in the log)
 *   OPEN    app u4, token u8, base u8            a lease: a new open epoch on checkpoint base (0: none)
 *   LINE    app u4, line u8, bytes               a line of the open epoch
 *   DELETE  app u4, count u4, line u8 ...        lines the open epoch deletes
 *   COMMIT  app u4, checkpoint u8, VM state      the open epoch made a checkpoint, at once
 *   CLOSE   app u4                               the lease given back: the open epoch dropped
 *   BLOB    hash 32 bytes, bytes                 a system blob
 *   PATCH   app u4, line u8, base u8, depth u1, crc u4, runs
 *                                                a line of the open epoch, as the runs that differ from an older
 *                                                version of it ({@link FlashLineVersions})
 *   COMMIT_PATCH app u4, checkpoint u8, base u8, depth u1, length u4, crc u4, runs
 *                                                a COMMIT whose VM state is the runs that differ from an older
 *                                                checkpoint's ({@link FlashStateVersions})
 *   MARK    number u8                            in the blobs' log: the last record before a sync (numbers grow)
 * </pre>
 * A checkpoint is one COMMIT record: the lines its epoch wrote before it become visible together, or (torn or
 * lost) not at all.
 */
final class FlashRecord {
    static final byte CREATE = 1;
    static final byte OPEN = 2;
    static final byte LINE = 3;
    static final byte DELETE = 4;
    static final byte COMMIT = 5;
    static final byte CLOSE = 6;
    static final byte BLOB = 7;
    static final byte PATCH = 8;
    static final byte COMMIT_PATCH = 9;
    static final byte MARK = 10;
    /** Where a LINE record's bytes start: kind, app, line. */
    static final int LINE_DATA = 1 + 4 + 8;
    /** Where a DELETE record's line ids start: kind, app, count. */
    static final int DELETE_DATA = 1 + 4 + 4;
    /** An OPEN record's bytes: kind, app, fencing token, base checkpoint. */
    static final int OPEN_SIZE = 1 + 4 + 8 + 8;
    /** Where a COMMIT record's VM state starts: kind, app, checkpoint. */
    static final int COMMIT_STATE = 1 + 4 + 8;
    /** Where a BLOB record's bytes start: kind, hash. */
    static final int BLOB_DATA = 1 + 32;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(bytes);

    private FlashRecord(byte kind) {
        write(() -> out.writeByte(kind));
    }

    static FlashRecord of(byte kind) {
        return new FlashRecord(kind);
    }

    FlashRecord u1(int v) {
        return write(() -> out.writeByte(v));
    }

    FlashRecord u4(int v) {
        return write(() -> out.writeInt(v));
    }

    FlashRecord u8(long v) {
        return write(() -> out.writeLong(v));
    }

    FlashRecord utf(String s) {
        return write(() -> out.writeUTF(s));
    }

    FlashRecord bytes(byte[] b) {
        return write(() -> out.write(b));
    }

    byte[] toBytes() {
        return bytes.toByteArray();
    }

    private FlashRecord write(IoStep step) {
        try {
            step.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // into memory: does not happen
        }
        return this;
    }

    private interface IoStep {
        void run() throws IOException;
    }

    /** A record read back: its kind, then its fields in order. */
    static DataInputStream in(byte[] record) {
        return new DataInputStream(new ByteArrayInputStream(record));
    }
}
