package org.vheap.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.proto.v1.Attached;
import org.vheap.proto.v1.ControlMessage;
import org.vheap.proto.v1.DeviceControlGrpc;
import org.vheap.proto.v1.DeviceInfo;
import org.vheap.proto.v1.DeviceMessage;
import org.vheap.proto.v1.HeapStoreGrpc;
import org.vheap.proto.v1.ListDevicesRequest;
import org.vheap.proto.v1.OpenHeapRequest;
import org.vheap.proto.v1.Register;
import org.vheap.proto.v1.ResetDeviceTokenRequest;
import org.vheap.security.AccessTokens;
import org.vheap.security.BearerToken;
import org.vheap.server.testing.TestHeapServer;
import org.vheap.server.testing.TestHeaps;

/**
 * Devices' control streams on a heap server that requires tokens (real server on the shared embedded
 * PostgreSQL, real gRPC in process): an Attach needs the device's own token or the admin token, a reset
 * replaces the token (and ends the stream it admitted), only hashes are stored, and a refused Attach replaces
 * no attached device.
 */
class DeviceTokenTest {
    private static final String admin = AccessTokens.generate();

    @RegisterExtension
    static final TestHeapServer SERVER = TestHeapServer.inProcess().commandTimeout(Duration.ofSeconds(5))
            .requireTokens(admin);

