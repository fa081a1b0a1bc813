package org.vheap.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vheap.client.HeapStoreClient;
import org.vheap.proto.v1.AppInfo;
import org.vheap.proto.v1.Attached;
import org.vheap.proto.v1.CommitCheckpointResponse;
import org.vheap.proto.v1.CommitHeader;
import org.vheap.proto.v1.ControlMessage;
import org.vheap.proto.v1.DeviceControlGrpc;
import org.vheap.proto.v1.DeviceInfo;
import org.vheap.proto.v1.DeviceMessage;
import org.vheap.proto.v1.HeapStoreGrpc;
import org.vheap.proto.v1.Line;
import org.vheap.proto.v1.ListAppsRequest;
import org.vheap.proto.v1.ListDevicesRequest;
import org.vheap.proto.v1.OpenHeapRequest;
import org.vheap.proto.v1.OpenHeapResponse;
import org.vheap.proto.v1.ReadLinesRequest;
import org.vheap.proto.v1.ReadLinesResponse;
import org.vheap.proto.v1.Register;
import org.vheap.proto.v1.TransactRequest;
import org.vheap.proto.v1.TransactResponse;
import org.vheap.server.HeapServerConfig;
import org.vheap.server.HeapServerInstance;

/**
 * The gateway in front of a real heap server (embedded PostgreSQL), everything over loopback TCP: every
 * kind of call passes through byte-identical, errors keep their code and description.
 */
class GatewayProxyTest {
    private static final int LINE = 256;
    private static final AtomicLong NAMES = new AtomicLong();

    private static Path data;
    private static HeapServerInstance heapServer;
    private static GatewayServer gateway;
    private static ManagedChannel viaGateway;
    private static ManagedChannel direct;

    @BeforeAll
    static void start() throws Exception {
        data = Files.createTempDirectory("vheap-gateway-test");
        heapServer = HeapServerInstance.start(new HeapServerConfig().setHost("127.0.0.1").setPort(0).setDataDir(data),
                Clock.systemUTC());
        gateway = Gateways.start("127.0.0.1:" + heapServer.port());
        viaGateway = Gateways.channel(gateway.port());
        direct = Gateways.channel(heapServer.port());
    }

