package org.vheap.device.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.device.control.DeviceControlClient;
import org.vheap.device.control.DeviceControlHandler;
import org.vheap.device.control.DeviceRegistration;
import org.vheap.proto.v1.DeviceControlGrpc;
import org.vheap.proto.v1.ResetDeviceTokenRequest;
import org.vheap.security.AccessTokens;
import org.vheap.security.BearerToken;
import org.vheap.security.ClientTls;
import org.vheap.server.testing.TestHeapServer;
import org.vheap.server.testing.TestHeaps;

/**
 * A device's control stream on a heap server that requires tokens (real server, the test run's database,
 * loopback): the client attaches with its device token or the admin token, gives up at once (saying why)
 * without one, and {@code vheap device start} turns its options into that token or a one-line error.
 */
class SecureDeviceControlTest {
    private static final String ADMIN = AccessTokens.generate();
    private static final Path dir = TestHeaps.tempDir("vheap-device-control-sec");

    @RegisterExtension
    static final TestHeapServer SERVER = TestHeapServer.onLoopback().requireTokens(ADMIN);

    private static final DeviceControlHandler NOTHING = new DeviceControlHandler() {
        @Override
        public long suspend(String app) {
            throw new UnsupportedOperationException("test");
        }

        @Override
        public void resume(String app, long checkpointId) {
            throw new UnsupportedOperationException("test");
        }

        @Override
        public void stop(String app) {
        }
    };

    @AfterAll
    static void removeTheTokens() {
        TestHeaps.deleteRecursively(dir);
    }

    private static String issue(String device) throws InterruptedException {
        ManagedChannel ch = NettyChannelBuilder.forTarget(SERVER.target()).usePlaintext().build();
        try {
            return DeviceControlGrpc.newBlockingStub(BearerToken.attach(ch, ADMIN)).withDeadlineAfter(20, TimeUnit.SECONDS)
                    .resetDeviceToken(ResetDeviceTokenRequest.newBuilder().setDevice(device).build()).getDeviceToken();
        } finally {
            ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static DeviceControlClient client(String device, String token) {
        return new DeviceControlClient(SERVER.target(), ClientTls.plaintext(), token, new DeviceRegistration(device, 1 << 20, List.of()),
                NOTHING, List::of);
    }

    @Test
    void attachesWithItsDeviceTokenOrTheAdminTokenAndGivesUpWithoutOne() throws Exception {
        String device = TestHeaps.app("sec-dev");
        String token = issue(device);
        try (DeviceControlClient none = client(device, null)) {
            none.start();
            assertThat(none.awaitAttached(Duration.ofSeconds(10))).isFalse();
            assertThat(none.gaveUp().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(none.gaveUp().getDescription()).contains("device '" + device + "' attaches with its device token");
        }
        try (DeviceControlClient wrong = client(device, issue(TestHeaps.app("sec-other")))) {
            wrong.start();
            assertThat(wrong.awaitAttached(Duration.ofSeconds(10))).isFalse();
            assertThat(wrong.gaveUp().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        }
        try (DeviceControlClient own = client(device, token)) {
            own.start();
            assertThat(own.awaitAttached(Duration.ofSeconds(10))).isTrue();
            assertThat(own.gaveUp()).isNull();
        }
        try (DeviceControlClient byAdmin = client(device, ADMIN)) {
            byAdmin.start();
            assertThat(byAdmin.awaitAttached(Duration.ofSeconds(10))).isTrue();
        }
    }

    private record Run(int exit, String err) {
    }

    private static Run start(String... args) {
        InputStream stdin = System.in;
        System.setIn(new ByteArrayInputStream("quit\n".getBytes()));
        try {
            picocli.CommandLine cli = DeviceCli.commandLine(args);
            StringWriter err = new StringWriter();
            cli.setErr(new PrintWriter(err));
            cli.setOut(new PrintWriter(new StringWriter()));
            int exit = cli.execute(args);
            return new Run(exit, err.toString().strip());
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void deviceStartSendsItsDeviceTokenAndSaysInOneLineWhenItIsRefused() throws Exception {
        String device = TestHeaps.app("sec-start");
        Path file = dir.resolve(device + ".token");
        AccessTokens.write(file, issue(device));

        Run ok = start("start", "--server", SERVER.target(), "--device", device, "--device-token-file", file.toString());
        assertThat(ok.exit()).as(ok.err()).isZero();

        Run none = start("start", "--server", SERVER.target(), "--device", device);
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).startsWith("vheap device start: device " + device + ": " + SERVER.target()
                + " refused its control stream: UNAUTHENTICATED: device '" + device + "' attaches with its device token")
                .doesNotContain("\n");

        Run appToken = start("start", "--server", SERVER.target(), "--device", device, "--token", AccessTokens.generate());
        assertThat(appToken.exit()).isEqualTo(1);
        assertThat(appToken.err()).contains("refused its control stream: PERMISSION_DENIED: the token given is not device '"
                + device + "''s").doesNotContain("\n");

        Run missing = start("start", "--server", SERVER.target(), "--device", device, "--device-token-file", dir.resolve("nope").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("vheap device start: --device-token-file " + dir.resolve("nope")
                + ": no such file (the admin issues the token with: vheap token --device NAME --out FILE)");

        Run both = start("start", "--server", SERVER.target(), "--device", device, "--device-token-file", file.toString(),
                "--device-token", "vht_x");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).isEqualTo("vheap device start: give --device-token or --device-token-file, not both");
    }
}
