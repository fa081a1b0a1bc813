package org.vheap.server.store;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.vheap.store.StoreException;

/**
 * The store's system blobs (table {@code system_blob}, migration {@code V3__system_segment.sql}): read-only,
 * content-addressed blobs (class files, shared class data) named by the SHA-256 of their bytes and shared by
 * every app of the store — what the lines of a device VM's system segment hold.
 *
 * <p><b>Contract.</b> Every method runs in one database transaction. {@link #put} recomputes each blob's
 * hash and refuses the whole call, storing nothing, if one does not match its name. Storing a blob that
 * exists is a no-op, also when several calls store the same blobs at once ({@code ON CONFLICT DO NOTHING});
 * a blob, once stored, never changes. The {@code app} of a call is checked against the name rules (it is
 * for routing and access control) but the app need not exist: blobs belong to the store, not to an app.
 *
 * <p><b>Lifetime.</b> Blobs are never deleted: deleting an app ({@link PgHeapStore#deleteApp}) keeps them,
 * since other apps, or a later app of the same name, may name the same blobs. A collector of the blobs no
 * heap names any more is future work.
 *
 * <p><b>Limits.</b> A call names at most {@link #MAX_BLOBS_PER_CALL} blobs and carries at most
 * {@link StoreSettings#maxSystemCallBytes()} bytes of blob data, in a put's request or a get's answer;
 * beyond them it fails with {@link StoreException.Reason#LIMIT_EXCEEDED} naming the limit.
 */
public final class SystemBlobs {
    /** The most blobs (or hashes) one call may name. */
    public static final int MAX_BLOBS_PER_CALL = 10_000;
    /** Bytes of a SHA-256. */
    public static final int HASH_BYTES = 32;
    /** Bytes of blob data sent in one INSERT statement. */
    private static final int INSERT_STATEMENT_BYTES = 8 << 20;
    private static final HexFormat HEX = HexFormat.of();

    /** One blob: its name (the SHA-256 of {@code data}) and its bytes. */
    public record Blob(byte[] sha256, byte[] data) {
    }

    /** The answer to {@link #get}: the blobs found and the hashes not found, each in request order. */
    public record Fetched(List<Blob> found, List<byte[]> missing) {
    }

    private final DataSource dataSource;
    private final Clock clock;
    private final int maxCallBytes;

