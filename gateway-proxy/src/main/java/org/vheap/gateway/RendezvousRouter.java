package org.vheap.gateway;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Rendezvous (highest-random-weight) hashing: each backend gets the weight {@code hash(key, HOST:PORT)} and
 * the call goes to the heaviest backend that is up. So every call of one key (one app) meets the same heap
 * server while it is up; when it goes down only its keys move, each to its own second choice, and they come
 * back when it returns. The hash (64-bit FNV-1a, then the SplitMix64 finaliser) depends only on the key and
 * the address text, so several gateways with the same {@code --backend} addresses route alike. Stateless.
 */
public final class RendezvousRouter implements BackendRouter {

    @Override
    public Backend choose(String key, List<Backend> backends) {
        Backend best = null;
        long bestWeight = 0;
        for (Backend b : backends) {
            long w = weight(key, b.toString());
            if (best == null || Long.compareUnsigned(w, bestWeight) > 0
                    || (w == bestWeight && b.toString().compareTo(best.toString()) < 0)) {
                best = b;
                bestWeight = w;
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("no backend to choose from");
        }
        return best;
    }

    /** The weight of {@code backend} for {@code key}: FNV-1a over both, mixed. */
    static long weight(String key, String backend) {
        long h = 0xcbf29ce484222325L;
        h = fnv(h, key.getBytes(StandardCharsets.UTF_8));
        h = fnv(h, new byte[] {0});
        h = fnv(h, backend.getBytes(StandardCharsets.UTF_8));
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }

    private static long fnv(long h, byte[] bytes) {
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
