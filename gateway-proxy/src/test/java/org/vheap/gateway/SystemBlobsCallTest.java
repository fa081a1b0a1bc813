package org.vheap.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vheap.client.VheapHeaders;
import org.vheap.proto.v1.GetSystemBlobsRequest;
import org.vheap.proto.v1.GetSystemBlobsResponse;
import org.vheap.proto.v1.HeapStoreGrpc;
import org.vheap.proto.v1.SystemBlob;
import org.vheap.security.BearerToken;

/** What bounds a GetSystemBlobs the gateway answers, and whose earlier acceptance a cache hit may rely on. */
class SystemBlobsCallTest {

    @Test
    void aHashAskedForSeveralTimesIsAnsweredOnceAndTooManyAreRefused() throws Exception {
        try (FakeBackend backend = new FakeBackend("fake-bounds");
             OpenGateway gw = Gateways.open("127.0.0.1:" + backend.port())) {
            ByteString data = ByteString.copyFromUtf8("one class file");
            ByteString h = ByteString.copyFrom(MessageDigest.getInstance("SHA-256").digest(data.toByteArray()));
            backend.blobs.put(h, data);
            GetSystemBlobsResponse r = HeapStoreGrpc.newBlockingStub(gw.channel()).getSystemBlobs(
                    GetSystemBlobsRequest.newBuilder().setApp("bounds").addAllSha256(List.of(h, h, h)).build());
            assertThat(r.getBlobsList()).extracting(SystemBlob::getSha256).containsExactly(h);
            assertThat(backend.systemRequests).containsExactly(List.of(h));

            GetSystemBlobsRequest tooMany = GetSystemBlobsRequest.newBuilder().setApp("bounds")
                    .addAllSha256(Collections.nCopies(SystemBlobsCall.MAX_HASHES + 1, h)).build();
            assertThatThrownBy(() -> HeapStoreGrpc.newBlockingStub(gw.channel()).getSystemBlobs(tooMany))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                        assertThat(e.getStatus().getDescription()).isEqualTo("GetSystemBlobs asks for 65537 blobs; at most 65536 per call");
                    });
            assertThat(backend.systemRequests).hasSize(1);
        }
    }

    @Test
    void anAcceptanceCountsForTheSameCredentialsFromTheSamePlaceOnly() {
        long[] now = {0};
        SystemCacheAccess access = new SystemCacheAccess(() -> now[0]);
        Metadata local = new Metadata();
        local.put(VheapHeaders.FORWARDED_FOR, "127.0.0.1");
        Metadata remote = new Metadata();
        remote.put(VheapHeaders.FORWARDED_FOR, "10.0.0.9");
        Metadata withToken = new Metadata();
        withToken.put(VheapHeaders.FORWARDED_FOR, "127.0.0.1");
        withToken.put(BearerToken.AUTHORIZATION, "Bearer vht_x");

        access.accept("app", SystemCacheAccess.credential(local));
        assertThat(access.accepted("app", SystemCacheAccess.credential(local))).isTrue();
        // no token either way, but from another machine: a protected heap server never accepted that caller
        assertThat(access.accepted("app", SystemCacheAccess.credential(remote))).isFalse();
        assertThat(access.accepted("app", SystemCacheAccess.credential(withToken))).isFalse();
        assertThat(access.accepted("other", SystemCacheAccess.credential(local))).isFalse();
        now[0] += SystemCacheAccess.TTL.toNanos();
        assertThat(access.accepted("app", SystemCacheAccess.credential(local))).as("after the TTL").isFalse();
    }
}
