package org.vheap.server.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Many line versions into one epoch by PostgreSQL's binary {@code COPY}: a quarter faster than the INSERT of
 * arrays for megabytes of lines (no array to parse, no conflict to look up per row), which is what a checkpoint's
 * lines are. {@code COPY} has no {@code ON CONFLICT}, so the epoch's earlier versions of these lines are deleted
 * first: the last write of a line in an epoch replaces the one before, as with the INSERT. In the caller's
 * transaction, which holds the heap row's lock and has checked the token and the lines' lengths.
 *
 * <p>Risk: two transactions writing the same line into the same epoch at once make the second {@code COPY} fail
 * on the key; under a savepoint its rows then go by the INSERT ({@code fallback}), which waits and replaces, so
 * the line ends with the value of whichever commits last. A commit stream never has two writes ahead of one line
 * in flight (it waits for the first), and a device's flushes and commits take turns, so for a device both orders
 * are the same; two other writers of one line under one lease may also deadlock (PostgreSQL then aborts one,
 * which changes nothing).
 *
 * <p>The binary format (PostgreSQL's {@code COPY} documentation): the 11-byte signature, a 32-bit flags field
 * and a 32-bit header-extension length (both 0); per row a 16-bit field count, then per field a 32-bit length
 * (-1: NULL) and the bytes ({@code int8} as 8 bytes, big-endian); a 16-bit -1 ends the data.
 */
final class VersionCopy {
    private static final byte[] SIGNATURE = "PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final String COPY_SQL = "COPY line_version (heap_id, line_id, epoch, data) FROM STDIN (FORMAT binary)";
    private static final int BUFFER_BYTES = 1 << 20;

    /** What writes the rows instead when the copy meets a concurrent writer of one of its lines. */
    interface Fallback {
        void write() throws SQLException;
    }

    private VersionCopy() {
    }

    /** Writes {@code lineIds[i]} with {@code data[i]} (null: a deletion) into {@code epoch} of the heap. */
    static void write(Connection c, long heapId, long epoch, long[] lineIds, byte[][] data, Fallback fallback)
            throws SQLException {
        Savepoint before = c.setSavepoint();
        try {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM line_version WHERE heap_id = ? AND epoch = ? AND line_id = ANY (?)")) {
                ps.setLong(1, heapId);
                ps.setLong(2, epoch);
                ps.setArray(3, SqlArrays.int8(c, lineIds));
                ps.executeUpdate();
            }
            copy(c, heapId, epoch, lineIds, data);
        } catch (SQLException e) {
            if (!SqlErrors.isUniqueViolation(e)) {   // a concurrent writer of one of the lines
                throw e;
            }
            c.rollback(before);
            fallback.write();
        }
        c.releaseSavepoint(before);
    }

    private static void copy(Connection c, long heapId, long epoch, long[] lineIds, byte[][] data) throws SQLException {
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY_SQL);
        try {
            ByteBuffer b = ByteBuffer.allocate(BUFFER_BYTES);
            b.put(SIGNATURE).putInt(0).putInt(0);
            for (int i = 0; i < lineIds.length; i++) {
                int length = data[i] == null ? 0 : data[i].length;
                // the field count, three int8s and the data's length, the data, room for the trailer
                if (b.remaining() < 2 + 3 * 12 + 4 + length + 2) {
                    in.writeToCopy(b.array(), 0, b.position());
                    b.clear();
                }
                b.putShort((short) 4).putInt(8).putLong(heapId).putInt(8).putLong(lineIds[i]).putInt(8).putLong(epoch);
                if (data[i] == null) {
                    b.putInt(-1);
                } else if (b.remaining() >= 4 + length + 2) {
                    b.putInt(length).put(data[i]);
                } else {   // a line larger than the buffer: its bytes go on their own
                    b.putInt(length);
                    in.writeToCopy(b.array(), 0, b.position());
                    in.writeToCopy(data[i], 0, length);
                    b.clear();
                }
            }
            b.putShort((short) -1);
            in.writeToCopy(b.array(), 0, b.position());
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }
}
