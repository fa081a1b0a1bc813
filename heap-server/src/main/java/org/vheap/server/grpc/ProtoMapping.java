package org.vheap.server.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UnsafeByteOperations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.vheap.proto.v1.AppInfo;
import org.vheap.proto.v1.CheckpointInfo;
import org.vheap.proto.v1.Lease;
import org.vheap.proto.v1.Line;
import org.vheap.proto.v1.Quota;
import org.vheap.proto.v1.SystemBlob;
import org.vheap.server.store.AppQuota;
import org.vheap.server.store.AppRecord;
import org.vheap.server.store.CheckpointRecord;
import org.vheap.server.store.HeapLease;
import org.vheap.server.store.SystemBlobs;
import org.vheap.store.LineImage;

/** Store records to and from their protobuf messages. */
final class ProtoMapping {
    private ProtoMapping() {
    }

    static Timestamp timestamp(Instant i) {
        return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
    }

    static Lease lease(HeapLease g) {
        return Lease.newBuilder().setHolder(g.holder()).setFencingToken(g.fencingToken())
                .setExpiresAt(timestamp(g.expiresAt())).setLeaseMillis(g.length().toMillis()).build();
    }

    static CheckpointInfo checkpoint(CheckpointRecord c) {
        CheckpointInfo.Builder b = CheckpointInfo.newBuilder();
        if (c.pinnedUntil() != null) {
            b.setPinnedUntil(timestamp(c.pinnedUntil()));
        }
        return b
                .setCheckpointId(c.checkpointId())
                .setParentCheckpointId(c.parentCheckpointId())
                .setCreatedAt(timestamp(c.createdAt()))
                .setDevice(c.device())
                .setLineCount(c.lineCount())
                .setSizeBytes(c.sizeBytes())
                .setLinesWritten(c.linesWritten())
                .setVmStateBytes(c.vmStateBytes())
                .putAllMetadata(c.metadata())
                .build();
    }

    static AppInfo app(AppRecord a) {
        AppInfo.Builder b = AppInfo.newBuilder()
                .setApp(a.app())
                .setHeapId(a.heapId())
                .setLineSize(a.lineSize())
                .setCreatedAt(timestamp(a.createdAt()))
                .setCheckpointCount(a.checkpointCount());
        if (a.lease() != null) {
            b.setLease(lease(a.lease()));
        }
        if (a.newestCheckpoint() != null) {
            b.setNewestCheckpoint(checkpoint(a.newestCheckpoint()));
        }
        return b.build();
    }

    static List<LineImage> lines(List<Line> lines) {
        List<LineImage> out = new ArrayList<>(lines.size());
        for (Line l : lines) {
            out.add(new LineImage(l.getLineId(), l.getData().toByteArray()));
        }
        return out;
    }

    static Line line(long id, byte[] data) {
        return Line.newBuilder().setLineId(id).setData(UnsafeByteOperations.unsafeWrap(data)).build();
    }

    /** Bytes of a SHA-256. */
    static final int SHA256_BYTES = 32;

    /** Whether {@code data} has the SHA-256 {@code known} (a device's copy of a line is still current). */
    static boolean sameSha256(byte[] data, ByteString known) {
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(data);
            return java.security.MessageDigest.isEqual(h, known.toByteArray());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    static long[] ids(List<Long> ids) {
        long[] out = new long[ids.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ids.get(i);
        }
        return out;
    }

    static List<SystemBlobs.Blob> blobs(List<SystemBlob> blobs) {
        List<SystemBlobs.Blob> out = new ArrayList<>(blobs.size());
        for (SystemBlob b : blobs) {
            out.add(new SystemBlobs.Blob(b.getSha256().toByteArray(), b.getData().toByteArray()));
        }
        return out;
    }

    static SystemBlob blob(SystemBlobs.Blob b) {
        return SystemBlob.newBuilder().setSha256(UnsafeByteOperations.unsafeWrap(b.sha256()))
                .setData(UnsafeByteOperations.unsafeWrap(b.data())).build();
    }

    static List<byte[]> hashes(List<ByteString> hashes) {
        List<byte[]> out = new ArrayList<>(hashes.size());
        for (ByteString h : hashes) {
            out.add(h.toByteArray());
        }
        return out;
    }

    static Quota quota(AppQuota q) {
        return Quota.newBuilder().setMaxLines(q.maxLines()).setMaxBytes(q.maxBytes())
                .setMaxCheckpoints(q.maxCheckpoints()).setMaxCallsPerSecond(q.maxCallsPerSecond()).build();
    }

    /** A quota from the wire; INVALID_ARGUMENT for a negative limit. */
    static AppQuota quota(Quota q) {
        return new AppQuota(q.getMaxLines(), q.getMaxBytes(), q.getMaxCheckpoints(), q.getMaxCallsPerSecond());
    }
}
