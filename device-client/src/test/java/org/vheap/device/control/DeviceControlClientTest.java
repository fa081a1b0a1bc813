package org.vheap.device.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.device.TestStores;
import org.vheap.device.store.HeapSession;
import org.vheap.device.store.OpenRequest;
import org.vheap.proto.v1.DeviceControlGrpc;
import org.vheap.proto.v1.DeviceInfo;
import org.vheap.proto.v1.ListDevicesRequest;
import org.vheap.proto.v1.ResumeAppRequest;
import org.vheap.proto.v1.SuspendAppRequest;
import org.vheap.proto.v1.SuspendAppResponse;
import org.vheap.server.HeapServer;
import org.vheap.server.store.PgHeapStore;
import org.vheap.server.store.StoreSettings;
import org.vheap.server.testing.TestHeaps;
import org.vheap.store.LineImage;

/** {@link DeviceControlClient} against a real heap server (embedded PostgreSQL, loopback TCP). */
class DeviceControlClientTest {
    @RegisterExtension
    static final TestStores.Server SERVER = new TestStores.Server();

    private static ManagedChannel channel;

    @BeforeAll
    static void connect() {
        channel = NettyChannelBuilder.forTarget(SERVER.target()).usePlaintext().build();
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static DeviceControlGrpc.DeviceControlBlockingStub control(ManagedChannel ch) {
        return DeviceControlGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private static DeviceInfo listed(ManagedChannel ch, String device) {
        return control(ch).listDevices(ListDevicesRequest.getDefaultInstance()).getDevicesList().stream()
                .filter(d -> d.getDevice().equals(device)).findFirst().orElse(null);
    }

    private static void eventually(Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.get()) {
            assertThat(System.nanoTime() - deadline).as("condition not met within 10 s").isNegative();
            Thread.sleep(20);
        }
    }

    /** A device's apps as heap sessions: suspend commits and closes, resume opens from the checkpoint. */
    private static final class Apps implements DeviceControlHandler {
        final String device;
        final Map<String, HeapSession> running = new ConcurrentHashMap<>();
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile String refuse;

        Apps(String device) {
            this.device = device;
        }

        void run(String app) {
            HeapSession s = SERVER.store().openHeap(new OpenRequest(app, device, true, 64, Duration.ZERO, 0));
            s.flush(List.of(new LineImage(1, TestHeaps.line(64, 11))), new long[0]);
            running.put(app, s);
        }

        @Override
        public long suspend(String app) {
            calls.add("suspend " + app + " on " + Thread.currentThread().getName());
            if (refuse != null) {
                throw new IllegalStateException(refuse);
            }
            HeapSession s = running.remove(app);
            long cp = s.commit(List.of(), new long[0], new byte[] {1, 2, 3}, Map.of());
            s.close();
            return cp;
        }

        @Override
        public void resume(String app, long checkpointId) {
            calls.add("resume " + app + " from " + checkpointId);
            HeapSession s = SERVER.store().openHeap(new OpenRequest(app, device, false, 0, Duration.ZERO, checkpointId));
            running.put(app, s);
        }

        @Override
        public void stop(String app) {
            running.remove(app).close();
        }

        List<String> apps() {
            return List.copyOf(running.keySet());
        }
    }

    @Test
    void attachesAndAnswersTheServersSuspendAndResume() throws Exception {
        String device = TestHeaps.app("ctl-dev");
        String app = TestHeaps.app("ctl-app");
        Apps apps = new Apps(device);
        apps.run(app);
        try (DeviceControlClient client = new DeviceControlClient(SERVER.target(),
                new DeviceRegistration(device, 4 << 20, List.of("file:/data")), apps, apps::apps)) {
            assertThat(client.awaitAttached(Duration.ofMillis(50))).isFalse();
            client.start();
            assertThat(client.awaitAttached(Duration.ofSeconds(10))).isTrue();
            DeviceInfo info = listed(channel, device);
            assertThat(info.getMemoryBytes()).isEqualTo(4 << 20);
            assertThat(info.getResourcesList()).containsExactly("file:/data");
            assertThat(info.getAppsRunningList()).containsExactly(app);

            SuspendAppResponse r = control(channel).suspendApp(SuspendAppRequest.newBuilder().setApp(app).build());
            assertThat(r.getDevice()).isEqualTo(device);
            assertThat(r.getCheckpointId()).isPositive();
            assertThat(apps.calls).singleElement().asString().startsWith("suspend " + app + " on vheap-control-command-");
            assertThat(listed(channel, device).getAppsRunningList()).isEmpty();

            control(channel).resumeApp(ResumeAppRequest.newBuilder().setApp(app).setDevice(device)
                    .setCheckpointId(r.getCheckpointId()).build());
            assertThat(apps.calls).last().isEqualTo("resume " + app + " from " + r.getCheckpointId());
            assertThat(apps.running.get(app).baseCheckpointId()).isEqualTo(r.getCheckpointId());

            apps.refuse = "the app holds a socket it cannot give up";
            assertThatThrownBy(() -> control(channel).suspendApp(SuspendAppRequest.newBuilder().setApp(app).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                        assertThat(e.getStatus().getDescription()).endsWith(": the app holds a socket it cannot give up");
                    });

            client.appStateChanged("other-app", "running");
            eventually(() -> listed(channel, device).getAppsRunningList().contains("other-app"));
        } finally {
            apps.running.values().forEach(HeapSession::close);
        }
        eventually(() -> listed(channel, device) == null);
    }

    @Test
    void reattachesAfterTheServerRestarts() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String target = "127.0.0.1:" + port;
        String device = TestHeaps.app("ctl-restart");
        Apps apps = new Apps(device);
        ManagedChannel ch = NettyChannelBuilder.forTarget(target).usePlaintext().build();
        HeapServer server = server(port);
        try (DeviceControlClient client = new DeviceControlClient(target, new DeviceRegistration(device, 1 << 20, List.of()),
                apps, () -> List.of("app-x"))) {
            client.start();
            assertThat(client.awaitAttached(Duration.ofSeconds(10))).isTrue();

            server.stop(Duration.ofSeconds(5));
            eventually(() -> !client.awaitAttached(Duration.ZERO));
            Thread.sleep(1_000);   // a few failed attempts while no server listens

            long restarted = System.nanoTime();
            server = server(port);
            assertThat(client.awaitAttached(Duration.ofSeconds(10))).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - restarted))
                    .isLessThan(Duration.ofMillis(DeviceControlClient.MAX_BACKOFF_MILLIS + 2_000));
            assertThat(listed(ch, device).getAppsRunningList()).containsExactly("app-x");
        } finally {
            server.stop(Duration.ofSeconds(5));
            ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** A heap server on this port over the run's database. */
    private static HeapServer server(int port) throws Exception {
        return new HeapServer(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port)),
                new PgHeapStore(SERVER.dataSource(), SERVER.clock(), StoreSettings.defaults(), Runnable::run)).start();
    }

    @Test
    void checksItsArguments() {
        Apps apps = new Apps("d");
        assertThatThrownBy(() -> new DeviceControlClient("nonsense", new DeviceRegistration("d", 0, List.of()), apps, List::of))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> new DeviceRegistration(" ", 0, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("device name is empty");
        DeviceControlClient c = new DeviceControlClient(SERVER.target(), new DeviceRegistration("d", 0, List.of()), apps, List::of);
        c.close();
        assertThatThrownBy(c::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(c.awaitAttached(Duration.ofSeconds(1))).isFalse();
    }
}
