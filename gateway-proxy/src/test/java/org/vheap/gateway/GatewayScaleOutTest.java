package org.vheap.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.vheap.client.HeapStoreClient;
import org.vheap.client.VheapHeaders;
import org.vheap.proto.v1.CheckpointInfo;
import org.vheap.proto.v1.CloseHeapRequest;
import org.vheap.proto.v1.CommitHeader;
import org.vheap.proto.v1.DeviceControlGrpc;
import org.vheap.proto.v1.HeapStoreGrpc;
import org.vheap.proto.v1.Line;
import org.vheap.proto.v1.ListCheckpointsRequest;
import org.vheap.proto.v1.ListDevicesRequest;
import org.vheap.proto.v1.OpenHeapRequest;
import org.vheap.proto.v1.TransactRequest;
import org.vheap.proto.v1.TransactResponse;
import org.vheap.server.HeapServerConfig;
import org.vheap.server.HeapServerInstance;

/**
 * Two real heap servers on one PostgreSQL (zonky embedded, started here) behind one gateway, all on
 * loopback: each app's calls meet one server (seen on the servers' own metrics endpoints), control calls
 * meet one server, 500 client connections at once, the gateway's metrics, and — last — a server stopped
 * under an app whose checkpoints then continue through the other server with none lost.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayScaleOutTest {
    private static final int LINE = 128;
    private static final AtomicLong NAMES = new AtomicLong();

    private static EmbeddedPostgres pg;
    private static final HeapServerInstance[] servers = new HeapServerInstance[2];
    private static GatewayServer gateway;
    private static ManagedChannel via;

    @BeforeAll
    static void start() throws Exception {
        pg = EmbeddedPostgres.builder().start();
        String url = pg.getJdbcUrl("postgres", "postgres");
        for (int i = 0; i < 2; i++) {
            servers[i] = HeapServerInstance.start(new HeapServerConfig().setHost("127.0.0.1").setPort(0).setDbUrl(url)
                    .setDbUser("postgres").setPoolSize(8).setMetricsPort(Gateways.deadPort()), Clock.systemUTC());
        }
        gateway = Gateways.start(Gateways.config(servers[0].address(), servers[1].address())
                .setMetricsPort(Gateways.deadPort()));
        via = Gateways.channel(gateway.port());
    }

    @AfterAll
    static void stop() throws Exception {
        if (via != null) {
            Gateways.close(via);
        }
        if (gateway != null) {
            gateway.stop();
        }
        for (HeapServerInstance s : servers) {
            if (s != null) {
                s.close();
            }
        }
        if (pg != null) {
            pg.close();
        }
    }

    /** A fresh app name whose rendezvous choice is server {@code index}. */
    private static String appOn(int index) {
        while (true) {
            String app = "scale-" + ProcessHandle.current().pid() + "-" + NAMES.incrementAndGet();
            if (expected(RoutingKey.of("vheap.v1.HeapStore/OpenHeap", headersFor(app))) == index) {
                return app;
            }
        }
    }

    private static io.grpc.Metadata headersFor(String app) {
        io.grpc.Metadata m = new io.grpc.Metadata();
        m.put(VheapHeaders.APP, VheapHeaders.encode(app));
        return m;
    }

    /** Which server the gateway's router picks for {@code key} with both up. */
    private static int expected(String key) {
        Backend b = new RendezvousRouter().choose(key, gateway.backends().backends());
        return gateway.backends().backends().indexOf(b);
    }

    /** Calls of {@code service} each server has ended, from its own GET /metrics (0 for a stopped one). */
    private static double[] served(String service) throws Exception {
        double[] n = new double[2];
        for (int i = 0; i < 2; i++) {
            if (servers[i] == null) {
                continue;
            }
            n[i] = Gateways.sample(Gateways.metrics(servers[i].metricsPort()), "vheap_grpc_server_calls_total",
                    "method=\"" + service + "/");
        }
        return n;
    }

    private static Channel appChannel(String app, String device) {
        return ClientInterceptors.intercept(via, VheapHeaders.interceptor(app, device));
    }

    private static Line line(long id, Random r) {
        byte[] b = new byte[LINE];
        r.nextBytes(b);
        return Line.newBuilder().setLineId(id).setData(ByteString.copyFrom(b)).build();
    }

    /** Open (create), write, commit, read back, close: 5 calls of one app through the gateway. */
    private static void session(String app) {
        HeapStoreClient c = new HeapStoreClient(appChannel(app, "dev-s"), 30_000);
        long token = c.blocking().openHeap(OpenHeapRequest.newBuilder().setApp(app).setDevice("dev-s").setCreate(true)
                .setLineSize(LINE).build()).getLease().getFencingToken();
        Random r = new Random(app.hashCode());
        List<Line> lines = List.of(line(1, r), line(2, r));
        c.blocking().transact(TransactRequest.newBuilder().setApp(app).setFencingToken(token).addAllWrites(lines).build());
        c.commit(CommitHeader.newBuilder().setApp(app).setFencingToken(token).setDevice("dev-s").build(), List.of(),
                List.of(), HeapStoreClient.DEFAULT_BATCH_BYTES);
        assertThat(c.blocking().transact(TransactRequest.newBuilder().setApp(app).addReadLineIds(1).addReadLineIds(2)
                .build()).getLinesList()).isEqualTo(lines);
        c.blocking().closeHeap(CloseHeapRequest.newBuilder().setApp(app).setFencingToken(token).build());
    }

    @Test
    @Order(1)
    void eachAppsCallsMeetTheOneServerItsRendezvousHashPicks() throws Exception {
        for (int round = 0; round < 3; round++) {
            for (int server = 0; server < 2; server++) {
                String app = appOn(server);
                double[] before = served("vheap.v1.HeapStore");
                session(app);
                int s = server;
                assertThat(Gateways.eventually(() -> {
                    try {
                        double[] after = served("vheap.v1.HeapStore");
                        return after[s] - before[s] == 5 && after[1 - s] == before[1 - s];
                    } catch (Exception e) {
                        return false;
                    }
                })).as("5 calls of app %s on server %d only", app, server).isTrue();
            }
        }
    }

    @Test
    @Order(2)
    void everyControlCallMeetsOneServer() throws Exception {
        int control = expected(RoutingKey.CONTROL);
        double[] before = served("vheap.v1.DeviceControl");
        for (int i = 0; i < 4; i++) {
            // a device name or app on the call does not move it: control calls all share one key
            DeviceControlGrpc.newBlockingStub(appChannel("app-" + i, "device-" + i)).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .listDevices(ListDevicesRequest.getDefaultInstance());
        }
        assertThat(Gateways.eventually(() -> {
            try {
                double[] after = served("vheap.v1.DeviceControl");
                return after[control] - before[control] == 4 && after[1 - control] == before[1 - control];
            } catch (Exception e) {
                return false;
            }
        })).isTrue();
    }

    @Test
    @Order(3)
    void fiveHundredClientConnectionsAtOnce() throws Exception {
        int n = 500;
        List<ManagedChannel> channels = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (int i = 0; i < n; i++) {
                channels.add(Gateways.channel(gateway.port()));
            }
            List<ListenableFuture<Long>> done = new ArrayList<>();
            String prefix = "burst-" + ProcessHandle.current().pid() + "-";
            for (int i = 0; i < n; i++) {
                String app = prefix + i;
                HeapStoreGrpc.HeapStoreFutureStub stub = HeapStoreGrpc.newFutureStub(channels.get(i))
                        .withInterceptors(VheapHeaders.interceptor(app, "burst-dev-" + i))
                        .withDeadlineAfter(60, TimeUnit.SECONDS);
                byte[] data = new byte[LINE];
                data[0] = (byte) i;
                ListenableFuture<Long> chain = Futures.transformAsync(
                        stub.openHeap(OpenHeapRequest.newBuilder().setApp(app).setDevice("burst-dev-" + i).setCreate(true)
                                .setLineSize(LINE).build()),
                        opened -> {
                            long token = opened.getLease().getFencingToken();
                            return Futures.transformAsync(stub.transact(TransactRequest.newBuilder().setApp(app)
                                            .setFencingToken(token).addWrites(Line.newBuilder().setLineId(7)
                                                    .setData(ByteString.copyFrom(data))).addReadLineIds(7).build()),
                                    (TransactResponse t) -> Futures.transform(stub.closeHeap(CloseHeapRequest.newBuilder()
                                                    .setApp(app).setFencingToken(token).build()), closed -> token,
                                            MoreExecutors.directExecutor()),
                                    MoreExecutors.directExecutor());
                        }, MoreExecutors.directExecutor());
                done.add(chain);
            }
            List<Long> tokens = Futures.allAsList(done).get(60, TimeUnit.SECONDS);
            assertThat(tokens).hasSize(n).allSatisfy(t -> assertThat(t).isPositive());
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            assertThat(seconds).isLessThan(60);
        } finally {
            for (ManagedChannel ch : channels) {
                ch.shutdownNow();
            }
            for (ManagedChannel ch : channels) {
                ch.awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    @Order(4)
    void theMetricsEndpointsAnswerWithTheCallsAndBackends() throws Exception {
        String gw = Gateways.metrics(gateway.metricsPort());
        for (HeapServerInstance s : servers) {
            String backend = "backend=\"" + s.address() + "\"";
            assertThat(Gateways.sample(gw, "vheap_gateway_backend_calls_total", backend,
                    "method=\"vheap.v1.HeapStore/OpenHeap\"", "code=\"OK\"")).isPositive();
            assertThat(Gateways.sample(gw, "vheap_gateway_backend_up", backend)).isEqualTo(1.0);
            assertThat(Gateways.sample(gw, "vheap_gateway_backend_sent_bytes_total", backend)).isPositive();
            assertThat(Gateways.sample(gw, "vheap_gateway_backend_duration_seconds_count", backend)).isPositive();
        }
        assertThat(Gateways.sample(gw, "vheap_grpc_server_calls_total", "method=\"vheap.v1.HeapStore/Transact\"",
                "code=\"OK\"")).isGreaterThanOrEqualTo(500);
        assertThat(gw).contains("vheap_gateway_system_cache_bytes").contains("vheap_grpc_server_duration_seconds_bucket");

        String server = Gateways.metrics(servers[0].metricsPort());
        assertThat(Gateways.sample(server, "vheap_grpc_server_calls_total", "method=\"vheap.v1.HeapStore/OpenHeap\"",
                "code=\"OK\"")).isPositive();
        assertThat(Gateways.sample(server, "vheap_grpc_server_received_bytes_total")).isPositive();
        assertThat(Gateways.sample(server, "vheap_grpc_server_calls_total", "method=\"grpc.health.v1.Health/Check\""))
                .as("the gateway's health checks").isPositive();
        assertThat(server).contains("vheap_grpc_server_duration_seconds_bucket");
    }

    @Test
    @Order(9)
    void aStoppedServersAppsGoOnThroughTheOtherWithNoCheckpointLost() throws Exception {
        String app = appOn(0);
        HeapStoreClient c = new HeapStoreClient(appChannel(app, "dev-f"), 30_000);
        Random r = new Random(7);
        List<Line> written = new ArrayList<>();
        long token = c.blocking().openHeap(OpenHeapRequest.newBuilder().setApp(app).setDevice("dev-f").setCreate(true)
                .setLineSize(LINE).build()).getLease().getFencingToken();
        for (int cp = 0; cp < 2; cp++) {
            List<Line> batch = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                batch.add(line(cp * 10 + i, r));
            }
            written.addAll(batch);
            c.commit(CommitHeader.newBuilder().setApp(app).setFencingToken(token).setDevice("dev-f").build(), batch,
                    List.of(), HeapStoreClient.DEFAULT_BATCH_BYTES);
        }
        double[] before = served("vheap.v1.HeapStore");

        servers[0].close();
        servers[0] = null;
        Backend stopped = gateway.backends().backends().get(0);
        assertThat(Gateways.eventually(() -> !stopped.isUp())).isTrue();

        // the device opens its heap again (as after any store outage) and goes on through the other server
        token = c.blocking().openHeap(OpenHeapRequest.newBuilder().setApp(app).setDevice("dev-f").build())
                .getLease().getFencingToken();
        for (int cp = 2; cp < 4; cp++) {
            List<Line> batch = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                batch.add(line(cp * 10 + i, r));
            }
            written.addAll(batch);
            c.commit(CommitHeader.newBuilder().setApp(app).setFencingToken(token).setDevice("dev-f").build(), batch,
                    List.of(), HeapStoreClient.DEFAULT_BATCH_BYTES);
        }
        TransactRequest.Builder read = TransactRequest.newBuilder().setApp(app);
        written.forEach(l -> read.addReadLineIds(l.getLineId()));
        assertThat(c.blocking().transact(read.build()).getLinesList()).isEqualTo(written);
        List<CheckpointInfo> cps = c.blocking().listCheckpoints(ListCheckpointsRequest.newBuilder().setApp(app).build())
                .getCheckpointsList();
        assertThat(cps).hasSize(3);   // the server retains 3; the newest has all 40 lines
        assertThat(cps.get(0).getLineCount()).isEqualTo(40);
        double[] after = served("vheap.v1.HeapStore");
        assertThat(after[1] - before[1]).isGreaterThanOrEqualTo(5);
    }
}