    public SystemBlobs(DataSource dataSource, Clock clock, int maxCallBytes) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.maxCallBytes = maxCallBytes;
    }

    /**
     * Stores blobs, all or none; returns how many were new to the store. A blob named twice in the call,
     * or one the store has, is skipped.
     */
    public int put(String app, List<Blob> blobs) {
        HeapNames.checkApp(app);
        checkCount("blobs", blobs.size());
        MessageDigest sha256 = sha256();
        // ascending hash order: puts running side by side wait for each other's new rows in one order
        Map<byte[], byte[]> sorted = new TreeMap<>(Arrays::compareUnsigned);
        long bytes = 0;
        for (int i = 0; i < blobs.size(); i++) {
            Blob b = blobs.get(i);
            checkHash("blob", b.sha256(), i);
            bytes += b.data().length;
            if (bytes > maxCallBytes) {
                throw new StoreException(StoreException.Reason.LIMIT_EXCEEDED, "the blobs of one put may hold at most "
                        + maxCallBytes + " bytes; blobs 0.." + i + " already hold " + bytes
                        + " (put them in several calls); nothing was stored");
            }
            byte[] actual = sha256.digest(b.data());
            if (!Arrays.equals(actual, b.sha256())) {
                throw StoreException.invalid("blob " + i + " is named " + HEX.formatHex(b.sha256()) + " but the SHA-256"
                        + " of its " + b.data().length + " bytes is " + HEX.formatHex(actual) + "; nothing was stored");
            }
            sorted.putIfAbsent(b.sha256(), b.data());
        }
        if (sorted.isEmpty()) {
            return 0;
        }
        List<Map.Entry<byte[], byte[]>> entries = new ArrayList<>(sorted.entrySet());
        Timestamp now = Timestamp.from(clock.instant());
        return SqlTransactions.inTransaction(dataSource, c -> insert(c, entries, now));
    }

    /**
     * Inserts blobs whose names were checked, in ascending hash order, in the caller's transaction; returns how many
     * were new to the store.
     */
    static int insert(Connection c, List<Map.Entry<byte[], byte[]>> sortedEntries, Timestamp now) throws SQLException {
        int stored = 0;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO system_blob (sha256, data, size, created_at)"
                + " SELECT t.h, t.d, octet_length(t.d), ? FROM unnest(?::bytea[], ?::bytea[]) WITH ORDINALITY"
                + " AS t(h, d, n) ORDER BY t.n ON CONFLICT (sha256) DO NOTHING RETURNING 1")) {
            for (List<Map.Entry<byte[], byte[]>> batch
                    : SqlArrays.statementBatches(sortedEntries, e -> e.getValue().length, INSERT_STATEMENT_BYTES)) {
                ps.setTimestamp(1, now);
                ps.setArray(2, c.createArrayOf("bytea", batch.stream().map(Map.Entry::getKey).toArray(byte[][]::new)));
                ps.setArray(3, c.createArrayOf("bytea", batch.stream().map(Map.Entry::getValue).toArray(byte[][]::new)));
                // the rows returned, not the update count: Citus counts every row an INSERT ... SELECT into a
                // reference table offered, stored or not
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        stored++;
                    }
                }
            }
        }
        return stored;
    }

    /**
     * Fetches blobs. A hash named twice is answered once, at its first place. Fails with
     * {@link StoreException.Reason#LIMIT_EXCEEDED}, before reading any blob, if the blobs found hold more
     * than the per-call limit of bytes.
     */
    public Fetched get(String app, List<byte[]> hashes) {
        Map<ByteBuffer, byte[]> asked = distinctHashes(app, hashes);
        if (asked.isEmpty()) {
            return new Fetched(List.of(), List.of());
        }
        return SqlTransactions.inSnapshot(dataSource, c -> {
            Map<ByteBuffer, Integer> sizes = sizes(c, asked.values());
            long bytes = 0;
            for (int size : sizes.values()) {
                bytes += size;
            }
            if (bytes > maxCallBytes) {
                throw new StoreException(StoreException.Reason.LIMIT_EXCEEDED, "the " + sizes.size()
                        + " blobs asked for hold " + bytes + " bytes; one get may answer at most " + maxCallBytes
                        + " bytes (ask for fewer blobs at a time)");
            }
            Map<ByteBuffer, byte[]> data = data(c, sizes.keySet());
            List<Blob> found = new ArrayList<>();
            List<byte[]> missing = new ArrayList<>();
            asked.forEach((key, hash) -> {
                byte[] d = data.get(key);
                if (d == null) {
                    missing.add(hash);
                } else {
                    found.add(new Blob(hash, d));
                }
            });
            return new Fetched(found, missing);
        });
    }

    /** The hashes among these that the store lacks, in request order, each once. */
    public List<byte[]> missing(String app, List<byte[]> hashes) {
        Map<ByteBuffer, byte[]> asked = distinctHashes(app, hashes);
        if (asked.isEmpty()) {
            return List.of();
        }
        Map<ByteBuffer, Integer> present = SqlTransactions.withConnection(dataSource, c -> sizes(c, asked.values()));
        List<byte[]> missing = new ArrayList<>();
        asked.forEach((key, hash) -> {
            if (!present.containsKey(key)) {
                missing.add(hash);
            }
        });
        return missing;
    }

    // ---------------------------------------------------------------------------------------------------

    /** Checks a get's or find's request; returns its hashes, each once, in request order. */
    private static Map<ByteBuffer, byte[]> distinctHashes(String app, List<byte[]> hashes) {
        HeapNames.checkApp(app);
        checkCount("hashes", hashes.size());
        Map<ByteBuffer, byte[]> distinct = new LinkedHashMap<>();
        for (int i = 0; i < hashes.size(); i++) {
            checkHash("hash", hashes.get(i), i);
            distinct.putIfAbsent(ByteBuffer.wrap(hashes.get(i)), hashes.get(i));
        }
        return distinct;
    }

    /** The sizes of the blobs the store has among {@code hashes}, by hash. */
    static Map<ByteBuffer, Integer> sizes(Connection c, Collection<byte[]> hashes) throws SQLException {
        Map<ByteBuffer, Integer> sizes = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT sha256, size FROM system_blob WHERE sha256 = ANY (?)")) {
            ps.setArray(1, hashArray(c, hashes));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sizes.put(ByteBuffer.wrap(rs.getBytes(1)), rs.getInt(2));
                }
            }
        }
        return sizes;
    }

    /** The blobs the store has among {@code keys}, by hash. */
    static Map<ByteBuffer, byte[]> data(Connection c, Collection<ByteBuffer> keys) throws SQLException {
        Map<ByteBuffer, byte[]> data = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT sha256, data FROM system_blob WHERE sha256 = ANY (?)")) {
            ps.setArray(1, hashArray(c, keys.stream().map(ByteBuffer::array).toList()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    data.put(ByteBuffer.wrap(rs.getBytes(1)), rs.getBytes(2));
                }
            }
        }
        return data;
    }

    private static Array hashArray(Connection c, Collection<byte[]> hashes) throws SQLException {
        return c.createArrayOf("bytea", hashes.toArray(byte[][]::new));
    }

    private static void checkCount(String what, int count) {
        if (count > MAX_BLOBS_PER_CALL) {
            throw new StoreException(StoreException.Reason.LIMIT_EXCEEDED, "one call may name at most "
                    + MAX_BLOBS_PER_CALL + " " + what + ", got " + count + " (split it into several calls)");
        }
    }

    private static void checkHash(String what, byte[] hash, int index) {
        if (hash.length != HASH_BYTES) {
            throw StoreException.invalid(what + " " + index + " is named by a " + hash.length
                    + "-byte hash; a SHA-256 has " + HASH_BYTES + " bytes");
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
