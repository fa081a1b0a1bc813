package org.vheap.device;

import java.util.Iterator;
import java.util.function.Function;
import org.vheap.proto.v1.CollectHeapRequest;
import org.vheap.proto.v1.CollectHeapResponse;
import org.vheap.proto.v1.CollectedHeap;
import org.vheap.proto.v1.HeapInspection;
import org.vheap.proto.v1.HeapVerdict;
import org.vheap.proto.v1.HistogramQuery;
import org.vheap.proto.v1.InspectHeapRequest;
import org.vheap.proto.v1.InspectHeapResponse;
import org.vheap.proto.v1.VerifyHeapRequest;
import org.vheap.proto.v1.VerifyHeapResponse;

/** The heap tools' streaming calls (inspect, verify, gc) as the tests ask them of a run's server: their answers. */
final class HeapToolCalls {
    private HeapToolCalls() {
    }

    /** The answer a streaming call ends with: the first message {@code answer} does not map to null. */
    static <R, T> T answer(Iterator<R> messages, Function<R, T> answer) {
        while (messages.hasNext()) {
            T done = answer.apply(messages.next());
            if (done != null) {
                return done;
            }
        }
        throw new AssertionError("the call ended without an answer");
    }

    static HeapInspection inspect(TestStores.Server server, InspectHeapRequest question) {
        return server.admin(stub -> answer(stub.inspectHeap(question), r -> r.hasDone() ? r.getDone() : null));
    }

    static HeapInspection histogram(TestStores.Server server, String app, long checkpoint) {
        return inspect(server, InspectHeapRequest.newBuilder().setApp(app).setCheckpointId(checkpoint)
                .setHistogram(HistogramQuery.getDefaultInstance()).build());
    }

    static HeapVerdict verify(TestStores.Server server, String app, long checkpoint) {
        return server.admin(stub -> answer(stub.verifyHeap(VerifyHeapRequest.newBuilder().setApp(app)
                .setCheckpointId(checkpoint).build()), (VerifyHeapResponse r) -> r.hasDone() ? r.getDone() : null));
    }

    static CollectedHeap collect(TestStores.Server server, String app, long checkpoint, boolean compact) {
        return server.admin(stub -> answer(stub.collectHeap(CollectHeapRequest.newBuilder().setApp(app)
                .setCheckpointId(checkpoint).setCompact(compact).build()),
                (CollectHeapResponse r) -> r.hasDone() ? r.getDone() : null));
    }
}
