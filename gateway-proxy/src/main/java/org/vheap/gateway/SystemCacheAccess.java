package org.vheap.gateway;

import io.grpc.Metadata;
import org.vheap.client.VheapHeaders;
import org.vheap.security.BearerToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Who may be answered from the {@link SystemBlobCache}: a caller whose credentials for an app (the app's name,
 * the call's {@code authorization} header, none included, and where the caller is, the {@code vheap-forwarded-for}
 * the gateway stamped: see {@link #credential}) a backend accepted on a system-blob call within the last
 * {@link #TTL}. The caller's address is part of it so that a heap server in protected mode, which takes calls
 * without tokens only from its own machine, is not bypassed by a remote caller presenting what a local one did. A cache hit never reaches a heap server, and the servers check per-app tokens on
 * system-blob calls too, so without this a caller with no token, or another app's, would read class files the
 * servers refuse it. A caller not accepted recently makes the gateway ask a backend first (for the hashes it
 * lacks, or for none: the server then only checks access). Only a SHA-256 of the header is kept.
 *
 * <p>Risk: a token reset reaches callers served from the cache only after {@link #TTL}. Bounded: the oldest
 * entries go beyond {@value #MAX_ENTRIES}. Thread-safe.
 */
final class SystemCacheAccess {
    static final Duration TTL = Duration.ofSeconds(10);
    static final int MAX_ENTRIES = 10_000;

    private final LongSupplier nanoTime;
    private final Map<String, Long> acceptedAt = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    SystemCacheAccess(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Whether a backend accepted these credentials for {@code app} within the last {@link #TTL}. */
    synchronized boolean accepted(String app, String credential) {
        Long at = acceptedAt.get(key(app, credential));
        return at != null && nanoTime.getAsLong() - at < TTL.toNanos();
    }

    /** A backend answered a {@code GetSystemBlobs} of {@code app} with these credentials. */
    synchronized void accept(String app, String credential) {
        acceptedAt.put(key(app, credential), nanoTime.getAsLong());
    }

    /** What a call presents: its {@code authorization} header and the caller's address the gateway stamped. */
    static String credential(Metadata headers) {
        String authorization = headers.get(BearerToken.AUTHORIZATION);
        String from = headers.get(VheapHeaders.FORWARDED_FOR);
        return (authorization == null ? "" : authorization) + "\n" + (from == null ? "" : from);
    }

    private static String key(String app, String credential) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest((credential == null ? "" : credential).getBytes(StandardCharsets.UTF_8));
            return app + '\0' + HexFormat.of().formatHex(h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JDK", e);
        }
    }
}
