package org.vheap.format;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** The SHA-256 of a system-segment blob: its name in the store. Immutable. */
public final class BlobHash {
    private final byte[] sha256;
    private final int hash;

    private BlobHash(byte[] sha256) {
        this.sha256 = sha256;
        this.hash = Arrays.hashCode(sha256);
    }

    /** Wraps a 32-byte digest (copied). */
    public static BlobHash of(byte[] sha256) {
        if (sha256 == null || sha256.length != 32) {
            throw new IllegalArgumentException("a SHA-256 has 32 bytes, got " + (sha256 == null ? "null" : sha256.length));
        }
        return new BlobHash(sha256.clone());
    }

    /** The hash of these bytes. */
    public static BlobHash digest(byte[] data) {
        return digest(data, 0, data.length);
    }

    /** The hash of {@code length} bytes of {@code data} from {@code offset}. */
    public static BlobHash digest(byte[] data, int offset, int length) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(data, offset, length);
            return new BlobHash(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** Whether {@code data} hashes to this name. */
    public boolean names(byte[] data) {
        return digest(data).equals(this);
    }

    /** A copy of the 32 bytes. */
    public byte[] bytes() {
        return sha256.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlobHash b && Arrays.equals(sha256, b.sha256);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(sha256);
    }
}
