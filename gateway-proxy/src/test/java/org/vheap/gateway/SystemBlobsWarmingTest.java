package org.vheap.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vheap.proto.v1.GetSystemBlobsRequest;
import org.vheap.proto.v1.GetSystemBlobsResponse;
import org.vheap.proto.v1.HeapStoreGrpc;
import org.vheap.proto.v1.PutSystemBlobsRequest;
import org.vheap.proto.v1.SystemBlob;

/** Blobs a backend accepted from an upload through the gateway are then served by the gateway's cache. */
class SystemBlobsWarmingTest {

    private static ByteString sha256(ByteString data) throws Exception {
        return ByteString.copyFrom(MessageDigest.getInstance("SHA-256").digest(data.toByteArray()));
    }

    private static PutSystemBlobsRequest upload(String app, List<ByteString> datas) throws Exception {
        PutSystemBlobsRequest.Builder put = PutSystemBlobsRequest.newBuilder().setApp(app);
        for (ByteString d : datas) {
            put.addBlobs(SystemBlob.newBuilder().setSha256(sha256(d)).setData(d));
        }
        return put.build();
    }

    private static GetSystemBlobsResponse get(ManagedChannel channel, String app, List<ByteString> hashes) {
        return HeapStoreGrpc.newBlockingStub(channel)
                .getSystemBlobs(GetSystemBlobsRequest.newBuilder().setApp(app).addAllSha256(hashes).build());
    }

    @Test
    void anAcceptedUploadFillsTheCache() throws Exception {
        try (FakeBackend backend = new FakeBackend("fake-warm")) {
            GatewayServer gateway = Gateways.start("127.0.0.1:" + backend.port());
            ManagedChannel channel = Gateways.channel(gateway.port());
            try {
                List<ByteString> datas = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    datas.add(ByteString.copyFromUtf8("uploaded class file " + i + " ".repeat(50 * i)));
                }
                PutSystemBlobsRequest put = upload("warm-app", datas);
                assertThat(HeapStoreGrpc.newBlockingStub(channel).putSystemBlobs(put).getStored()).isEqualTo(3);
                List<ByteString> hashes = put.getBlobsList().stream().map(SystemBlob::getSha256).toList();

                // the cache is filled off the event loop, right after the answer
                assertThat(Gateways.eventually(() -> Gateways.sample(gateway.registry().scrape(),
                        "vheap_gateway_system_cache_blobs") == 3)).isTrue();
                GetSystemBlobsResponse r = get(channel, "warm-app", hashes);
                assertThat(r.getBlobsList()).extracting(SystemBlob::getData).containsExactlyElementsOf(datas);
                assertThat(backend.systemRequests).as("no GetSystemBlobs reached the backend").isEmpty();
            } finally {
                Gateways.close(channel);
                gateway.stop();
            }
        }
    }

    @Test
    void aRefusedUploadLeavesTheCacheEmpty() throws Exception {
        try (FakeBackend backend = new FakeBackend("fake-refuse")) {
            backend.refusePuts = true;
            GatewayServer gateway = Gateways.start("127.0.0.1:" + backend.port());
            ManagedChannel channel = Gateways.channel(gateway.port());
            try {
                PutSystemBlobsRequest put = upload("refused-app", List.of(ByteString.copyFromUtf8("not accepted")));
                assertThatThrownBy(() -> HeapStoreGrpc.newBlockingStub(channel).putSystemBlobs(put))
                        .isInstanceOfSatisfying(StatusRuntimeException.class,
                                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
                Thread.sleep(200);   // what an accepted upload needs to fill the cache
                GetSystemBlobsResponse r = get(channel, "refused-app", List.of(put.getBlobs(0).getSha256()));
                assertThat(r.getBlobsList()).isEmpty();
                assertThat(r.getMissingSha256List()).containsExactly(put.getBlobs(0).getSha256());
                assertThat(backend.systemRequests).as("the fetch went to the backend").hasSize(1);
            } finally {
                Gateways.close(channel);
                gateway.stop();
            }
        }
    }
}
