package org.vheap.client;

import com.google.protobuf.ByteString;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.vheap.proto.v1.ExportHeapRequest;
import org.vheap.proto.v1.ExportHeapResponse;
import org.vheap.proto.v1.HeapStoreGrpc;
import org.vheap.proto.v1.HeapToolProgress;
import org.vheap.proto.v1.ImportHeader;
import org.vheap.proto.v1.ImportHeapRequest;
import org.vheap.proto.v1.ImportHeapResponse;
import org.vheap.proto.v1.ImportedHeap;

/**
 * The client side of ExportHeap and ImportHeap: a checkpoint's heap image file written to a stream as the server
 * sends it, and a file sent to the server under gRPC flow control. No deadline: a big heap takes as long as it takes
 * (cancel the channel to stop). The channel is the caller's: its target, TLS and admin token.
 */
public final class HeapImageTransfer {
    /** The file goes to the server in messages of this size. */
    public static final int CHUNK_BYTES = 1 << 20;

    private HeapImageTransfer() {
    }

    /**
     * Exports checkpoint {@code checkpointId} (0: the newest) of {@code app} to {@code out}; returns the file's bytes.
     *
     * @throws StatusRuntimeException as the server refused (NOT_FOUND: no such app or checkpoint)
     */
    public static long export(Channel channel, String app, long checkpointId, OutputStream out,
                              Consumer<HeapToolProgress> progress) {
        // a failure here (the file cannot be written, the caller's progress throws) cancels the call, so the server
        // lets go of its snapshot at once rather than after its stall timeout
        Context.CancellableContext call = Context.current().withCancellation();
        Context previous = call.attach();
        try {
            Iterator<ExportHeapResponse> responses = HeapStoreGrpc.newBlockingStub(channel)
                    .withInterceptors(VheapHeaders.forApp(app))
                    .exportHeap(ExportHeapRequest.newBuilder().setApp(app).setCheckpointId(checkpointId).build());
            long bytes = 0;
            while (responses.hasNext()) {
                ExportHeapResponse r = responses.next();
                if (r.hasProgress()) {
                    progress.accept(r.getProgress());
                } else {
                    r.getFileBytes().writeTo(out);
                    bytes += r.getFileBytes().size();
                }
            }
            out.flush();
            return bytes;
        } catch (IOException e) {
            call.cancel(e);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            call.cancel(e);
            throw e;
        } finally {
            call.detach(previous);
            call.close();
        }
    }

    /**
     * Imports the heap image {@code file} as {@code app} ("": the name in the file); returns what the server made.
     *
     * @throws StatusRuntimeException as the server refused (INVALID_ARGUMENT: a damaged file; FAILED_PRECONDITION: a
     *                                name taken without replace, or held by a device); nothing was imported then
     */
    public static ImportedHeap importFile(Channel channel, String app, boolean replace, InputStream file,
                                          Consumer<HeapToolProgress> progress) {
        CompletableFuture<ImportedHeap> done = new CompletableFuture<>();
        List<ClientCallStreamObserver<ImportHeapRequest>> started = new CopyOnWriteArrayList<>();
        HeapStoreGrpc.newStub(channel).withInterceptors(VheapHeaders.forApp(app)).importHeap(
                new ClientResponseObserver<ImportHeapRequest, ImportHeapResponse>() {
                    private ClientCallStreamObserver<ImportHeapRequest> requests;
                    private boolean headerSent;
                    private boolean ended;

                    @Override
                    public void beforeStart(ClientCallStreamObserver<ImportHeapRequest> r) {
                        requests = r;
                        started.add(r);
                        r.setOnReadyHandler(this::pump);
                    }

                    /** Sends as much of the file as the transport takes now; runs again when it takes more. */
                    private synchronized void pump() {
                        try {
                            while (!ended && requests.isReady()) {
                                if (!headerSent) {
                                    requests.onNext(ImportHeapRequest.newBuilder().setHeader(ImportHeader.newBuilder()
                                            .setApp(app).setReplace(replace)).build());
                                    headerSent = true;
                                }
                                byte[] chunk = file.readNBytes(CHUNK_BYTES);
                                if (chunk.length > 0) {
                                    requests.onNext(ImportHeapRequest.newBuilder()
                                            .setFileBytes(ByteString.copyFrom(chunk)).build());
                                }
                                if (chunk.length < CHUNK_BYTES) {
                                    ended = true;
                                    requests.onCompleted();
                                }
                            }
                        } catch (IOException e) {
                            ended = true;
                            requests.onError(Status.CANCELLED.withDescription("cannot read the file").asException());
                            done.completeExceptionally(new UncheckedIOException(e));
                        }
                    }

                    @Override
                    public void onNext(ImportHeapResponse r) {
                        if (r.hasProgress()) {
                            progress.accept(r.getProgress());
                        } else {
                            done.complete(r.getDone());
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        done.completeExceptionally(Status.INTERNAL.withDescription("the server ended the import"
                                + " without an answer").asRuntimeException());
                    }
                });
        try {
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            started.forEach(r -> r.cancel("the importing thread was interrupted", null));   // the server imports nothing
            throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re
                    : Status.fromThrowable(e.getCause()).asRuntimeException();
        }
    }
}
