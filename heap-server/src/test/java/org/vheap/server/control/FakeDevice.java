package org.vheap.server.control;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.vheap.client.HeapStoreClient;
import org.vheap.proto.v1.AppStatus;
import org.vheap.proto.v1.Attached;
import org.vheap.proto.v1.CloseHeapRequest;
import org.vheap.proto.v1.Command;
import org.vheap.proto.v1.CommandResult;
import org.vheap.proto.v1.CommitHeader;
import org.vheap.proto.v1.ControlMessage;
import org.vheap.proto.v1.DeviceControlGrpc;
import org.vheap.proto.v1.DeviceMessage;
import org.vheap.proto.v1.Line;
import org.vheap.proto.v1.OpenHeapRequest;
import org.vheap.proto.v1.OpenHeapResponse;
import org.vheap.proto.v1.Register;
import org.vheap.proto.v1.TransactRequest;
import org.vheap.server.testing.TestHeaps;

/**
 * A device as the server sees it, for tests: a raw {@code Attach} stream plus the HeapStore API. It holds
 * heaps it {@link #run runs} (so it is their lease holder); on SUSPEND it commits a checkpoint, closes the
 * heap and answers with the checkpoint id; on RESUME it opens the heap from the checkpoint and reads line 1
 * back. {@link #silent} makes it take commands without answering, {@link #refuse} answer {@code ok=false}.
 */
public final class FakeDevice implements AutoCloseable {
    public static final int LINE = 64;

    public final String name;
    private final HeapStoreClient store;
    private final StreamObserver<DeviceMessage> requests;
    private final ExecutorService worker = Executors.newSingleThreadExecutor();
    private final Map<String, Long> tokens = new ConcurrentHashMap<>();
    /** Every command received, in order. */
    public final BlockingQueue<Command> commands = new LinkedBlockingQueue<>();
    /** The acknowledgement of the registration. */
    public final CompletableFuture<Attached> attached = new CompletableFuture<>();
    /** How the stream ended: OK when the server completed it. */
    public final CompletableFuture<Status> ended = new CompletableFuture<>();
    /** Per resumed app: the base checkpoint the heap was opened from and line 1 as read then. */
    public final Map<String, Resumed> resumed = new ConcurrentHashMap<>();
    public volatile boolean silent;
    public volatile String refuse;

    public record Resumed(long baseCheckpointId, int line1) {
    }

    /** Attaches and registers (without waiting for the acknowledgement). */
    public FakeDevice(ManagedChannel channel, String name, long memoryBytes, List<String> resources, List<String> apps) {
        this.name = name;
        this.store = new HeapStoreClient(channel, 30_000);
        this.requests = DeviceControlGrpc.newStub(channel).attach(new StreamObserver<>() {
            @Override
            public void onNext(ControlMessage m) {
                if (m.hasAttached()) {
                    attached.complete(m.getAttached());
                } else if (m.hasCommand()) {
                    commands.add(m.getCommand());
                    if (!silent) {
                        worker.execute(() -> handle(m.getCommand()));
                    }
                }
            }

            @Override
            public void onError(Throwable t) {
                ended.complete(Status.fromThrowable(t));
                attached.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                ended.complete(Status.OK);
            }
        });
        if (name != null) {
            send(DeviceMessage.newBuilder().setRegister(Register.newBuilder().setDevice(name)
                    .setMemoryBytes(memoryBytes).addAllResources(resources).addAllAppsRunning(apps)).build());
        }
    }

    /** A device attached and acknowledged. */
    public static FakeDevice attach(ManagedChannel channel, String name) throws Exception {
        FakeDevice d = new FakeDevice(channel, name, 1 << 20, List.of(), List.of());
        d.attached.get(10, TimeUnit.SECONDS);
        return d;
    }

    public void send(DeviceMessage m) {
        synchronized (requests) {
            requests.onNext(m);
        }
    }

    /** Creates (or opens) the app's heap, taking its lease, and writes {@code value} into line 1 uncommitted. */
    public long run(String app, int value) {
        OpenHeapResponse o = store.blocking().openHeap(OpenHeapRequest.newBuilder().setApp(app).setDevice(name)
                .setCreate(true).setLineSize(LINE).build());
        long token = o.getLease().getFencingToken();
        store.blocking().transact(TransactRequest.newBuilder().setApp(app).setFencingToken(token)
                .addWrites(line(1, value)).build());
        tokens.put(app, token);
        return token;
    }

    public void appStatus(String app, String state) {
        send(DeviceMessage.newBuilder().setAppStatus(AppStatus.newBuilder().setApp(app).setState(state)).build());
    }

    public void answer(CommandResult r) {
        send(DeviceMessage.newBuilder().setResult(r).build());
    }

    private void handle(Command c) {
        CommandResult.Builder r = CommandResult.newBuilder().setCommandId(c.getCommandId());
        try {
            if (refuse != null) {
                throw new IllegalStateException(refuse);
            }
            switch (c.getKind()) {
                case SUSPEND -> {
                    Long token = tokens.remove(c.getApp());
                    if (token == null) {
                        throw new IllegalStateException("app '" + c.getApp() + "' does not run here");
                    }
                    long cp = store.commit(CommitHeader.newBuilder().setApp(c.getApp()).setFencingToken(token)
                            .setDevice(name).build(), List.of(), List.of(), 1 << 20).getCheckpoint().getCheckpointId();
                    store.blocking().closeHeap(CloseHeapRequest.newBuilder().setApp(c.getApp()).setFencingToken(token).build());
                    r.setCheckpointId(cp);
                }
                case RESUME -> {
                    OpenHeapResponse o = store.blocking().openHeap(OpenHeapRequest.newBuilder().setApp(c.getApp())
                            .setDevice(name).setBaseCheckpointId(c.getCheckpointId()).build());
                    long token = o.getLease().getFencingToken();
                    ByteString line1 = store.blocking().transact(TransactRequest.newBuilder().setApp(c.getApp())
                            .setFencingToken(token).addReadLineIds(1).build()).getLines(0).getData();
                    tokens.put(c.getApp(), token);
                    resumed.put(c.getApp(), new Resumed(o.getBaseCheckpoint().getCheckpointId(), line1.byteAt(1)));
                }
                default -> throw new IllegalStateException("cannot " + c.getKind());
            }
            r.setOk(true);
        } catch (RuntimeException e) {
            r.setOk(false).setMessage(String.valueOf(e.getMessage()));
        }
        answer(r.build());
    }

    private static Line line(long id, int value) {
        return Line.newBuilder().setLineId(id).setData(ByteString.copyFrom(TestHeaps.line(LINE, value))).build();
    }

    /** Ends the stream from the device's side (a clean detach). */
    @Override
    public void close() {
        try {
            synchronized (requests) {
                requests.onCompleted();
            }
        } catch (RuntimeException ignored) {
            // already ended
        }
        worker.shutdownNow();
    }

    /** Breaks the stream as a crash would (cancel). */
    public void crash() {
        synchronized (requests) {
            requests.onError(Status.CANCELLED.withDescription("test: device crashed").asRuntimeException());
        }
        worker.shutdownNow();
    }
}
