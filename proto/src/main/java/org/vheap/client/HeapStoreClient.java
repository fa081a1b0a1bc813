package org.vheap.client;

import io.grpc.Channel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.vheap.proto.v1.CommitCheckpointRequest;
import org.vheap.proto.v1.CommitCheckpointResponse;
import org.vheap.proto.v1.CommitHeader;
import org.vheap.proto.v1.HeapStoreGrpc;
import org.vheap.proto.v1.Line;
import org.vheap.proto.v1.LineBatch;

/**
 * A thin blocking client of the {@code vheap.v1.HeapStore} service: the generated stubs plus the one call
 * that needs plumbing, a checkpoint commit streamed in batches. The channel is the caller's to build (TLS,
 * target) and to shut down.
 */
public final class HeapStoreClient {
    /** Bytes of line data per commit message, well under the server's default 16 MiB message limit. */
    public static final int DEFAULT_BATCH_BYTES = 2 << 20;

    private final Channel channel;
    private final long deadlineMillis;

    public HeapStoreClient(Channel channel, long deadlineMillis) {
        if (deadlineMillis <= 0) {
            throw new IllegalArgumentException("deadline must be positive, got " + deadlineMillis);
        }
        this.channel = channel;
        this.deadlineMillis = deadlineMillis;
    }

    /** A blocking stub with this client's deadline, fresh per call (deadlines are absolute). */
    public HeapStoreGrpc.HeapStoreBlockingStub blocking() {
        return HeapStoreGrpc.newBlockingStub(channel).withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Commits a checkpoint: the header, then {@code writes} and {@code deletes} in batches of about
     * {@code batchBytes}, then half-close. Returns the server's answer; a failure arrives as the
     * {@link io.grpc.StatusRuntimeException} the server sent.
     */
    public CommitCheckpointResponse commit(CommitHeader header, List<Line> writes, List<Long> deletes, int batchBytes) {
        return commit(messages(header, writes, deletes, batchBytes));
    }

    /** The messages of a commit: the header, then the lines in batches of about {@code batchBytes}. */
    public static List<CommitCheckpointRequest> messages(CommitHeader header, List<Line> writes, List<Long> deletes,
                                                         int batchBytes) {
        List<CommitCheckpointRequest> messages = new ArrayList<>();
        messages.add(CommitCheckpointRequest.newBuilder().setHeader(header).build());
        LineBatch.Builder batch = LineBatch.newBuilder();
        long size = 0;
        for (Line l : writes) {
            batch.addWrites(l);
            size += l.getData().size() + 16;
            if (size >= batchBytes) {
                messages.add(CommitCheckpointRequest.newBuilder().setLines(batch).build());
                batch = LineBatch.newBuilder();
                size = 0;
            }
        }
        batch.addAllDeleteLineIds(deletes);
        if (batch.getWritesCount() > 0 || batch.getDeleteLineIdsCount() > 0) {
            messages.add(CommitCheckpointRequest.newBuilder().setLines(batch).build());
        }
        return messages;
    }

    /**
     * Commits a checkpoint made of these messages (header first), sending them as fast as gRPC flow
     * control lets and no faster, and stopping early if the server refuses.
     */
    public CommitCheckpointResponse commit(List<CommitCheckpointRequest> messages) {
        CompletableFuture<CommitCheckpointResponse> done = new CompletableFuture<>();
        HeapStoreGrpc.newStub(channel).withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS).commitCheckpoint(
                new ClientResponseObserver<CommitCheckpointRequest, CommitCheckpointResponse>() {
                    private int next;
                    private boolean closed;

                    @Override
                    public void beforeStart(ClientCallStreamObserver<CommitCheckpointRequest> requests) {
                        requests.setOnReadyHandler(() -> {
                            while (!closed && !done.isDone() && requests.isReady()) {
                                if (next < messages.size()) {
                                    requests.onNext(messages.get(next++));
                                } else {
                                    closed = true;
                                    requests.onCompleted();
                                }
                            }
                        });
                    }

                    @Override
                    public void onNext(CommitCheckpointResponse r) {
                        done.complete(r);
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        done.completeExceptionally(new IllegalStateException("the server closed the commit without an answer"));
                    }
                });
        try {
            return done.get(deadlineMillis + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while committing", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer to the commit within " + deadlineMillis + " ms", e);
        }
    }
}
