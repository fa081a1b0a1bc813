package org.vheap.server.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.client.HeapStoreClient;
import org.vheap.proto.v1.AppInfo;
import org.vheap.proto.v1.AppReport;
import org.vheap.proto.v1.Command;
import org.vheap.proto.v1.CommandResult;
import org.vheap.proto.v1.ControlMessage;
import org.vheap.proto.v1.DeviceControlGrpc;
import org.vheap.proto.v1.DeviceInfo;
import org.vheap.proto.v1.DeviceMessage;
import org.vheap.proto.v1.DeviceReport;
import org.vheap.proto.v1.ListAppsRequest;
import org.vheap.proto.v1.ListCheckpointsRequest;
import org.vheap.proto.v1.ListDevicesRequest;
import org.vheap.proto.v1.MigrateAppRequest;
import org.vheap.proto.v1.MigrateAppResponse;
import org.vheap.proto.v1.Register;
import org.vheap.proto.v1.ResumeAppRequest;
import org.vheap.proto.v1.SuspendAppRequest;
import org.vheap.proto.v1.SuspendAppResponse;
import org.vheap.server.testing.TestHeapServer;
import org.vheap.server.testing.TestHeaps;

/**
 * The control plane, in process, against a heap server on the shared embedded PostgreSQL, with
 * {@link FakeDevice}s as the devices (they hold real heap leases through the HeapStore API).
 */
class DeviceControlServiceTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    @RegisterExtension
    static final TestHeapServer SERVER = TestHeapServer.inProcess().commandTimeout(COMMAND_TIMEOUT);

    private static DeviceControlGrpc.DeviceControlBlockingStub control() {
        return DeviceControlGrpc.newBlockingStub(SERVER.channel()).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private static HeapStoreClient store() {
        return new HeapStoreClient(SERVER.channel(), 30_000);
    }

    private static DeviceInfo listed(String device) {
        return control().listDevices(ListDevicesRequest.getDefaultInstance()).getDevicesList().stream()
                .filter(d -> d.getDevice().equals(device)).findFirst().orElse(null);
    }

    private static AppInfo app(String app) {
        return store().blocking().listApps(ListAppsRequest.getDefaultInstance()).getAppsList().stream()
                .filter(a -> a.getApp().equals(app)).findFirst().orElseThrow();
    }

    private static void assertStatus(Runnable call, Status.Code code, String... message) {
        assertThatThrownBy(call::run).isInstanceOf(StatusRuntimeException.class).satisfies(e -> {
            Status s = ((StatusRuntimeException) e).getStatus();
            assertThat(s.getCode()).as(s.toString()).isEqualTo(code);
            for (String m : message) {
                assertThat(s.getDescription()).contains(m);
            }
        });
    }

    private static void eventually(Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.get()) {
            assertThat(System.nanoTime() - deadline).as("condition not met within 10 s").isNegative();
            Thread.sleep(20);
        }
    }

    @Test
    void aRegisteredDeviceIsListedWithItsAppsUntilItDetaches() throws Exception {
        String name = TestHeaps.app("dev-list");
        FakeDevice d = new FakeDevice(SERVER.channel(), name, 8 << 20, List.of("file:/data", "sensor:gps"), List.of("app-b", "app-a"));
        assertThat(d.attached.get(10, TimeUnit.SECONDS).getDevice()).isEqualTo(name);
        DeviceInfo info = listed(name);
        assertThat(info.getMemoryBytes()).isEqualTo(8 << 20);
        assertThat(info.getResourcesList()).containsExactly("file:/data", "sensor:gps");
        assertThat(info.getAppsRunningList()).containsExactly("app-a", "app-b");
        assertThat(info.getConnectedSince().getSeconds()).isPositive();

        d.appStatus("app-c", "running");
        d.appStatus("app-a", "exited");
        eventually(() -> listed(name).getAppsRunningList().equals(List.of("app-b", "app-c")));

        d.close();
        assertThat(d.ended.get(10, TimeUnit.SECONDS).isOk()).isTrue();
        eventually(() -> listed(name) == null);
    }

    @Test
    void aDevicesReportIsListedAndExportedAsMetersUntilItDetaches() throws Exception {
        String name = TestHeaps.app("dev-report");
        FakeDevice d = FakeDevice.attach(SERVER.channel(), name);
        assertThat(listed(name).hasReport()).as("no report yet").isFalse();
        d.send(DeviceMessage.newBuilder().setReport(DeviceReport.newBuilder().setMemoryBytesUsed(12_288)
                .addApps(AppReport.newBuilder().setApp("app-x").setFaults(7).setLinesFlushed(3).setCollections(2)
                        .setPauseNanosTotal(3_000_000).setPauseNanosMax(2_000_000).setHeapBytesUsed(5000)
                        .setResidentBytes(12_288).setLastCheckpointId(9).setCheckpointAgeMillis(1500).setCheckpointsBehind(1)))
                .build());
        eventually(() -> listed(name).hasReport());
        DeviceInfo info = listed(name);
        assertThat(info.getReport().getApps(0).getFaults()).isEqualTo(7);
        assertThat(info.getReport().getMemoryBytesUsed()).isEqualTo(12_288);
        assertThat(info.getLastSeen().getSeconds()).isGreaterThanOrEqualTo(info.getConnectedSince().getSeconds());

        // a malformed report is dropped: the last good one stays, and the device stays attached
        d.send(DeviceMessage.newBuilder().setReport(DeviceReport.newBuilder()
                .addApps(AppReport.newBuilder().setApp("app-x").setFaults(-1))).build());
        d.send(DeviceMessage.newBuilder().setReport(DeviceReport.newBuilder()
                .addApps(AppReport.newBuilder().setApp("app-x")).addApps(AppReport.newBuilder().setApp("app-x"))).build());
        d.appStatus("app-z", "running");   // after the reports on the same stream: once listed, they were handled
        eventually(() -> listed(name).getAppsRunningList().contains("app-z"));
        assertThat(listed(name).getReport().getApps(0).getFaults()).isEqualTo(7);
        assertThat(d.ended).isNotDone();
        // and the next good one replaces it whole
        d.send(DeviceMessage.newBuilder().setReport(DeviceReport.newBuilder().setMemoryBytesUsed(4096)
                .addApps(AppReport.newBuilder().setApp("app-x").setFaults(9))).build());
        eventually(() -> listed(name).getReport().getApps(0).getFaults() == 9);
        assertThat(listed(name).getReport().getMemoryBytesUsed()).isEqualTo(4096);
        d.send(DeviceMessage.newBuilder().setReport(DeviceReport.newBuilder().setMemoryBytesUsed(12_288)
                .addApps(AppReport.newBuilder().setApp("app-x").setFaults(7).setLinesFlushed(3).setCollections(2)
                        .setPauseNanosTotal(3_000_000).setPauseNanosMax(2_000_000).setHeapBytesUsed(5000)
                        .setResidentBytes(12_288).setLastCheckpointId(9).setCheckpointAgeMillis(1500).setCheckpointsBehind(1)))
                .build());
        eventually(() -> listed(name).getReport().getApps(0).getFaults() == 7);

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (DeviceMeters meters = DeviceMeters.unscheduled(registry,
                () -> control().listDevices(ListDevicesRequest.getDefaultInstance()).getDevicesList(), java.time.Clock.systemUTC())) {
            meters.refresh();
            assertThat(registry.get("vheap.device.app.faults").tags("device", name, "app", "app-x").gauge().value()).isEqualTo(7);
            assertThat(registry.get("vheap.device.app.gc.pause.max").tags("device", name, "app", "app-x").gauge().value()).isEqualTo(0.002);
            assertThat(registry.get("vheap.device.app.checkpoints.behind").tags("device", name, "app", "app-x").gauge().value()).isEqualTo(1);
            assertThat(registry.get("vheap.device.memory.used").tags("device", name).gauge().value()).isEqualTo(12_288);
            d.close();
            eventually(() -> listed(name) == null);
            meters.refresh();
            assertThat(registry.find("vheap.device.app.faults").tags("device", name).gauges()).as("gone with the device").isEmpty();
        }
    }

    @Test
    void aSecondAttachOfTheSameNameReplacesTheFirst() throws Exception {
        String name = TestHeaps.app("dev-twice");
        FakeDevice first = FakeDevice.attach(SERVER.channel(), name);
        FakeDevice second = new FakeDevice(SERVER.channel(), name, 42, List.of(), List.of());
        second.attached.get(10, TimeUnit.SECONDS);
        Status old = first.ended.get(10, TimeUnit.SECONDS);
        assertThat(old.getCode()).isEqualTo(Status.Code.ABORTED);
        assertThat(old.getDescription()).contains("attached again").contains("replaced");
        assertThat(listed(name).getMemoryBytes()).isEqualTo(42);
        assertThat(second.ended).isNotDone();
        second.close();
    }

    /**
     * Found by the store-requests fuzz target: a stream refused at its first message and half-closed by the device at
     * once was closed twice by the server, which gRPC logged as an exception of the handler. Now it ends once.
     */
    @Test
    void aStreamRefusedAndHalfClosedAtOnceIsClosedOnce() throws Exception {
        java.util.List<java.util.logging.LogRecord> severe = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()) {
                    severe.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger grpc = java.util.logging.Logger.getLogger("io.grpc");
        grpc.addHandler(handler);
        try {
            for (int i = 0; i < 20; i++) {
                java.util.concurrent.CompletableFuture<Status> ended = new java.util.concurrent.CompletableFuture<>();
                io.grpc.stub.StreamObserver<DeviceMessage> in = DeviceControlGrpc.newStub(SERVER.channel()).attach(
                        new io.grpc.stub.StreamObserver<>() {
                            @Override
                            public void onNext(ControlMessage m) {
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
                in.onNext(DeviceMessage.newBuilder().setResult(CommandResult.newBuilder().setCommandId(1)).build());
                in.onCompleted();
                assertThat(ended.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            }
            Thread.sleep(200);
            assertThat(severe).as("exceptions gRPC logged from the server's handler").isEmpty();
        } finally {
            grpc.removeHandler(handler);
        }
    }

    @Test
    void aStreamMustStartWithExactlyOneRegister() throws Exception {
        FakeDevice unregistered = new FakeDevice(SERVER.channel(), null, 0, List.of(), List.of());
        unregistered.answer(CommandResult.newBuilder().setCommandId(1).setOk(true).build());
        Status s = unregistered.ended.get(10, TimeUnit.SECONDS);
        assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(s.getDescription()).contains("first message of an Attach stream is a Register");

        String name = TestHeaps.app("dev-dup");
        FakeDevice twice = FakeDevice.attach(SERVER.channel(), name);
        twice.send(DeviceMessage.newBuilder().setRegister(Register.newBuilder().setDevice(name)).build());
        s = twice.ended.get(10, TimeUnit.SECONDS);
        assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(s.getDescription()).contains("already registered");
        eventually(() -> listed(name) == null);

        FakeDevice badName = new FakeDevice(SERVER.channel(), "", 0, List.of(), List.of());
        s = badName.ended.get(10, TimeUnit.SECONDS);
        assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(s.getDescription()).contains("device name is empty");
    }

    @Test
    void suspendAsksTheLeaseHolderAndReturnsItsCheckpoint() throws Exception {
        String app = TestHeaps.app("susp");
        FakeDevice other = FakeDevice.attach(SERVER.channel(), TestHeaps.app("dev-other"));
        try (FakeDevice d = FakeDevice.attach(SERVER.channel(), TestHeaps.app("dev-holder"))) {
            d.run(app, 7);
            SuspendAppResponse r = control().suspendApp(SuspendAppRequest.newBuilder().setApp(app).build());
            assertThat(r.getDevice()).isEqualTo(d.name);
            long newest = store().blocking().listCheckpoints(ListCheckpointsRequest.newBuilder().setApp(app).build())
                    .getCheckpoints(0).getCheckpointId();
            assertThat(r.getCheckpointId()).isPositive().isEqualTo(newest);
            assertThat(app(app).hasLease()).isFalse();
            assertThat(d.commands.poll().getKind()).isEqualTo(Command.Kind.SUSPEND);
            assertThat(other.commands).isEmpty();

            assertStatus(() -> control().suspendApp(SuspendAppRequest.newBuilder().setApp(app).build()),
                    Status.Code.FAILED_PRECONDITION, "app '" + app + "' is not running on any device");
        } finally {
            other.close();
        }
    }

    @Test
    void suspendFailsClearlyWhenItCannotBeDone() throws Exception {
        assertStatus(() -> control().suspendApp(SuspendAppRequest.newBuilder().setApp("no-such-app").build()),
                Status.Code.NOT_FOUND, "no app named 'no-such-app'");

        String orphan = TestHeaps.app("orphan");
        FakeDevice gone = FakeDevice.attach(SERVER.channel(), TestHeaps.app("dev-gone"));
        gone.run(orphan, 1);
        gone.close();
        eventually(() -> listed(gone.name) == null);
        assertStatus(() -> control().suspendApp(SuspendAppRequest.newBuilder().setApp(orphan).build()),
                Status.Code.FAILED_PRECONDITION, "runs on device '" + gone.name + "'", "not connected to the server");

        String app = TestHeaps.app("refused");
        try (FakeDevice d = FakeDevice.attach(SERVER.channel(), TestHeaps.app("dev-refuse"))) {
            d.run(app, 1);
            d.refuse = "the app is in a native call";
            assertStatus(() -> control().suspendApp(SuspendAppRequest.newBuilder().setApp(app).build()),
                    Status.Code.FAILED_PRECONDITION, "device '" + d.name + "' could not suspend app '" + app
                            + "': the app is in a native call");
        }
    }

    @Test
    void migrateMovesTheAppBetweenDevicesThroughACheckpoint() throws Exception {
        String app = TestHeaps.app("mig");
        try (FakeDevice a = FakeDevice.attach(SERVER.channel(), TestHeaps.app("dev-a"));
             FakeDevice b = FakeDevice.attach(SERVER.channel(), TestHeaps.app("dev-b"))) {
            a.run(app, 42);
            MigrateAppResponse r = control().migrateApp(MigrateAppRequest.newBuilder().setApp(app)
                    .setToDevice(b.name).build());
            assertThat(r.getFromDevice()).isEqualTo(a.name);
            assertThat(r.getToDevice()).isEqualTo(b.name);
            assertThat(r.getCheckpointId()).isPositive();
            assertThat(r.getSuspendMillis()).isNotNegative();
            assertThat(r.getResumeMillis()).isNotNegative();
            assertThat(b.resumed.get(app)).isEqualTo(new FakeDevice.Resumed(r.getCheckpointId(), 42));
            assertThat(app(app).getLease().getHolder()).isEqualTo(b.name);
            assertThat(listed(b.name).getAppsRunningList()).contains(app);
            assertThat(listed(a.name).getAppsRunningList()).doesNotContain(app);

            assertStatus(() -> control().migrateApp(MigrateAppRequest.newBuilder().setApp(app)
                    .setToDevice(b.name).build()), Status.Code.INVALID_ARGUMENT, "already runs on device '" + b.name + "'");

            // suspended, then moved: just a resume on the target, from the checkpoint asked for
            long cp = control().suspendApp(SuspendAppRequest.newBuilder().setApp(app).build()).getCheckpointId();
            MigrateAppResponse again = control().migrateApp(MigrateAppRequest.newBuilder().setApp(app)
                    .setToDevice(a.name).setCheckpointId(r.getCheckpointId()).build());
            assertThat(again.getFromDevice()).isEmpty();
            assertThat(again.getSuspendMillis()).isZero();
            assertThat(again.getCheckpointId()).isEqualTo(r.getCheckpointId()).isLessThan(cp);
            assertThat(a.resumed.get(app).baseCheckpointId()).isEqualTo(r.getCheckpointId());
        }
    }

    @Test
    void aBadTargetChangesNothing() throws Exception {
        String app = TestHeaps.app("stay");
        try (FakeDevice a = FakeDevice.attach(SERVER.channel(), TestHeaps.app("dev-stay"));
             FakeDevice b = FakeDevice.attach(SERVER.channel(), TestHeaps.app("dev-idle"))) {
            long token = a.run(app, 3);
            assertStatus(() -> control().migrateApp(MigrateAppRequest.newBuilder().setApp(app)
                            .setToDevice("nowhere").build()), Status.Code.FAILED_PRECONDITION,
                    "device 'nowhere' is not connected to the server (connected: ", a.name);
            assertStatus(() -> control().migrateApp(MigrateAppRequest.newBuilder().setApp(app)
                    .setToDevice(b.name).setCheckpointId(999_999).build()), Status.Code.NOT_FOUND, "no checkpoint 999999");
            assertStatus(() -> control().migrateApp(MigrateAppRequest.newBuilder().setApp("no-such-app")
                    .setToDevice(a.name).build()), Status.Code.NOT_FOUND, "no app named 'no-such-app'");
            assertStatus(() -> control().migrateApp(MigrateAppRequest.newBuilder().setApp(app).build()),
                    Status.Code.INVALID_ARGUMENT, "to_device is empty");
            assertThat(a.commands).isEmpty();
            assertThat(b.commands).isEmpty();
            assertThat(app(app).getLease().getHolder()).isEqualTo(a.name);
            assertThat(app(app).getLease().getFencingToken()).isEqualTo(token);
        }
    }

    @Test
    void resumeRunsASuspendedAppOnTheNamedDevice() throws Exception {
        String app = TestHeaps.app("res");
        try (FakeDevice a = FakeDevice.attach(SERVER.channel(), TestHeaps.app("dev-res"))) {
            a.run(app, 9);
            assertStatus(() -> control().resumeApp(ResumeAppRequest.newBuilder().setApp(app).setDevice(a.name).build()),
                    Status.Code.FAILED_PRECONDITION, "runs on device '" + a.name + "'", "suspend it first");
            long cp = control().suspendApp(SuspendAppRequest.newBuilder().setApp(app).build()).getCheckpointId();
            control().resumeApp(ResumeAppRequest.newBuilder().setApp(app).setDevice(a.name).build());
            assertThat(a.resumed.get(app)).isEqualTo(new FakeDevice.Resumed(cp, 9));
            assertThat(app(app).getLease().getHolder()).isEqualTo(a.name);
        }
    }

    @Test
    void aDeviceDisconnectingMidCommandFailsItWithUnavailable() throws Exception {
        String app = TestHeaps.app("cut");
        FakeDevice d = FakeDevice.attach(SERVER.channel(), TestHeaps.app("dev-cut"));
        d.run(app, 1);
        d.silent = true;
        var pending = DeviceControlGrpc.newFutureStub(SERVER.channel()).withDeadlineAfter(30, TimeUnit.SECONDS)
                .suspendApp(SuspendAppRequest.newBuilder().setApp(app).build());
        assertThat(d.commands.poll(10, TimeUnit.SECONDS)).isNotNull();
        d.crash();
        assertStatus(() -> {
            try {
                pending.get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw (RuntimeException) e.getCause();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, Status.Code.UNAVAILABLE, "device '" + d.name + "' disconnected", "before it answered the request to suspend app");
    }

    @Test
    void aDeviceThatDoesNotAnswerInTimeIsDeadlineExceededAndItsLateAnswerIsDropped() throws Exception {
        String app = TestHeaps.app("slow");
        try (FakeDevice d = FakeDevice.attach(SERVER.channel(), TestHeaps.app("dev-slow"))) {
            d.run(app, 1);
            d.silent = true;
            long start = System.nanoTime();
            assertStatus(() -> control().suspendApp(SuspendAppRequest.newBuilder().setApp(app).build()),
                    Status.Code.DEADLINE_EXCEEDED, "did not answer the request to suspend app '" + app + "' within 2 s");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(COMMAND_TIMEOUT)
                    .isLessThan(COMMAND_TIMEOUT.plusSeconds(5));
            Command c = d.commands.poll();
            d.answer(CommandResult.newBuilder().setCommandId(c.getCommandId()).setOk(true).setCheckpointId(5).build());
            // the late answer is dropped and the stream goes on
            Thread.sleep(100);
            assertThat(d.ended).isNotDone();
            assertThat(listed(d.name)).isNotNull();
        }
    }
}