    @AfterAll
    static void stop() throws Exception {
        if (viaGateway != null) {
            Gateways.close(viaGateway);
            Gateways.close(direct);
        }
        if (gateway != null) {
            gateway.stop();
        }
        if (heapServer != null) {
            heapServer.close();
        }
        if (data != null) {
            try (Stream<Path> s = Files.walk(data)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String app(String what) {
        return what + "-" + ProcessHandle.current().pid() + "-" + NAMES.incrementAndGet();
    }

    private static Line randomLine(long id, Random random) {
        byte[] b = new byte[LINE];
        random.nextBytes(b);
        return Line.newBuilder().setLineId(id).setData(ByteString.copyFrom(b)).build();
    }

    private static HeapStoreClient client() {
        return new HeapStoreClient(viaGateway, 30_000);
    }

    private static long open(String app) {
        OpenHeapResponse r = client().blocking().openHeap(OpenHeapRequest.newBuilder().setApp(app).setDevice("gw-dev")
                .setCreate(true).setLineSize(LINE).build());
        assertThat(r.getCreated()).isTrue();
        assertThat(r.getLineSize()).isEqualTo(LINE);
        return r.getLease().getFencingToken();
    }

    @Test
    void linesWrittenThroughTheGatewayReadBackByteIdentical() {
        String app = app("transact");
        long token = open(app);
        Random random = new Random(42);
        List<Line> lines = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            lines.add(randomLine(i, random));
        }
        client().blocking().transact(TransactRequest.newBuilder().setApp(app).setFencingToken(token)
                .addAllWrites(lines).build());

        TransactResponse read = client().blocking().transact(TransactRequest.newBuilder().setApp(app)
                .setFencingToken(token).addReadLineIds(3).addReadLineIds(17).addReadLineIds(99).build());
        assertThat(read.getLinesList()).containsExactly(lines.get(2), lines.get(16));
        assertThat(read.getMissingLineIdsList()).containsExactly(99L);

        // server streaming, in small chunks so it takes many messages (flow control one at a time)
        Iterator<ReadLinesResponse> stream = HeapStoreGrpc.newBlockingStub(viaGateway)
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .readLines(ReadLinesRequest.newBuilder().setApp(app).setFencingToken(token).setMaxChunkBytes(LINE).build());
        List<Line> streamed = new ArrayList<>();
        int messages = 0;
        while (stream.hasNext()) {
            streamed.addAll(stream.next().getLinesList());
            messages++;
        }
        assertThat(streamed).isEqualTo(lines);
        assertThat(messages).isGreaterThan(1);
    }

    @Test
    void aCheckpointCommittedThroughTheGatewayIsListed() {
        String app = app("commit");
        long token = open(app);
        Random random = new Random(7);
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            lines.add(randomLine(i, random));
        }
        // client streaming, in batches of about 4 lines: many messages
        CommitCheckpointResponse committed = client().commit(CommitHeader.newBuilder().setApp(app).setFencingToken(token)
                .setDevice("gw-dev").setVmState(ByteString.copyFromUtf8("vm state")).build(), lines, List.of(), 4 * LINE);
        assertThat(committed.getCheckpoint().getLineCount()).isEqualTo(50);

        AppInfo listed = client().blocking().listApps(ListAppsRequest.getDefaultInstance()).getAppsList().stream()
                .filter(a -> a.getApp().equals(app)).findFirst().orElseThrow();
        assertThat(listed.getNewestCheckpoint().getCheckpointId()).isEqualTo(committed.getCheckpoint().getCheckpointId());
        assertThat(listed.getLineSize()).isEqualTo(LINE);

        // the committed checkpoint, read without a lease, directly from the heap server: what went through
        TransactResponse read = HeapStoreGrpc.newBlockingStub(direct).transact(TransactRequest.newBuilder().setApp(app)
                .addReadLineIds(0).addReadLineIds(49).build());
        assertThat(read.getLinesList()).containsExactly(lines.get(0), lines.get(49));
    }

    @Test
    void backendErrorsArriveWithTheSameCodeAndDescription() {
        TransactRequest noSuchHeap = TransactRequest.newBuilder().setApp(app("missing")).addReadLineIds(1).build();
        Status viaProxy = statusOf(() -> HeapStoreGrpc.newBlockingStub(viaGateway).transact(noSuchHeap));
        Status directly = statusOf(() -> HeapStoreGrpc.newBlockingStub(direct).transact(noSuchHeap));
        assertThat(viaProxy.getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(viaProxy.getCode()).isEqualTo(directly.getCode());
        assertThat(viaProxy.getDescription()).isNotBlank().isEqualTo(directly.getDescription());

        OpenHeapRequest badLineSize = OpenHeapRequest.newBuilder().setApp(app("bad")).setDevice("d").setCreate(true)
                .setLineSize(100).build();
        Status badViaProxy = statusOf(() -> HeapStoreGrpc.newBlockingStub(viaGateway).openHeap(badLineSize));
        assertThat(badViaProxy.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(badViaProxy.getDescription())
                .isEqualTo(statusOf(() -> HeapStoreGrpc.newBlockingStub(direct).openHeap(badLineSize)).getDescription());
    }

    @Test
    void aDeviceAttachedThroughTheGatewayIsListedAndLeavesWhenItCancels() throws Exception {
        String device = app("gw-device");
        CompletableFuture<Attached> attached = new CompletableFuture<>();
        CompletableFuture<Status> ended = new CompletableFuture<>();
        StreamObserver<DeviceMessage> toServer = DeviceControlGrpc.newStub(viaGateway).attach(new StreamObserver<>() {
            @Override
            public void onNext(ControlMessage m) {
                if (m.hasAttached()) {
                    attached.complete(m.getAttached());
                }
            }

            @Override
            public void onError(Throwable t) {
                ended.complete(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                ended.complete(Status.OK);
            }
        });
        toServer.onNext(DeviceMessage.newBuilder().setRegister(Register.newBuilder().setDevice(device)
                .setMemoryBytes(1 << 20).addResources("file:/gw")).build());
        assertThat(attached.get(10, TimeUnit.SECONDS).getDevice()).isEqualTo(device);

        DeviceInfo listed = devices().stream().filter(d -> d.getDevice().equals(device)).findFirst().orElseThrow();
        assertThat(listed.getMemoryBytes()).isEqualTo(1 << 20);
        assertThat(listed.getResourcesList()).containsExactly("file:/gw");

        // the device cancels its stream: the gateway cancels the backend's, and the server forgets the device
        toServer.onError(Status.CANCELLED.withDescription("device going away").asRuntimeException());
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (devices().stream().anyMatch(d -> d.getDevice().equals(device)) && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertThat(devices()).extracting(DeviceInfo::getDevice).doesNotContain(device);
    }

    @Test
    void theGatewayAnswersHealthChecksItself() {
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(viaGateway);
        assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.SERVING);
        assertThat(health.check(HealthCheckRequest.newBuilder().setService(HeapStoreGrpc.SERVICE_NAME).build())
                .getStatus()).isEqualTo(ServingStatus.SERVING);
    }

    private static List<DeviceInfo> devices() {
        return DeviceControlGrpc.newBlockingStub(viaGateway).withDeadlineAfter(10, TimeUnit.SECONDS)
                .listDevices(ListDevicesRequest.getDefaultInstance()).getDevicesList();
    }

    private static Status statusOf(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
        throw new AssertionError("the call succeeded");
    }
}
