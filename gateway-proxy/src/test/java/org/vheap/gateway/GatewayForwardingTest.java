package org.vheap.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ConnectivityState;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.vheap.proto.v1.GetCheckpointRequest;
import org.vheap.proto.v1.HeapStoreGrpc;
import org.vheap.proto.v1.ListAppsRequest;
import org.vheap.proto.v1.ReadLinesRequest;
import org.vheap.proto.v1.ReadLinesResponse;

/**
 * What the gateway carries besides messages, against {@link FakeBackend}s: headers, trailers, deadlines,
 * cancellation, statuses; and where calls go when backends are down.
 */
class GatewayForwardingTest {
    private static final Metadata.Key<String> DEVICE_HEADER = Metadata.Key.of("x-vheap-device", Metadata.ASCII_STRING_MARSHALLER);

    @Test
    void requestHeadersReachTheBackendAndResponseHeadersAndTrailersComeBack() throws Exception {
        try (FakeBackend backend = new FakeBackend("fake-1")) {
            try (OpenGateway open = Gateways.open("127.0.0.1:" + backend.port())) {
                ManagedChannel channel = open.channel();
                Metadata sent = new Metadata();
                sent.put(DEVICE_HEADER, "dev-42");
                AtomicReference<Metadata> headers = new AtomicReference<>();
                AtomicReference<Metadata> trailers = new AtomicReference<>();
                var stub = HeapStoreGrpc.newBlockingStub(channel)
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(sent),
                                MetadataUtils.newCaptureMetadataInterceptor(headers, trailers));
                assertThat(stub.listApps(ListAppsRequest.getDefaultInstance()).getApps(0).getApp()).isEqualTo("fake-1");

                assertThat(backend.lastHeaders.get().get(DEVICE_HEADER)).isEqualTo("dev-42");
                assertThat(headers.get().get(FakeBackend.RESPONSE_HEADER)).isEqualTo("from fake-1");
                assertThat(trailers.get().get(FakeBackend.RESPONSE_TRAILER)).isEqualTo("bye from fake-1");
            }
        }
    }

    @Test
    void theCallersDeadlineBoundsTheBackendCall() throws Exception {
        try (FakeBackend backend = new FakeBackend("fake-deadline")) {
            try (OpenGateway open = Gateways.open("127.0.0.1:" + backend.port())) {
                ManagedChannel channel = open.channel();
                HeapStoreGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                        .listApps(ListAppsRequest.getDefaultInstance());
                assertThat(backend.lastDeadline.get()).isNotNull();
                long left = backend.lastDeadline.get().timeRemaining(TimeUnit.MILLISECONDS);
                assertThat(left).isBetween(1_000L, 5_000L);

                // a unary call without a deadline gets the gateway's --backend-timeout (60 s)
                HeapStoreGrpc.newBlockingStub(channel).listApps(ListAppsRequest.getDefaultInstance());
                assertThat(backend.lastDeadline.get()).isNotNull();
                assertThat(backend.lastDeadline.get().timeRemaining(TimeUnit.SECONDS)).isBetween(50L, 60L);
            }
        }
    }

    @Test
    void aCallerCancellingItsCallCancelsTheBackendCall() throws Exception {
        try (FakeBackend backend = new FakeBackend("fake-cancel")) {
            try (OpenGateway open = Gateways.open("127.0.0.1:" + backend.port());
                 Context.CancellableContext context = Context.current().withCancellation()) {
                ManagedChannel channel = open.channel();
                Iterator<ReadLinesResponse> lines = context.call(() -> HeapStoreGrpc.newBlockingStub(channel)
                        .readLines(ReadLinesRequest.newBuilder().setApp("a").build()));
                assertThat(lines.next().getLines(0).getLineId()).isEqualTo(1);
                assertThat(backend.readStarted.await(5, TimeUnit.SECONDS)).isTrue();
                assertThat(backend.readCancelled.getCount()).isEqualTo(1);

                context.cancel(null);
                assertThat(backend.readCancelled.await(5, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    @Test
    void aBackendsOwnUnavailableArrivesUnchanged() throws Exception {
        try (FakeBackend backend = new FakeBackend("fake-status")) {
            try (OpenGateway open = Gateways.open("127.0.0.1:" + backend.port())) {
                ManagedChannel channel = open.channel();
                assertThatThrownBy(() -> HeapStoreGrpc.newBlockingStub(channel)
                        .getCheckpoint(GetCheckpointRequest.newBuilder().setApp("a").build()))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                            assertThat(e.getStatus().getDescription()).isEqualTo(FakeBackend.OWN_UNAVAILABLE);
                        });
            }
        }
    }

    @Test
    void aStoppedBackendGivesUnavailableNamingIt() throws Exception {
        FakeBackend backend = new FakeBackend("fake-stopped");
        String target = "127.0.0.1:" + backend.port();
        try (OpenGateway open = Gateways.open(target)) {
            ManagedChannel channel = open.channel();
            HeapStoreGrpc.newBlockingStub(channel).listApps(ListAppsRequest.getDefaultInstance());
            backend.close();
            assertThatThrownBy(() -> HeapStoreGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .listApps(ListAppsRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                        assertThat(e.getStatus().getDescription()).contains(target).contains("unavailable");
                    });
            // with its only backend down, the gateway's own health is NOT_SERVING
            assertThat(Gateways.eventually(() -> HealthGrpc.newBlockingStub(channel)
                    .check(HealthCheckRequest.getDefaultInstance()).getStatus() == ServingStatus.NOT_SERVING)).isTrue();
        }
    }

    @Test
    void withTheFirstBackendDownCallsGoToTheSecond() throws Exception {
        try (FakeBackend second = new FakeBackend("fake-second")) {
            String down = "127.0.0.1:" + Gateways.deadPort();
            try (OpenGateway open = Gateways.open(down, "127.0.0.1:" + second.port())) {
                ManagedChannel channel = open.channel();
                GatewayServer gateway = open.server();
                Backend first = gateway.backends().backends().get(0);
                assertThat(Gateways.eventually(() -> !first.isUp())).isTrue();
                assertThat(first.downReason()).contains("UNAVAILABLE");
                // the gateway still serves: one backend is up
                assertThat(HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance()).getStatus())
                        .isEqualTo(ServingStatus.SERVING);
                for (int i = 0; i < 5; i++) {
                    assertThat(HeapStoreGrpc.newBlockingStub(channel).listApps(ListAppsRequest.getDefaultInstance())
                            .getApps(0).getApp()).isEqualTo("fake-second");
                }
            }
        }
    }

    @Test
    void withAllBackendsDownCallsGetUnavailableNamingThemAndTheGatewayIsNotServing() throws Exception {
        String first = "127.0.0.1:" + Gateways.deadPort();
        String second = "127.0.0.1:" + Gateways.deadPort();
        try (OpenGateway open = Gateways.open(first, second)) {
            ManagedChannel channel = open.channel();
            GatewayServer gateway = open.server();
            assertThat(Gateways.eventually(() -> !gateway.backends().anyUp())).isTrue();
            assertThatThrownBy(() -> HeapStoreGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .listApps(ListAppsRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                        assertThat(e.getStatus().getDescription()).startsWith("no backend is up: ")
                                .contains(first).contains(second);
                    });
            for (String service : List.of("", "vheap.v1.HeapStore", "vheap.v1.DeviceControl")) {
                assertThat(HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.newBuilder().setService(service)
                        .build()).getStatus()).isEqualTo(ServingStatus.NOT_SERVING);
            }
        }
    }
}
