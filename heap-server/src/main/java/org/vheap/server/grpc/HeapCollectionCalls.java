package org.vheap.server.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.function.LongSupplier;
import org.vheap.format.OfflineCollector;
import org.vheap.proto.v1.CollectHeapRequest;
import org.vheap.proto.v1.CollectHeapResponse;
import org.vheap.proto.v1.CollectedHeap;
import org.vheap.server.auth.AccessPolicy;
import org.vheap.server.inspect.OfflineCollections;

/** CollectHeap of {@code vheap.v1.HeapStore}: a suspended app's collection on the server, with progress. Admin only. */
final class HeapCollectionCalls {
    private final OfflineCollections collections;
    private final AccessPolicy access;
    private final LongSupplier nanoTime;

    HeapCollectionCalls(OfflineCollections collections, AccessPolicy access, LongSupplier nanoTime) {
        this.collections = collections;
        this.access = access;
        this.nanoTime = nanoTime;
    }

    void collect(CollectHeapRequest r, StreamObserver<CollectHeapResponse> out) {
        ServerCallStreamObserver<CollectHeapResponse> call = (ServerCallStreamObserver<CollectHeapResponse>) out;
        try {
            access.requireAdmin("collecting a heap");
            OfflineCollections.Collected c = collections.collect(r.getApp(), r.getCheckpointId(), r.getCompact(),
                    ToolProgress.throttled(p -> call.onNext(CollectHeapResponse.newBuilder().setProgress(p).build()),
                            nanoTime));
            OfflineCollector.Result x = c.result();
            call.onNext(CollectHeapResponse.newBuilder().setDone(CollectedHeap.newBuilder()
                    .setCheckpoint(ProtoMapping.checkpoint(c.checkpoint())).setFromCheckpointId(c.from().checkpointId())
                    .setForked(c.forked()).setObjects(x.objects()).setLiveBytes(x.liveBytes()).setFreedBytes(x.freedBytes())
                    .setMovedObjects(x.movedObjects()).setLinesWritten(x.linesWritten()).setLinesDeleted(x.linesDeleted())
                    .setLinesBefore(c.from().lineCount()).setTopBefore(x.topBefore()).setTopAfter(x.topAfter())).build());
            call.onCompleted();
        } catch (RuntimeException e) {
            if (!call.isCancelled()) {
                call.onError(StoreStatus.toStatus(e));
            }
        }
    }
}