    private static DeviceControlGrpc.DeviceControlBlockingStub control(String token) {
        return DeviceControlGrpc.newBlockingStub(BearerToken.attach(SERVER.channel(), token)).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private static String issue(String device) {
        return control(admin).resetDeviceToken(ResetDeviceTokenRequest.newBuilder().setDevice(device).build()).getDeviceToken();
    }

    private static DeviceInfo listed(String device) {
        return control(admin).listDevices(ListDevicesRequest.getDefaultInstance()).getDevicesList().stream()
                .filter(d -> d.getDevice().equals(device)).findFirst().orElse(null);
    }

    /** One raw Attach stream that registers {@code device} with {@code token} (null: none). */
    private static final class Stream implements AutoCloseable {
        final CompletableFuture<Attached> attached = new CompletableFuture<>();
        final CompletableFuture<Status> ended = new CompletableFuture<>();
        private final StreamObserver<DeviceMessage> requests;

        Stream(String device, String token) {
            Channel ch = BearerToken.attach(SERVER.channel(), token);
            requests = DeviceControlGrpc.newStub(ch).attach(new StreamObserver<>() {
                @Override
                public void onNext(ControlMessage m) {
                    if (m.hasAttached()) {
                        attached.complete(m.getAttached());
                    }
                }

                @Override
                public void onError(Throwable t) {
                    attached.completeExceptionally(t);
                    ended.complete(Status.fromThrowable(t));
                }

                @Override
                public void onCompleted() {
                    attached.completeExceptionally(new IllegalStateException("completed without Attached"));
                    ended.complete(Status.OK);
                }
            });
            requests.onNext(DeviceMessage.newBuilder().setRegister(Register.newBuilder().setDevice(device)
                    .setMemoryBytes(1 << 20)).build());
        }

        Attached awaitAttached() throws Exception {
            return attached.get(10, TimeUnit.SECONDS);
        }

        Status awaitEnd() throws Exception {
            return ended.get(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            try {
                requests.onCompleted();
            } catch (RuntimeException ignored) {
                // already ended
            }
        }
    }

    private static Status refused(String device, String token) throws Exception {
        try (Stream s = new Stream(device, token)) {
            Status st = s.awaitEnd();
            assertThat(s.attached).isCompletedExceptionally();
            return st;
        }
    }

    private static void assertStatus(Status s, Status.Code code, String message) {
        assertThat(s.getCode()).as(s.toString()).isEqualTo(code);
        assertThat(s.getDescription()).contains(message);
    }

    @Test
    void anAttachNeedsTheDevicesOwnTokenOrTheAdmins() throws Exception {
        String dev = TestHeaps.app("dev-sec");
        String other = TestHeaps.app("dev-other");
        String token = issue(dev);
        String otherToken = issue(other);
        String appToken = HeapStoreGrpc.newBlockingStub(SERVER.channel()).withDeadlineAfter(20, TimeUnit.SECONDS)
                .openHeap(OpenHeapRequest.newBuilder().setApp(TestHeaps.app("dev-sec-app")).setDevice(dev)
                        .setCreate(true).setLineSize(64).build()).getAppToken();
        assertThat(token).startsWith("vht_").isNotEqualTo(otherToken);

        assertStatus(refused(dev, null), Status.Code.UNAUTHENTICATED, "device '" + dev + "' attaches with its device"
                + " token or the admin token");
        String notYours = "the token given is not device '" + dev + "''s";
        assertStatus(refused(dev, "vht_guessed"), Status.Code.PERMISSION_DENIED, notYours);
        assertStatus(refused(dev, otherToken), Status.Code.PERMISSION_DENIED, notYours);
        assertStatus(refused(dev, appToken), Status.Code.PERMISSION_DENIED, notYours);
        assertThat(listed(dev)).as("no refused stream attached").isNull();

        try (Stream own = new Stream(dev, token)) {
            assertThat(own.awaitAttached().getDevice()).isEqualTo(dev);
            DeviceInfo before = listed(dev);
            assertThat(before).isNotNull();
            // a refused attach under the same name replaces nothing: the device's stream goes on
            assertStatus(refused(dev, otherToken), Status.Code.PERMISSION_DENIED, notYours);
            assertStatus(refused(dev, null), Status.Code.UNAUTHENTICATED, "attaches with its device token");
            assertThat(own.ended).isNotDone();
            assertThat(listed(dev).getConnectedSince()).isEqualTo(before.getConnectedSince());

            // the admin token attaches any device (replacing the older stream, as any second attach does)
            try (Stream byAdmin = new Stream(dev, admin)) {
                assertThat(byAdmin.awaitAttached().getDevice()).isEqualTo(dev);
                assertThat(own.awaitEnd().getCode()).isEqualTo(Status.Code.ABORTED);
            }
        }
    }

    @Test
    void aNameWithoutATokenAttachesWithTheAdminTokenOnlyAndIsToldTheSameAsAWrongToken() throws Exception {
        String dev = TestHeaps.app("dev-none");
        String registered = TestHeaps.app("dev-reg");
        issue(registered);
        Status unknown = refused(dev, "vht_guessed");
        Status wrong = refused(registered, "vht_guessed");
        assertThat(unknown.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED).isEqualTo(wrong.getCode());
        assertThat(unknown.getDescription().replace(dev, "D")).isEqualTo(wrong.getDescription().replace(registered, "D"));
        assertThat(refused(dev, null).getDescription().replace(dev, "D"))
                .isEqualTo(refused(registered, null).getDescription().replace(registered, "D"));
        try (Stream s = new Stream(dev, admin)) {
            assertThat(s.awaitAttached().getDevice()).isEqualTo(dev);
        }
    }

    @Test
    void aResetInvalidatesTheOldTokenAndEndsTheStreamItAdmitted() throws Exception {
        String dev = TestHeaps.app("dev-reset");
        String old = issue(dev);
        try (Stream s = new Stream(dev, old)) {
            s.awaitAttached();
            String fresh = issue(dev);
            assertThat(fresh).isNotEqualTo(old);
            assertStatus(s.awaitEnd(), Status.Code.UNAUTHENTICATED, "device '" + dev + "''s token was reset");
            assertThat(listed(dev)).isNull();
            assertStatus(refused(dev, old), Status.Code.PERMISSION_DENIED, "not device '" + dev + "''s");
            try (Stream again = new Stream(dev, fresh)) {
                assertThat(again.awaitAttached().getDevice()).isEqualTo(dev);
            }
        }
    }

    @Test
    void onlyTheTokensHashIsStored() throws Exception {
        String dev = TestHeaps.app("dev-hash");
        String token = issue(dev);
        try (Connection c = SERVER.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT t.token_sha256, t::text FROM device_token t WHERE t.device_name = ?")) {
            ps.setString(1, dev);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBytes(1)).hasSize(32).isEqualTo(AccessTokens.sha256(token));
                assertThat(rs.getString(2)).doesNotContain(token).doesNotContain(token.substring(4));
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void issuingADeviceTokenNeedsTheAdminToken() throws Exception {
        String dev = TestHeaps.app("dev-issue");
        String token = issue(dev);
        ResetDeviceTokenRequest reset = ResetDeviceTokenRequest.newBuilder().setDevice(dev).build();
        assertThatThrownBy(() -> control(null).resetDeviceToken(reset)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertStatus(e.getStatus(), Status.Code.UNAUTHENTICATED, "issuing a device token needs the admin token"));
        assertThatThrownBy(() -> control(token).resetDeviceToken(reset)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertStatus(e.getStatus(), Status.Code.PERMISSION_DENIED, "issuing a device token needs the admin token"));
        assertThatThrownBy(() -> control(admin).resetDeviceToken(ResetDeviceTokenRequest.newBuilder().setDevice("bad name").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertStatus(e.getStatus(), Status.Code.INVALID_ARGUMENT, "device name 'bad name'"));
        // the refused resets changed nothing: the token still attaches
        try (Stream s = new Stream(dev, token)) {
            assertThat(s.awaitAttached().getDevice()).isEqualTo(dev);
        }
    }

    @Test
    void withoutRequiredTokensAnyDeviceAttachesAsBefore() throws Exception {
        try (TestHeapServer open = TestHeapServer.inProcess().dataSource(SERVER.dataSource()).start()) {
            String dev = TestHeaps.app("dev-open");
            CompletableFuture<Attached> attached = new CompletableFuture<>();
            StreamObserver<DeviceMessage> req = DeviceControlGrpc.newStub(open.channel()).attach(new StreamObserver<>() {
                @Override
                public void onNext(ControlMessage m) {
                    attached.complete(m.getAttached());
                }

                @Override
                public void onError(Throwable t) {
                    attached.completeExceptionally(t);
                }

                @Override
                public void onCompleted() {
                }
            });
            req.onNext(DeviceMessage.newBuilder().setRegister(Register.newBuilder().setDevice(dev)).build());
            assertThat(attached.get(10, TimeUnit.SECONDS).getDevice()).isEqualTo(dev);
            req.onCompleted();
        }
    }
}
