package org.vheap.server.grpc;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.vheap.format.HeapImageException;
import org.vheap.format.HeapImageReader;
import org.vheap.proto.v1.ExportHeapRequest;
import org.vheap.proto.v1.ExportHeapResponse;
import org.vheap.proto.v1.HeapToolProgress;
import org.vheap.proto.v1.ImportHeader;
import org.vheap.proto.v1.ImportHeapRequest;
import org.vheap.proto.v1.ImportHeapResponse;
import org.vheap.proto.v1.ImportedHeap;
import org.vheap.security.AccessTokens;
import org.vheap.server.auth.AccessPolicy;
import org.vheap.server.store.PgHeapStore;

/**
 * The heap-image calls of {@code vheap.v1.HeapStore}: ExportHeap streams a checkpoint's image file as it is written
 * (flow-controlled, a megabyte a message, with progress between); ImportHeap spools the file it receives to a
 * temporary file, then imports it in one store transaction, answering with progress and what it made. Both need the
 * admin token.
 *
 * <p>Progress messages are small and advisory ({@link ToolProgress}), sent without waiting for flow control (waiting
 * for the file's last megabyte to drain before each one took an export over loopback from 0.6 s to 2.1 s for 52 MB of
 * heap).
 */
final class HeapImageCalls {
    /** The file's bytes go out in messages of this size. */
    static final int CHUNK_BYTES = 1 << 20;

    private final PgHeapStore store;
    private final AccessPolicy access;
    private final LongSupplier nanoTime;

    HeapImageCalls(PgHeapStore store, AccessPolicy access, LongSupplier nanoTime) {
        this.store = store;
        this.access = access;
        this.nanoTime = nanoTime;
    }

    private Consumer<org.vheap.server.store.HeapToolProgress> throttled(Consumer<HeapToolProgress> send) {
        return ToolProgress.throttled(send, nanoTime);
    }

    void export(ExportHeapRequest r, StreamObserver<ExportHeapResponse> out) {
        ServerCallStreamObserver<ExportHeapResponse> call = (ServerCallStreamObserver<ExportHeapResponse>) out;
        FlowGate gate = new FlowGate(call);
        try {
            access.requireAdmin("exporting a heap");
            OutputStream file = new BufferedOutputStream(new OutputStream() {
                @Override
                public void write(int b) {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    for (int at = off; at < off + len; at += CHUNK_BYTES) {   // a section may be larger than a message
                        gate.awaitReady();
                        call.onNext(ExportHeapResponse.newBuilder().setFileBytes(ByteString.copyFrom(b, at,
                                Math.min(CHUNK_BYTES, off + len - at))).build());
                    }
                }
            }, CHUNK_BYTES);
            store.exportHeap(r.getApp(), r.getCheckpointId(), file,
                    throttled(p -> call.onNext(ExportHeapResponse.newBuilder().setProgress(p).build())));
            file.flush();
            call.onCompleted();
        } catch (IOException e) {
            call.onError(StoreStatus.toStatus(new UncheckedIOException(e)));
        } catch (RuntimeException e) {
            if (!call.isCancelled()) {
                call.onError(StoreStatus.toStatus(e));
            }
        }
    }

    StreamObserver<ImportHeapRequest> importing(StreamObserver<ImportHeapResponse> out) {
        return new ImportStream(out);
    }

    /** One import: the header, the file's bytes spooled to a temporary file, then the import when the client ends. */
    private final class ImportStream implements StreamObserver<ImportHeapRequest> {
        private final StreamObserver<ImportHeapResponse> out;
        private ImportHeader header;
        private Path spool;
        private OutputStream spooled;
        private boolean failed;

        ImportStream(StreamObserver<ImportHeapResponse> out) {
            this.out = out;
        }

        @Override
        public void onNext(ImportHeapRequest m) {
            if (failed) {
                return;
            }
            try {
                switch (m.getPartCase()) {
                    case HEADER -> {
                        if (header != null) {
                            throw Status.INVALID_ARGUMENT.withDescription("an import has exactly one header")
                                    .asRuntimeException();
                        }
                        access.requireAdmin("importing a heap");
                        header = m.getHeader();
                        spool = Files.createTempFile("vheap-import-", ".vheap");
                        spooled = new BufferedOutputStream(Files.newOutputStream(spool), CHUNK_BYTES);
                    }
                    case FILE_BYTES -> {
                        if (header == null) {
                            throw Status.INVALID_ARGUMENT.withDescription("an import starts with its header")
                                    .asRuntimeException();
                        }
                        m.getFileBytes().writeTo(spooled);
                    }
                    default -> throw Status.INVALID_ARGUMENT.withDescription("empty import message").asRuntimeException();
                }
            } catch (IOException e) {
                fail(new UncheckedIOException("cannot spool the import to a temporary file: " + e.getMessage(), e));
            } catch (RuntimeException e) {
                fail(e);
            }
        }

        @Override
        public void onError(Throwable t) {
            failed = true;   // the client went away: import nothing
            discard();
        }

        @Override
        public void onCompleted() {
            if (failed) {
                return;
            }
            if (header == null) {
                fail(Status.INVALID_ARGUMENT.withDescription("an import needs a header").asRuntimeException());
                return;
            }
            PgHeapStore.Imported made;
            String token = AccessTokens.generate();
            try {
                spooled.close();
                try (InputStream in = new BufferedInputStream(Files.newInputStream(spool), CHUNK_BYTES);
                     HeapImageReader reader = reader(in)) {
                    made = store.importHeap(header.getApp(), header.getReplace(), reader, AccessTokens.sha256(token),
                            throttled(p -> out.onNext(ImportHeapResponse.newBuilder().setProgress(p).build())));
                }
            } catch (IOException e) {
                fail(new UncheckedIOException(e));
                return;
            } catch (RuntimeException e) {
                fail(e);
                return;
            } finally {
                discard();
            }
            out.onNext(ImportHeapResponse.newBuilder().setDone(ImportedHeap.newBuilder().setApp(made.app())
                    .setCheckpoint(ProtoMapping.checkpoint(made.checkpoint())).setBlobs(made.blobs())
                    .setBlobsAdded(made.blobsAdded()).setReplaced(made.replaced()).setAppToken(token)).build());
            out.onCompleted();
        }

        /** A reader of the file's header: a file that is not a heap image of this format is INVALID_ARGUMENT. */
        private static HeapImageReader reader(InputStream in) {
            try {
                return new HeapImageReader(in);
            } catch (HeapImageException e) {
                throw Status.INVALID_ARGUMENT.withDescription(e.getMessage() + "; nothing was imported").asRuntimeException();
            }
        }

        private void fail(RuntimeException e) {
            failed = true;
            discard();
            out.onError(StoreStatus.toStatus(e));
        }

        private void discard() {
            try {
                if (spooled != null) {
                    spooled.close();
                }
                if (spool != null) {
                    Files.deleteIfExists(spool);
                }
            } catch (IOException e) {
                // a temporary file left behind; the import's outcome stands
            }
        }
    }
}
