package org.vheap.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.vheap.client.HeapStoreClient;
import org.vheap.client.VheapHeaders;
import org.vheap.proto.v1.CheckpointInfo;
import org.vheap.proto.v1.CommitHeader;
import org.vheap.proto.v1.Line;
import org.vheap.proto.v1.ListCheckpointsRequest;
import org.vheap.proto.v1.OpenHeapRequest;
import org.vheap.proto.v1.TransactRequest;
import org.vheap.server.HeapServerConfig;
import org.vheap.server.HeapServerInstance;
import org.vheap.server.testing.FaultRelay;

/**
 * A partition between the gateway and one of its two heap servers (a {@link FaultRelay} between them, stalled: the
 * server runs on and keeps its database, the gateway hears nothing from it): the gateway's health checks take it out,
 * and its apps go on through the other server under the leases they hold, losing no checkpoint (counted on each
 * server's own metrics); healed, it is taken back and the apps go on there.
 */
class GatewayPartitionTest {
    private static final int LINE = 128;

    private static Line line(long id, Random r) {
        byte[] b = new byte[LINE];
        r.nextBytes(b);
        return Line.newBuilder().setLineId(id).setData(ByteString.copyFrom(b)).build();
    }

    @Test
    void aServerPartitionedFromTheGatewayIsTakenOutAndItsAppsGoOnThroughTheOther() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            String url = pg.getJdbcUrl("postgres", "postgres");
            java.util.function.Supplier<HeapServerConfig> config = () -> new HeapServerConfig().setHost("127.0.0.1")
                    .setPort(0).setDbUrl(url).setDbUser("postgres").setPoolSize(4).setMetricsPort(Gateways.deadPort());
            try (HeapServerInstance behind = HeapServerInstance.start(config.get(), Clock.systemUTC());
                 HeapServerInstance other = HeapServerInstance.start(config.get(), Clock.systemUTC());
                 FaultRelay partition = FaultRelay.start("127.0.0.1", Integer.parseInt(behind.address().split(":")[1]))) {
                GatewayServer gateway = Gateways.start(Gateways.config(partition.target(), other.address())
                        .setMetricsPort(Gateways.deadPort()));
                ManagedChannel via = Gateways.channel(gateway.port());
                try {
                    Backend far = gateway.backends().backends().get(0);
                    String app = appOn(gateway, far);
                    HeapStoreClient c = new HeapStoreClient(ClientInterceptors.intercept(via,
                            VheapHeaders.interceptor(app, "dev-p")), 30_000);
                    long token = c.blocking().openHeap(OpenHeapRequest.newBuilder().setApp(app).setDevice("dev-p")
                            .setCreate(true).setLineSize(LINE).setLeaseMillis(120_000).build()).getLease().getFencingToken();
                    Random r = new Random(11);
                    List<Line> written = new ArrayList<>();
                    commit(c, app, token, 0, r, written);

                    partition.stall();
                    assertThat(within30s(() -> !far.isUp())).as("taken out by its health checks (3 of 2 s each)").isTrue();
                    double otherBefore = served(other);
                    // the same lease goes on through the other server: no open, nothing lost
                    commit(c, app, token, 1, r, written);
                    commit(c, app, token, 2, r, written);
                    assertThat(readBack(c, app, written)).isEqualTo(written);
                    assertThat(served(other) - otherBefore).as("the app's calls met the other server").isGreaterThanOrEqualTo(3);

                    partition.resume();
                    assertThat(within30s(far::isUp)).as("healed, taken back").isTrue();
                    double behindBefore = served(behind);
                    commit(c, app, token, 3, r, written);
                    assertThat(readBack(c, app, written)).isEqualTo(written);
                    assertThat(served(behind) - behindBefore).as("the app is back on its own server").isGreaterThanOrEqualTo(2);
                    List<CheckpointInfo> cps = c.blocking().listCheckpoints(ListCheckpointsRequest.newBuilder().setApp(app)
                            .build()).getCheckpointsList();
                    assertThat(cps.get(0).getLineCount()).isEqualTo(written.size());
                } finally {
                    Gateways.close(via);
                    gateway.stop();
                }
            }
        }
    }

    /** The heap-store calls a server has ended, from its own GET /metrics. */
    private static double served(HeapServerInstance server) throws Exception {
        return Gateways.sample(Gateways.metrics(server.metricsPort()), "vheap_grpc_server_calls_total",
                "method=\"vheap.v1.HeapStore/");
    }

    private static boolean within30s(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            if (Gateways.eventually(condition)) {
                return true;
            }
        }
        return false;
    }

    /** A fresh app name whose rendezvous choice, with both servers up, is {@code backend}. */
    private static String appOn(GatewayServer gateway, Backend backend) {
        for (int n = 0; ; n++) {
            String app = "partition-" + ProcessHandle.current().pid() + "-" + n;
            io.grpc.Metadata m = new io.grpc.Metadata();
            m.put(VheapHeaders.APP, VheapHeaders.encode(app));
            if (new RendezvousRouter().choose(RoutingKey.of("vheap.v1.HeapStore/OpenHeap", m),
                    gateway.backends().backends()) == backend) {
                return app;
            }
        }
    }

    private static void commit(HeapStoreClient c, String app, long token, int round, Random r, List<Line> written) {
        List<Line> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(line(round * 10L + i, r));
        }
        written.addAll(batch);
        c.commit(CommitHeader.newBuilder().setApp(app).setFencingToken(token).setDevice("dev-p").build(), batch, List.of(),
                HeapStoreClient.DEFAULT_BATCH_BYTES);
    }

    private static List<Line> readBack(HeapStoreClient c, String app, List<Line> written) {
        TransactRequest.Builder read = TransactRequest.newBuilder().setApp(app);
        written.forEach(l -> read.addReadLineIds(l.getLineId()));
        return c.blocking().transact(read.build()).getLinesList();
    }
}
