package org.vheap.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.vheap.client.HeapStoreClient;
import org.vheap.proto.v1.CommitHeader;
import org.vheap.proto.v1.HeapStoreGrpc;
import org.vheap.proto.v1.Line;
import org.vheap.proto.v1.ListAppsRequest;
import org.vheap.proto.v1.OpenHeapRequest;
import org.vheap.proto.v1.TransactRequest;
import org.vheap.proto.v1.TransactResponse;
import org.vheap.server.testing.TestHeaps;

/** Whole servers: their own databases, restarts, a database going away (calls and health), and SIGTERM. */
class HeapServerInstanceTest {

    private static ManagedChannel channel(int port) {
        return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    private static HeapServerConfig config(Path data) {
        return new HeapServerConfig().setHost("127.0.0.1").setPort(0).setDataDir(data);
    }

    private static Line line(long id, String text) {
        byte[] b = new byte[64];
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(t, 0, b, 0, t.length);
        return Line.newBuilder().setLineId(id).setData(ByteString.copyFrom(b)).build();
    }

    private static long commitOneLine(HeapStoreClient client, String app, String text) {
        long t = client.blocking().openHeap(OpenHeapRequest.newBuilder().setApp(app).setDevice("dev-a")
                .setCreate(true).setLineSize(64).build()).getLease().getFencingToken();
        return client.commit(CommitHeader.newBuilder().setApp(app).setFencingToken(t).setDevice("dev-a").build(),
                List.of(line(1, text)), List.of(), 1 << 20).getCheckpoint().getCheckpointId();
    }

    private static String readCommitted(HeapStoreClient client, String app) {
        TransactResponse r = client.blocking().transact(TransactRequest.newBuilder().setApp(app).addReadLineIds(1).build());
        return r.getLines(0).getData().toStringUtf8().replace("\0", "");
    }

    @Test
    void dataSurvivesAServerRestart() throws Exception {
        Path data = TestHeaps.tempDir("vheap-restart");
        try {
            long cp;
            try (HeapServerInstance s = HeapServerInstance.start(config(data), Clock.systemUTC())) {
                ManagedChannel ch = channel(s.port());
                cp = commitOneLine(new HeapStoreClient(ch, 30_000), "survivor", "before restart");
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            try (HeapServerInstance s = HeapServerInstance.start(config(data), Clock.systemUTC())) {
                ManagedChannel ch = channel(s.port());
                HeapStoreClient client = new HeapStoreClient(ch, 30_000);
                assertThat(readCommitted(client, "survivor")).isEqualTo("before restart");
                assertThat(client.blocking().listApps(ListAppsRequest.getDefaultInstance()).getApps(0)
                        .getNewestCheckpoint().getCheckpointId()).isEqualTo(cp);
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        } finally {
            TestHeaps.deleteRecursively(data);
        }
    }

    /**
     * A heap server over a PostgreSQL of its own (a separate postmaster on a free port, not the server's embedded
     * one) that a test stops and starts again on the same data directory and port, with a channel to the server.
     */
    private static final class ServerOnOwnDatabase implements AutoCloseable {
        final Path pgDir = TestHeaps.tempDir("vheap-external-pg");
        final int pgPort;
        EmbeddedPostgres pg;
        final HeapServerInstance server;
        final ManagedChannel channel;
        final HeapStoreClient client;
        final HealthGrpc.HealthBlockingStub health;

        ServerOnOwnDatabase(Duration dbCheckInterval) throws IOException {
            pgPort = freePort();
            startDatabase();
            try {
                server = HeapServerInstance.start(config(null).setDbUrl("jdbc:postgresql://127.0.0.1:" + pgPort
                        + "/postgres").setDbUser("postgres").setDbCheckInterval(dbCheckInterval), Clock.systemUTC());
            } catch (RuntimeException e) {
                pg.close();
                TestHeaps.deleteRecursively(pgDir);
                throw e;
            }
            channel = channel(server.port());
            client = new HeapStoreClient(channel, 30_000);
            health = HealthGrpc.newBlockingStub(channel);
        }

        void startDatabase() throws IOException {
            pg = EmbeddedPostgres.builder().setDataDirectory(pgDir).setCleanDataDirectory(false).setPort(pgPort).start();
        }

        void stopDatabase() throws IOException {
            pg.close();
        }

        @Override
        public void close() throws Exception {
            try {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                server.close();
            } finally {
                pg.close();
                TestHeaps.deleteRecursively(pgDir);
            }
        }
    }

    @Test
    void aDatabaseThatGoesAwayGivesUnavailableAndTheServerRecoversWhenItReturns() throws Exception {
        try (ServerOnOwnDatabase s = new ServerOnOwnDatabase(new HeapServerConfig().dbCheckInterval())) {
            commitOneLine(s.client, "outage", "committed");

            s.stopDatabase();
            long started = System.nanoTime();
            assertThatThrownBy(() -> readCommitted(s.client, "outage"))
                    .isInstanceOf(StatusRuntimeException.class)
                    .satisfies(e -> {
                        Status st = ((StatusRuntimeException) e).getStatus();
                        assertThat(st.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                        assertThat(st.getDescription()).contains("heap database is unavailable");
                    });
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(20);

            s.startDatabase();
            String value = null;
            for (int i = 0; i < 50 && value == null; i++) {
                try {
                    value = readCommitted(s.client, "outage");
                } catch (StatusRuntimeException e) {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    Thread.sleep(200);
                }
            }
            assertThat(value).isEqualTo("committed");
        }
    }

    @Test
    void healthIsNotServingWhileTheDatabaseIsDownAndServingWhenItIsBack() throws Exception {
        try (ServerOnOwnDatabase s = new ServerOnOwnDatabase(Duration.ofMillis(200))) {
            commitOneLine(s.client, "health", "committed");
            assertThat(status(s.health, "")).isEqualTo(ServingStatus.SERVING);
            assertThat(status(s.health, HeapStoreGrpc.SERVICE_NAME)).isEqualTo(ServingStatus.SERVING);

            s.stopDatabase();
            long stopped = System.nanoTime();
            awaitStatus(s.health, "", ServingStatus.NOT_SERVING, Duration.ofSeconds(15));
            assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(Duration.ofSeconds(15));
            assertThat(status(s.health, HeapStoreGrpc.SERVICE_NAME)).isEqualTo(ServingStatus.NOT_SERVING);

            s.startDatabase();   // the same data directory and port
            awaitStatus(s.health, "", ServingStatus.SERVING, Duration.ofSeconds(20));
            assertThat(status(s.health, HeapStoreGrpc.SERVICE_NAME)).isEqualTo(ServingStatus.SERVING);
            assertThat(readCommitted(s.client, "health")).isEqualTo("committed");
        }
    }

    @Test
    void aCallThatMeetsTheDatabaseDownTurnsHealthWithoutWaitingForTheNextCheck() throws Exception {
        try (ServerOnOwnDatabase s = new ServerOnOwnDatabase(Duration.ofMinutes(10))) {
            commitOneLine(s.client, "health-call", "committed");

            s.stopDatabase();
            assertThat(status(s.health, "")).isEqualTo(ServingStatus.SERVING);   // no check for 10 minutes
            assertThatThrownBy(() -> readCommitted(s.client, "health-call"))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
            awaitStatus(s.health, "", ServingStatus.NOT_SERVING, Duration.ofSeconds(10));
            assertThat(status(s.health, HeapStoreGrpc.SERVICE_NAME)).isEqualTo(ServingStatus.NOT_SERVING);
        }
    }

    private static ServingStatus status(HealthGrpc.HealthBlockingStub health, String service) {
        return health.withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
    }

    private static void awaitStatus(HealthGrpc.HealthBlockingStub health, String service, ServingStatus wanted,
                                    Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        ServingStatus seen = status(health, service);
        while (seen != wanted && System.nanoTime() < deadline) {
            Thread.sleep(100);
            seen = status(health, service);
        }
        assertThat(seen).as("health of '%s' within %s", service, within).isEqualTo(wanted);
    }

    @Test
    void sigtermStopsTheServerProcessGracefullyAndStopsItsDatabase() throws Exception {
        Path data = TestHeaps.tempDir("vheap-sigterm");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "org.vheap.server.cli.VheapCli", "server", "--host", "127.0.0.1", "--port", "0",
                "--data", data.toString())
                .redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String l;
            while ((l = out.readLine()) != null) {
                output.add(l);
                if (l.contains("listening on")) {
                    break;
                }
            }
            Matcher listening = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)")
                    .matcher(String.join("\n", output));
            assertThat(listening.find()).as(String.join("\n", output)).isTrue();
            int port = Integer.parseInt(listening.group(1));
            assertThat(String.join("\n", output)).contains(data.resolve("postgres").toString());
            ManagedChannel ch = channel(port);
            commitOneLine(new HeapStoreClient(ch, 30_000), "sigterm", "x");
            ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);

            p.toHandle().destroy();   // SIGTERM (Process.destroy would also close our end of its output)
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            while ((l = out.readLine()) != null) {
                output.add(l);
            }
            assertThat(String.join("\n", output)).contains("stopped");
            assertThat(p.exitValue()).isIn(0, 143);
            // the gRPC port is closed and the embedded PostgreSQL is gone (its pid file removed)
            assertThat(canConnect(port)).isFalse();
            assertThat(Files.exists(data.resolve("postgres").resolve("postmaster.pid"))).isFalse();
        } finally {
            p.destroyForcibly();
            TestHeaps.deleteRecursively(data);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static boolean canConnect(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
