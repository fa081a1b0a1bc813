package org.vheap.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.vheap.client.VheapHeaders;
import org.vheap.proto.v1.GetSystemBlobsRequest;
import org.vheap.proto.v1.GetSystemBlobsResponse;
import org.vheap.proto.v1.HeapStoreGrpc;
import org.vheap.proto.v1.ListAppsRequest;
import org.vheap.proto.v1.SystemBlob;

/**
 * The gateway's system-blob cache, per-device rate limit and per-connection in-flight bound, against a
 * fake backend over loopback TCP, and its metrics endpoint.
 */
class GatewayLimitsTest {

    private static ByteString sha256(ByteString data) throws Exception {
        return ByteString.copyFrom(MessageDigest.getInstance("SHA-256").digest(data.toByteArray()));
    }

    private static GetSystemBlobsResponse get(ManagedChannel channel, List<ByteString> hashes) {
        return HeapStoreGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .withInterceptors(VheapHeaders.forApp("cache-app"))
                .getSystemBlobs(GetSystemBlobsRequest.newBuilder().setApp("cache-app").addAllSha256(hashes).build());
    }

    @Test
    void systemBlobsAreServedFromTheCacheAndOnlyMissingHashesReachTheBackend() throws Exception {
        try (FakeBackend backend = new FakeBackend("fake-blobs")) {
            List<ByteString> hashes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ByteString data = ByteString.copyFromUtf8("class file " + i + " ".repeat(100 * i));
                ByteString h = sha256(data);
                backend.blobs.put(h, data);
                hashes.add(h);
            }
            ByteString unknown = sha256(ByteString.copyFromUtf8("nobody has this"));
            try (OpenGateway open = Gateways.open(Gateways.config("127.0.0.1:" + backend.port()).setMetricsPort(0))) {
                ManagedChannel channel = open.channel();
                GatewayServer gateway = open.server();
                GetSystemBlobsResponse first = get(channel, List.of(hashes.get(0), hashes.get(1)));
                assertThat(first.getBlobsList()).extracting(SystemBlob::getSha256).containsExactly(hashes.get(0), hashes.get(1));
                assertThat(backend.systemRequests).hasSize(1);

                // the same hashes again: answered by the gateway, the backend sees nothing
                GetSystemBlobsResponse again = get(channel, List.of(hashes.get(1), hashes.get(0)));
                assertThat(again.getBlobsList()).extracting(SystemBlob::getSha256).containsExactly(hashes.get(1), hashes.get(0));
                assertThat(again.getBlobs(0).getData()).isEqualTo(backend.blobs.get(hashes.get(1)));
                assertThat(backend.systemRequests).hasSize(1);

                // a mix: only the hashes it lacks are forwarded; the answer keeps the request order
                GetSystemBlobsResponse mixed = get(channel, List.of(hashes.get(2), hashes.get(0), unknown));
                assertThat(mixed.getBlobsList()).extracting(SystemBlob::getSha256).containsExactly(hashes.get(2), hashes.get(0));
                assertThat(mixed.getMissingSha256List()).containsExactly(unknown);
                assertThat(backend.systemRequests).hasSize(2);
                assertThat(backend.systemRequests.get(1)).containsExactly(hashes.get(2), unknown);

                double hits = Gateways.sample(gateway.registry().scrape(), "vheap_gateway_system_cache_hits_total");
                double misses = Gateways.sample(gateway.registry().scrape(), "vheap_gateway_system_cache_misses_total");
                assertThat(hits).isEqualTo(3);
                assertThat(misses).isEqualTo(4);
            }
        }
    }

    @Test
    void aBlobWhoseHashDoesNotMatchIsRefusedAndNeverCached() throws Exception {
        try (FakeBackend backend = new FakeBackend("fake-corrupt")) {
            ByteString data = ByteString.copyFromUtf8("a class file");
            ByteString h = sha256(data);
            backend.blobs.put(h, data);
            backend.corrupt = true;
            try (OpenGateway open = Gateways.open("127.0.0.1:" + backend.port())) {
                ManagedChannel channel = open.channel();
                GatewayServer gateway = open.server();
                assertThatThrownBy(() -> get(channel, List.of(h)))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DATA_LOSS);
                            assertThat(e.getStatus().getDescription()).contains("backend 127.0.0.1:" + backend.port())
                                    .contains("does not match");
                        });
                // not cached: the next call goes to the backend again, and with good data it is served
                backend.corrupt = false;
                assertThat(get(channel, List.of(h)).getBlobs(0).getData()).isEqualTo(data);
                assertThat(backend.systemRequests).hasSize(2);
                get(channel, List.of(h));
                assertThat(backend.systemRequests).hasSize(2);
                assertThat(Gateways.sample(gateway.registry().scrape(), "vheap_gateway_system_cache_corrupt_total")).isEqualTo(1);
            }
        }
    }

    @Test
    void aDeviceOverItsCallRateGetsResourceExhaustedAndOthersDoNot() throws Exception {
        try (FakeBackend backend = new FakeBackend("fake-rate")) {
            try (OpenGateway open = Gateways.open(Gateways.config("127.0.0.1:" + backend.port()).setDeviceRate(5))) {
                ManagedChannel channel = open.channel();
                GatewayServer gateway = open.server();
                HeapStoreGrpc.HeapStoreBlockingStub greedy = HeapStoreGrpc.newBlockingStub(channel)
                        .withInterceptors(VheapHeaders.forDevice("greedy-device"));
                int refused = 0;
                StatusRuntimeException last = null;
                for (int i = 0; i < 30; i++) {
                    try {
                        greedy.withDeadlineAfter(5, TimeUnit.SECONDS).listApps(ListAppsRequest.getDefaultInstance());
                    } catch (StatusRuntimeException e) {
                        refused++;
                        last = e;
                    }
                }
                assertThat(refused).isGreaterThanOrEqualTo(20);   // a burst of 5, then ~5/s
                assertThat(last.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                assertThat(last.getStatus().getDescription()).contains("greedy-device").contains("--device-rate");
                // another device on the same connection has its own bucket
                HeapStoreGrpc.newBlockingStub(channel).withInterceptors(VheapHeaders.forDevice("calm-device"))
                        .withDeadlineAfter(5, TimeUnit.SECONDS).listApps(ListAppsRequest.getDefaultInstance());
                assertThat(Gateways.sample(gateway.registry().scrape(), "vheap_gateway_rejected_total", "reason=\"rate\""))
                        .isEqualTo(refused);
            }
        }
    }

    @Test
    void aConnectionWithTooManyBytesWaitingForABackendGetsResourceExhausted() throws Exception {
        try (FakeBackend backend = new FakeBackend("fake-sink")) {
            try (OpenGateway open = Gateways.open(Gateways.config("127.0.0.1:" + backend.port())
                    .setMaxMessageBytes(64 << 10).setMaxInflightBytes(128 << 10))) {
                ManagedChannel channel = open.channel();
                GatewayServer gateway = open.server();
                MethodDescriptor<byte[], byte[]> sink = MethodDescriptor.<byte[], byte[]>newBuilder()
                        .setFullMethodName(FakeBackend.SINK).setType(MethodDescriptor.MethodType.CLIENT_STREAMING)
                        .setRequestMarshaller(ByteMarshaller.INSTANCE).setResponseMarshaller(ByteMarshaller.INSTANCE).build();
                List<ClientCall<byte[], byte[]>> calls = new ArrayList<>();
                List<CompletableFuture<Status>> ends = new ArrayList<>();
                try {
                    // the backend never reads: once its flow-control windows are full, each call holds a message
                    // at the gateway, and 10 calls on one connection hold more than 128 KiB
                    byte[] message = new byte[60 << 10];
                    for (int c = 0; c < 10; c++) {
                        ClientCall<byte[], byte[]> call = channel.newCall(sink, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS));
                        CompletableFuture<Status> end = new CompletableFuture<>();
                        call.start(new ClientCall.Listener<>() {
                            @Override
                            public void onClose(Status status, Metadata trailers) {
                                end.complete(status);
                            }
                        }, new Metadata());
                        calls.add(call);
                        ends.add(end);
                    }
                    for (int round = 0; round < 6; round++) {
                        for (ClientCall<byte[], byte[]> call : calls) {
                            call.sendMessage(message);
                        }
                    }
                    CompletableFuture.anyOf(ends.toArray(new CompletableFuture[0])).get(20, TimeUnit.SECONDS);
                    Status first = ends.stream().filter(CompletableFuture::isDone).findFirst().orElseThrow().join();
                    assertThat(first.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(first.getDescription()).contains("--max-inflight");
                    // the gateway goes on serving once the stuck calls are gone (while the backend's connection is
                    // full its health checks cannot pass either, so it may have been marked down meanwhile)
                    calls.forEach(c -> c.cancel("test over", null));
                    assertThat(Gateways.eventually(gateway.backends()::anyUp)).isTrue();
                    HeapStoreGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                            .listApps(ListAppsRequest.getDefaultInstance());
                } finally {
                    calls.forEach(c -> c.cancel("test over", null));
                }
            }
        }
    }
}
