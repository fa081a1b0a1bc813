package org.vheap.server.grpc;

import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.vheap.proto.v1.HeapToolProgress;

/**
 * The progress a long heap-tool call (export, import, inspection) streams: small, advisory messages, at most one each
 * {@link #PROGRESS_NANOS} — except the first of each phase and the one that reaches the last line of phase "lines",
 * which always go.
 */
final class ToolProgress {
    /** Progress goes out at most this often. */
    static final long PROGRESS_NANOS = 100_000_000L;

    private ToolProgress() {
    }

    /** Passes the store's progress on to {@code send} as {@code vheap.v1.HeapToolProgress}, throttled. */
    static Consumer<org.vheap.server.store.HeapToolProgress> throttled(Consumer<HeapToolProgress> send, LongSupplier nanoTime) {
        long[] last = {0};
        String[] phase = {null};
        return p -> {
            long now = nanoTime.getAsLong();
            boolean lastLine = p.phase().equals("lines") && p.linesDone() == p.linesTotal();
            if (!p.phase().equals(phase[0]) || lastLine || now - last[0] >= PROGRESS_NANOS) {
                last[0] = now;
                phase[0] = p.phase();
                send.accept(HeapToolProgress.newBuilder().setPhase(p.phase()).setLinesDone(p.linesDone())
                        .setLinesTotal(p.linesTotal()).setBytesDone(p.bytesDone()).setObjectsDone(p.objectsDone()).build());
            }
        };
    }
}
