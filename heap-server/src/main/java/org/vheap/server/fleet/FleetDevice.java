package org.vheap.server.fleet;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.vheap.client.HeapStoreClient;
import org.vheap.proto.v1.CommitHeader;
import org.vheap.proto.v1.Line;
import org.vheap.proto.v1.OpenHeapRequest;
import org.vheap.proto.v1.RenewLeaseRequest;
import org.vheap.proto.v1.TransactRequest;
import org.vheap.proto.v1.TransactResponse;

/**
 * One synthetic device: the store calls of a device running an app ({@link FleetWorkload}), one per {@link #step},
 * through the real store client. It creates its app's heap on its first step, then renews its lease, faults lines
 * in, flushes written lines (counted, as a device's flushes are) and commits checkpoints. Not thread-safe: a run
 * calls one device from one thread at a time.
 */
final class FleetDevice {
    /** What a step did. */
    enum Call { OPEN, RENEW, FAULT, FLUSH, CHECKPOINT }

    private final String app;
    private final String name;
    private final HeapStoreClient client;
    private final FleetWorkload work;
    private final SplittableRandom random;
    private final byte[] content;
    private final Map<Long, Line> sinceCheckpoint = new LinkedHashMap<>();
    private long token;
    private long acknowledged;
    private long renewedAt;
    private long steps;
    private long linesWritten;

    FleetDevice(String app, String name, HeapStoreClient client, FleetWorkload work, long seed) {
        this.app = app;
        this.name = name;
        this.client = client;
        this.work = work;
        this.random = new SplittableRandom(seed);
        this.content = new byte[work.lineSize()];
        random.nextBytes(content);
    }

    String app() {
        return app;
    }

    /** Lines this device sent (flushes and checkpoints). */
    long linesWritten() {
        return linesWritten;
    }

    /** Makes the device's next call at {@code nowNanos}; throws what the store answered when it failed. */
    Call step(long nowNanos) {
        if (token == 0) {
            token = client.blocking().openHeap(OpenHeapRequest.newBuilder().setApp(app).setDevice(name).setCreate(true)
                    .setLineSize(work.lineSize()).setLeaseMillis(work.lease().toMillis()).build()).getLease().getFencingToken();
            renewedAt = nowNanos;
            return Call.OPEN;
        }
        if (nowNanos - renewedAt > work.lease().toNanos() / 3) {
            client.blocking().renewLease(RenewLeaseRequest.newBuilder().setApp(app).setFencingToken(token)
                    .setLeaseMillis(work.lease().toMillis()).build());
            renewedAt = nowNanos;
            return Call.RENEW;
        }
        steps++;
        if (steps % work.checkpointEvery() == 0) {
            List<Line> last = new ArrayList<>(sinceCheckpoint.values());
            client.commit(CommitHeader.newBuilder().setApp(app).setFencingToken(token).setDevice(name)
                    .setFlushesAcknowledged(acknowledged).setVmState(ByteString.copyFrom(content, 0, 64)).build(),
                    last, List.of(), HeapStoreClient.DEFAULT_BATCH_BYTES);
            linesWritten += last.size();
            sinceCheckpoint.clear();
            return Call.CHECKPOINT;
        }
        if (random.nextDouble() < work.faultShare()) {
            TransactRequest.Builder read = TransactRequest.newBuilder().setApp(app).setFencingToken(token)
                    .setFlushesAcknowledged(acknowledged);
            for (int i = 0; i < work.readLines(); i++) {
                read.addReadLineIds(random.nextInt(work.heapLines()));
            }
            client.blocking().transact(read.build());
            return Call.FAULT;
        }
        Map<Long, Line> batch = new LinkedHashMap<>();   // a line once per flush
        for (int i = 0; i < work.writeLines(); i++) {
            long id = random.nextInt(work.heapLines());
            content[(int) (steps % content.length)]++;
            batch.put(id, Line.newBuilder().setLineId(id).setData(ByteString.copyFrom(content)).build());
        }
        TransactResponse r = client.blocking().transact(TransactRequest.newBuilder().setApp(app).setFencingToken(token)
                .setFlushesAcknowledged(acknowledged).addAllWrites(batch.values()).build());
        acknowledged = r.getFlushesHeld();
        sinceCheckpoint.putAll(batch);
        linesWritten += batch.size();
        return Call.FLUSH;
    }
}
