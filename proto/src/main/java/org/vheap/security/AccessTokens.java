package org.vheap.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * Access tokens: random, URL-safe strings ({@code vht_} and 43 base64url characters: 256 bits). A server
 * keeps only a token's SHA-256 and compares hashes in constant time ({@link #matches}). Token files hold
 * one token on their first line, are written owner-only (mode 600 where the file system has POSIX
 * permissions) and atomically; directories made for them are mode 700 ({@link PrivateFiles}).
 *
 * <p>Risk: a token is a bearer secret; over plaintext gRPC anyone on the path can read it, so use TLS
 * beyond loopback.
 */
public final class AccessTokens {
    private static final String PREFIX = "vht_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private AccessTokens() {
    }

    /** A new random token. */
    public static String generate() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The SHA-256 of the token's UTF-8 bytes: what a server stores. */
    public static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }

    /** Whether {@code presented} hashes to {@code storedSha256}; constant time in the hash. */
    public static boolean matches(byte[] storedSha256, String presented) {
        return storedSha256 != null && presented != null && MessageDigest.isEqual(storedSha256, sha256(presented));
    }

    /**
     * The token in a file (its first line, trimmed). {@code option} names the file in the error, e.g.
     * {@code --token-file}.
     */
    public static String read(Path file, String option) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + file + ": cannot read it (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
        String token = lines.isEmpty() ? "" : lines.get(0).trim();
        check(token, option + " " + file);
        return token;
    }

    /** Rejects an empty token or one that cannot travel in a header. */
    public static String check(String token, String what) {
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException(what + ": the token is empty");
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c <= ' ' || c > '~') {
                throw new IllegalArgumentException(what + ": a token is printable ASCII without spaces");
            }
        }
        return token;
    }

    /** Writes {@code token} to {@code file}, owner-only, replacing it atomically (missing directories: mode 700). */
    public static void write(Path file, String token) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            PrivateFiles.createDirectories(dir);
            Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            PrivateFiles.createFile(tmp);
            Files.writeString(tmp, token + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write the token file " + file + ": " + e.getMessage());
        }
    }

    /**
     * The token in {@code file}; if there is no such file, a new token written there (owner-only).
     *
     * @return the token, and whether it was created
     */
    public static Loaded readOrCreate(Path file, String option) {
        if (Files.exists(file)) {
            return new Loaded(read(file, option), false);
        }
        String token = generate();
        try {
            Path dir = file.toAbsolutePath().getParent();
            PrivateFiles.createDirectories(dir);
            PrivateFiles.createFile(file);
            Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
        } catch (FileAlreadyExistsException e) {
            return new Loaded(read(file, option), false);   // another process made it meanwhile
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + file + ": cannot create it: " + e.getMessage());
        }
        return new Loaded(token, true);
    }

    /** A token read from or created in a file. */
    public record Loaded(String token, boolean created) {
        @Override
        public String toString() {
            return "Loaded[token=(hidden), created=" + created + "]";
        }
    }
}
