package org.vheap.server.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.vheap.proto.v1.LinePatch;
import org.vheap.proto.v1.TransactRequest;
import org.vheap.proto.v1.TransactResponse;
import org.vheap.server.store.PgHeapStore;
import org.vheap.store.LinePatches;

/**
 * The read part of a {@code Transact}'s answer (the versioned delta), line by line in request order: a line that
 * does not exist is missing; one whose content has the hash of the caller's copy ({@code read_known_sha256}) is
 * unchanged; one that changed since that copy is, when the caller accepts patches and the store still holds a
 * version with the copy's hash, a patch against the copy ({@link LinePatches}) if that is under half a line; any
 * other is the whole line. Finding the copies costs one more statement, and only for calls that have changed
 * lines with known hashes (a device that returns to an app).
 */
final class TransactReads {
    private TransactReads() {
    }

    static void answer(TransactRequest r, long[] reads, Map<Long, byte[]> found, PgHeapStore store,
                       TransactResponse.Builder b) {
        boolean known = r.getReadKnownSha256Count() != 0;
        List<Integer> changed = new ArrayList<>();   // indexes of reads that changed since a known copy
        boolean[] unchanged = new boolean[reads.length];
        for (int i = 0; i < reads.length; i++) {
            byte[] data = found.get(reads[i]);
            if (data == null || !known || r.getReadKnownSha256(i).isEmpty()) {
                continue;
            }
            if (ProtoMapping.sameSha256(data, r.getReadKnownSha256(i))) {
                unchanged[i] = true;
                b.addUnchangedLineIds(reads[i]);
            } else {
                changed.add(i);
            }
        }
        Map<Long, byte[]> copies = r.getAcceptLinePatches() && !changed.isEmpty()
                ? copies(r, reads, changed, store) : Map.of();
        for (int i = 0; i < reads.length; i++) {
            if (unchanged[i]) {
                continue;
            }
            long id = reads[i];
            byte[] data = found.get(id);
            if (data == null) {
                b.addMissingLineIds(id);
                continue;
            }
            byte[] copy = copies.get(id);
            byte[] runs = copy == null ? null : LinePatches.diff(copy, data);
            if (runs != null && runs.length < data.length / 2) {
                b.addLinePatches(LinePatch.newBuilder().setLineId(id).setRuns(UnsafeByteOperations.unsafeWrap(runs))
                        .setCrc32C(LinePatches.crc32c(data)));
            } else {
                b.addLines(ProtoMapping.line(id, data));
            }
        }
    }

    /**
     * The caller's copies of the changed lines, as far as the store still holds versions with their hashes; none
     * when looking them up fails (patches are an economy: the lines then travel whole, and the call's writes, done
     * already, stand).
     */
    private static Map<Long, byte[]> copies(TransactRequest r, long[] reads, List<Integer> changed, PgHeapStore store) {
        long[] ids = new long[changed.size()];
        byte[][] hashes = new byte[changed.size()][];
        for (int k = 0; k < ids.length; k++) {
            ids[k] = reads[changed.get(k)];
            ByteString h = r.getReadKnownSha256(changed.get(k));
            hashes[k] = h.toByteArray();
        }
        try {
            return store.versionsBySha256(r.getApp(), ids, hashes);
        } catch (RuntimeException e) {
            return Map.of();
        }
    }
}
