package org.vheap.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vheap.client.VheapHeaders;

/** Rendezvous routing, routing keys, the rate limiter's buckets and the cache's bound, without a network. */
class RoutingTest {
    private final List<ManagedChannel> channels = new ArrayList<>();

    @AfterEach
    void close() {
        channels.forEach(ManagedChannel::shutdownNow);
    }

    private List<Backend> backends(int n) {
        List<Backend> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ManagedChannel ch = InProcessChannelBuilder.forName("nowhere-" + i).build();
            channels.add(ch);
            list.add(new Backend(new BackendAddress("10.0.0." + i, 7700), ch, b -> { }));
        }
        return list;
    }

    @Test
    void eachAppHasOneBackendAndOnlyTheAppsOfADownBackendMove() {
        List<Backend> all = backends(3);
        RendezvousRouter router = new RendezvousRouter();
        Map<String, Backend> before = new HashMap<>();
        Map<Backend, Integer> spread = new HashMap<>();
        for (int i = 0; i < 3000; i++) {
            String key = "app/app-" + i;
            Backend b = router.choose(key, all);
            assertThat(router.choose(key, List.of(all.get(2), all.get(0), all.get(1)))).isSameAs(b);   // order does not matter
            before.put(key, b);
            spread.merge(b, 1, Integer::sum);
        }
        assertThat(spread.values()).allSatisfy(n -> assertThat(n).isBetween(800, 1200));
        List<Backend> without1 = List.of(all.get(0), all.get(2));
        for (Map.Entry<String, Backend> e : before.entrySet()) {
            Backend now = router.choose(e.getKey(), without1);
            if (e.getValue() != all.get(1)) {
                assertThat(now).isSameAs(e.getValue());
            }
        }
    }

    @Test
    void controlCallsShareOneKeyAndAppCallsGoByTheirHeader() {
        Metadata app = new Metadata();
        app.put(VheapHeaders.APP, VheapHeaders.encode("counter-1"));
        assertThat(RoutingKey.of("vheap.v1.DeviceControl/Attach", app)).isEqualTo(RoutingKey.CONTROL);
        assertThat(RoutingKey.of("vheap.v1.DeviceControl/ListDevices", new Metadata())).isEqualTo(RoutingKey.CONTROL);
        assertThat(RoutingKey.of("vheap.v1.HeapStore/Transact", app)).isEqualTo("app/counter-1");
        assertThat(RoutingKey.of("vheap.v1.HeapStore/ListApps", new Metadata())).isEqualTo(RoutingKey.DEFAULT);
    }

    @Test
    void aDeviceGetsItsBurstThenItsRate() {
        AtomicLong now = new AtomicLong();
        DeviceRateLimiter limiter = new DeviceRateLimiter(10, now::get);
        int granted = 0;
        for (int i = 0; i < 20; i++) {
            granted += limiter.tryAcquire("d") ? 1 : 0;
        }
        assertThat(granted).isEqualTo(10);
        assertThat(limiter.tryAcquire("other")).isTrue();
        now.addAndGet(200_000_000L);   // 0.2 s: two more
        assertThat(limiter.tryAcquire("d")).isTrue();
        assertThat(limiter.tryAcquire("d")).isTrue();
        assertThat(limiter.tryAcquire("d")).isFalse();
        assertThat(new DeviceRateLimiter(0, now::get).tryAcquire("d")).isTrue();
    }

    @Test
    void theCacheKeepsItsByteBoundLeastRecentlyUsedFirstOut() throws Exception {
        SystemBlobCache cache = new SystemBlobCache(250);
        List<com.google.protobuf.ByteString> hashes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            com.google.protobuf.ByteString data = com.google.protobuf.ByteString.copyFrom(new byte[100]).concat(
                    com.google.protobuf.ByteString.copyFromUtf8("" + i));
            com.google.protobuf.ByteString h = com.google.protobuf.ByteString.copyFrom(
                    java.security.MessageDigest.getInstance("SHA-256").digest(data.toByteArray()));
            hashes.add(h);
            assertThat(cache.put(h, data)).isTrue();
            if (i == 1) {
                cache.get(hashes.get(0));   // 0 is used again, so 1 is the least recently used
            }
        }
        assertThat(cache.get(hashes.get(1))).isNull();
        assertThat(cache.get(hashes.get(0))).isNotNull();
        assertThat(cache.get(hashes.get(2))).isNotNull();
        assertThat(cache.bytes()).isLessThanOrEqualTo(250);
        assertThat(cache.put(hashes.get(0), com.google.protobuf.ByteString.copyFromUtf8("not it"))).isFalse();
    }
}
