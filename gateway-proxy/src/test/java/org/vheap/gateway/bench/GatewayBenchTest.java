package org.vheap.gateway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vheap.proto.v1.AppInfo;
import org.vheap.proto.v1.HeapStoreGrpc;
import org.vheap.proto.v1.ListAppsRequest;
import org.vheap.server.HeapServerInstance;
import org.vheap.server.HeapServerConfig;

/**
 * The gateway bench with tiny parameters against a real heap server (embedded PostgreSQL, in this JVM:
 * --server) and its own in-process gateway: both columns come out with numbers, the target line is there,
 * the bench apps are gone afterwards. Not a timing test: no figure is judged.
 */
class GatewayBenchTest {

    @Test
    void printsBothColumnsWithNumbers(@TempDir Path dir) throws Exception {
        try (HeapServerInstance server = HeapServerInstance.start(new HeapServerConfig().setHost("127.0.0.1").setPort(0)
                .setDataDir(dir).setPoolSize(4), Clock.systemUTC())) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit = GatewayBench.commandLine(new GatewayBench(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8))).execute("--server", server.address(),
                    "--rounds", "20", "--connections", "10", "--seconds", "1", "--warmup", "0");
            String report = out.toString(StandardCharsets.UTF_8);
            System.out.println(report);
            assertThat(exit).as("stderr: %s", err.toString(StandardCharsets.UTF_8)).isZero();

            assertThat(report).contains("measure").contains("direct").contains("gateway - direct");
            String num = "[0-9.]+ (µs|us|ms)";
            String difference = "[+-][0-9.]+ (µs|us|ms)";   // in ms from 10 ms on (a busy machine)
            for (String p : new String[] {"p50", "p90", "p99", "mean"}) {
                assertThat(report).containsPattern("read round trip " + p + " +" + num + " +" + num + " +" + difference + " \\([0-9.]+x\\)");
            }
            assertThat(report).containsPattern("empty call p50 \\(one hop\\) +" + num + " +" + num + " +" + difference);
            assertThat(report).containsPattern("10 connections: reads/s +[0-9]+ +[0-9]+ +[0-9.]+x");
            assertThat(report).containsPattern("10 connections: p50 / p99 +" + num + " / " + num + " +" + num + " / " + num + " +[+-][0-9.]+ (µs|us|ms)");
            assertThat(report).containsPattern("target: gateway adds <= 60 (µs|us) at p50 \\[(met|NOT met): [+-][0-9]+ (µs|us)]");
            assertThat(report).doesNotContain("!!");

            ManagedChannel c = NettyChannelBuilder.forTarget(server.address()).usePlaintext().build();
            try {
                assertThat(HeapStoreGrpc.newBlockingStub(c).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .listApps(ListAppsRequest.getDefaultInstance()).getAppsList())
                        .extracting(AppInfo::getApp).noneMatch(a -> a.startsWith("bench-gw-"));
            } finally {
                c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void badUsageIsOneLineAndExitTwo() {
        for (String[] args : new String[][] {
                {"--gateway", "127.0.0.1:7800"},
                {"--server", "nohostport"},
                {"--server", "127.0.0.1:7700", "--rounds", "5"},
                {"--server", "127.0.0.1:7700", "--data", "/tmp/x"}}) {
            StringWriter err = new StringWriter();
            picocli.CommandLine cli = GatewayBench.commandLine(new GatewayBench());
            cli.setErr(new PrintWriter(err, true));
            assertThat(cli.execute(args)).as(String.join(" ", args)).isEqualTo(2);
            assertThat(err.toString().lines()).hasSize(1);
            assertThat(err.toString()).startsWith("vheap bench gateway: ");
        }
        StringWriter err = new StringWriter();
        picocli.CommandLine cli = GatewayBench.commandLine(new GatewayBench());
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute("--bogus")).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("vheap bench gateway: Unknown option: '--bogus' (see: ./vheap bench gateway --help)");
    }
}
