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
 *   PATCH   app u4, line u8, base u8, depth u1, crc u4, runs      (format 2: read, no longer written)
 *                                                a line of the open epoch, as the runs that differ from an older
 *                                                version of it ({@link FlashLineVersions})
 *   COMMIT_PATCH app u4, checkpoint u8, base u8, depth u1, length u4, crc u4, runs
 *                                                a COMMIT whose VM state is the runs that differ from an older
 *                                                checkpoint's ({@link FlashStateVersions})
 *   MARK    number u8                            in the blobs' log: the last record before a sync (numbers grow)
 *   PACKED_PATCH app varint, line varint, base varint, depth u1, number varint, crc u4, runs
 *                                                a PATCH with its integers packed (unsigned LEB128) and the version's
 *                                                number since its line's whole version; what format 3 writes for a
 *                                                line that changed (a PATCH costs 26 bytes beside its runs, this
 *                                                about 14)
 *   REF     app varint, count varint, (line varint, at varint)...   a snapshot's line versions, each lying at a
 *                                                position; lines in order, each as its difference from the one before
 *   COMMIT_REF app varint, checkpoint varint, at varint   a snapshot's checkpoint, its COMMIT record lying at a position
 *   BLOB_REF hash 32 bytes, at varint            a snapshot's blob of an older store, lying at a position
 *   KEPT    a record                             a snapshot's copy of a version only patches need; not replayed
 *   FORWARD count varint, (from varint, to varint)...   a snapshot's forwards: a patch naming base from reads to
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
    static final byte PACKED_PATCH = 11;
    /** A cleaning's snapshot: versions that lie at positions (what flushes or earlier snapshots wrote). */
    static final byte REF = 12;
    /** A cleaning's snapshot: a checkpoint whose COMMIT or COMMIT_PATCH record lies at a position. */
    static final byte COMMIT_REF = 13;
    /** A cleaning's snapshot: a blob of an older store that lies at a position of the heap's log. */
    static final byte BLOB_REF = 14;
    /** A cleaning's snapshot: a version moved that only patches need (their base), wrapped: replay skips it. */
    static final byte KEPT = 15;
    /** A cleaning's snapshot: where records that patches name as their base lie now. */
    static final byte FORWARD = 16;
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

    /** An unsigned LEB128 varint: seven bits a byte, low first, the high bit set on all but the last. */
    FlashRecord varint(long v) {
        return write(() -> {
            long rest = v;
            while ((rest & ~0x7FL) != 0) {
                out.writeByte((int) (rest & 0x7F) | 0x80);
                rest >>>= 7;
            }
            out.writeByte((int) rest);
        });
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

    /** A record's fields read back from a position on, varints included; each read fails fast past the record. */
    static final class Fields {
        private final byte[] record;
        private int at;

        Fields(byte[] record, int from) {
            this.record = record;
            this.at = from;
        }

        /** An unsigned LEB128 varint of at most 63 bits. */
        long varint() throws IOException {
            long v = 0;
            for (int shift = 0; shift < 63; shift += 7) {
                int b = u1();
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw new IOException("a varint at byte " + at + " of a record of kind " + record[0] + " runs past 63 bits");
        }

        int u1() throws IOException {
            need(1);
            return record[at++] & 0xFF;
        }

        int u4() throws IOException {
            need(4);
            int v = java.nio.ByteBuffer.wrap(record, at, 4).getInt();
            at += 4;
            return v;
        }

        /** Where the next field starts. */
        int position() {
            return at;
        }

        private void need(int n) throws IOException {
            if (at + n > record.length) {
                throw new IOException("a record of kind " + record[0] + " ends at byte " + record.length + ", inside"
                        + " its fields");
            }
        }
    }
}
