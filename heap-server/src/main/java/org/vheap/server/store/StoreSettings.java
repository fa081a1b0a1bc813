package org.vheap.server.store;

import java.time.Duration;

/**
 * The heap store's policy knobs.
 *
 * @param retain             how many newest checkpoints each app keeps (older ones are pruned at commit)
 * @param defaultLease       lease length when a request asks for none
 * @param maxLease           the longest lease a request may ask for
 * @param maxSystemCallBytes the most blob bytes one system-blob call may carry: the blobs of a put, the
 *                           blobs of a get's answer. A server sets it to its maximum message size, so an
 *                           answer is never larger than a request may be.
 * @param copyPin            how long a checkpoint committed by a device that keeps copies of the heap's lines is
 *                           kept beyond {@code retain} (its newest one per device and app), so that lines which
 *                           change elsewhere travel as patches against those copies when the app returns there;
 *                           zero: no pins, patches only against the versions retention keeps
 */
public record StoreSettings(int retain, Duration defaultLease, Duration maxLease, int maxSystemCallBytes,
                            Duration copyPin) {
    /** {@link #maxSystemCallBytes} by default: the server's default maximum message size. */
    public static final int DEFAULT_MAX_SYSTEM_CALL_BYTES = 16 << 20;

    public StoreSettings {
        if (retain < 1) {
            throw new IllegalArgumentException("retain must be at least 1, got " + retain);
        }
        if (defaultLease.isNegative() || defaultLease.isZero() || maxLease.compareTo(defaultLease) < 0) {
            throw new IllegalArgumentException("need 0 < defaultLease <= maxLease, got " + defaultLease + ", " + maxLease);
        }
        if (maxSystemCallBytes < 1) {
            throw new IllegalArgumentException("maxSystemCallBytes must be positive, got " + maxSystemCallBytes);
        }
        if (copyPin == null || copyPin.isNegative() || copyPin.compareTo(MAX_COPY_PIN) > 0) {
            throw new IllegalArgumentException("copyPin must be from 0 to " + MAX_COPY_PIN.toDays() + " days, got " + copyPin);
        }
    }

    /** {@link #copyPin} by default: a day. */
    public static final Duration DEFAULT_COPY_PIN = Duration.ofDays(1);
    /** The longest {@link #copyPin}: a year. */
    public static final Duration MAX_COPY_PIN = Duration.ofDays(366);

    public static StoreSettings defaults() {
        return new StoreSettings(3, Duration.ofSeconds(30), Duration.ofMinutes(10), DEFAULT_MAX_SYSTEM_CALL_BYTES,
                DEFAULT_COPY_PIN);
    }

    public StoreSettings withRetain(int n) {
        return new StoreSettings(n, defaultLease, maxLease, maxSystemCallBytes, copyPin);
    }

    public StoreSettings withMaxSystemCallBytes(int bytes) {
        return new StoreSettings(retain, defaultLease, maxLease, bytes, copyPin);
    }

    public StoreSettings withCopyPin(Duration pin) {
        return new StoreSettings(retain, defaultLease, maxLease, maxSystemCallBytes, pin);
    }
}
