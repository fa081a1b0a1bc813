package org.vheap.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.client.HeapStoreClient;
import org.vheap.proto.v1.CommitHeader;
import org.vheap.proto.v1.OpenHeapRequest;
import org.vheap.server.HeapServer;
import org.vheap.server.TestHeaps;
import org.vheap.server.store.StoreSettings;
import picocli.CommandLine;

/** The store commands against a real server: tables on success, one line and an exit code on failure. */
class VheapCliTest {
    @RegisterExtension
    static final TestHeaps.Database DB = new TestHeaps.Database();

    private static HeapServer server;
    private static String address;

    @BeforeAll
    static void start() throws Exception {
        server = new HeapServer(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)),
                DB.store(Clock.systemUTC(), StoreSettings.defaults())).start();
        address = "127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop(Duration.ofSeconds(5));
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cli = VheapCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void appsAndCheckpointsPrintTables() throws Exception {
        String app = TestHeaps.app("cli");
        ManagedChannel ch = NettyChannelBuilder.forTarget(address).usePlaintext().build();
        try {
            HeapStoreClient client = new HeapStoreClient(ch, 30_000);
            long t = client.blocking().openHeap(OpenHeapRequest.newBuilder().setApp(app).setDevice("dev-cli")
                    .setCreate(true).setLineSize(64).build()).getLease().getFencingToken();
            long cp = client.commit(CommitHeader.newBuilder().setApp(app).setFencingToken(t).setDevice("dev-cli").build(),
                    List.of(), List.of(), 1 << 20).getCheckpoint().getCheckpointId();

            Run apps = run("apps", "--server", address);
            assertThat(apps.exit()).isZero();
            assertThat(apps.out()).contains("APP").contains("LEASE HOLDER");
            assertThat(apps.out().lines().filter(l -> l.startsWith(app + " ")).findFirst().orElseThrow())
                    .contains("dev-cli").contains(" 64 ");

            Run cps = run("checkpoints", "--app", app, "--server", address);
            assertThat(cps.exit()).isZero();
            assertThat(cps.out().lines().skip(1).findFirst().orElseThrow()).startsWith(String.valueOf(cp)).contains("dev-cli");

            Run del = run("delete-app", "--app", app, "--server", address);
            assertThat(del.exit()).isEqualTo(1);
            assertThat(del.err()).contains("FAILED_PRECONDITION").contains("leased to device 'dev-cli'");
            assertThat(run("delete-app", "--app", app, "--force", "--server", address).exit()).isZero();
        } finally {
            ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void failuresAreOneLineWithAnExitCode() {
        Run ghost = run("checkpoints", "--app", "ghost-app", "--server", address);
        assertThat(ghost.exit()).isEqualTo(1);
        assertThat(ghost.err().strip()).isEqualTo("vheap checkpoints: NOT_FOUND: no app named 'ghost-app'");

        Run noServer = run("apps", "--server", "127.0.0.1:1");
        assertThat(noServer.exit()).isEqualTo(1);
        assertThat(noServer.err()).contains("cannot reach the heap server").doesNotContain("\tat ");

        Run badTarget = run("apps", "--server", "nonsense");
        assertThat(badTarget.exit()).isEqualTo(2);
        assertThat(badTarget.err()).contains("--server must be HOST:PORT");

        Run badRetain = run("server", "--retain", "0");
        assertThat(badRetain.exit()).isEqualTo(2);
        assertThat(badRetain.err()).contains("--retain must be at least 1");

        Run unknown = run("apps", "--frobnicate");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unknown option: '--frobnicate'");

        Run userWithoutUrl = run("server", "--db-user", "x");
        assertThat(userWithoutUrl.exit()).isEqualTo(2);
        assertThat(userWithoutUrl.err()).contains("--db-user and --db-password need --db-url");
    }
}
