package org.vheap.device.store.flash;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Properties;
import org.vheap.format.BlobHash;

/**
 * What a {@link FlashFrontedStore} last shipped of each app, in its directory's {@code shipped/} folder, one small file
 * per app (named by the SHA-256 of the app's name): the server it went to, the server's checkpoint id, the flash
 * checkpoint it was shipped from and the SHA-256 of its VM state. A file is replaced whole (written aside, synced,
 * renamed, the folder synced), so a crash leaves the old one or the new one. The store's copy of an app's heap is
 * used as it is while this record matches both the checkpoint the server opens and the flash store's newest (else a
 * newer flash checkpoint may be shipped first, {@link FlashUnshipped}, or the copy is dropped).
 */
final class FlashShipped {
    /** One app's record. */
    record Shipped(String server, long serverCheckpoint, long flashCheckpoint, String vmStateSha256) {
        boolean matches(String server, long serverCheckpoint, long flashCheckpoint, byte[] vmState) {
            return serverCheckpoint != 0 && this.server.equals(server) && this.serverCheckpoint == serverCheckpoint
                    && this.flashCheckpoint == flashCheckpoint && vmStateSha256.equals(sha256(vmState));
        }
    }

    private final Path folder;

    FlashShipped(Path dir) {
        this.folder = folder(dir);
    }

    /** Where a flash store in {@code dir} keeps these records and the unshipped ones ({@link FlashUnshipped}). */
    static Path folder(Path dir) {
        return dir.resolve("shipped");
    }

    /** The app's record; {@code null} when it has none, or its file cannot be read whole (it then matches nothing). */
    Shipped read(String app) throws IOException {
        Path file = file(app);
        if (!Files.exists(file)) {
            return null;
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
            String server = p.getProperty("server");
            String sha = p.getProperty("vm-state-sha256");
            if (server == null || sha == null) {
                return null;
            }
            return new Shipped(server, Long.parseLong(p.getProperty("server-checkpoint")),
                    Long.parseLong(p.getProperty("flash-checkpoint")), sha);
        } catch (IllegalArgumentException | java.nio.charset.CharacterCodingException e) {
            return null;   // a bad escape, a bad number or bad UTF-8: not a record this class wrote whole
        }
    }

    /** Replaces the app's record, durably. */
    void write(String app, String server, long serverCheckpoint, long flashCheckpoint, byte[] vmState)
            throws IOException {
        Properties p = new Properties();
        p.setProperty("app", app);
        p.setProperty("server", server);
        p.setProperty("server-checkpoint", Long.toString(serverCheckpoint));
        p.setProperty("flash-checkpoint", Long.toString(flashCheckpoint));
        p.setProperty("vm-state-sha256", sha256(vmState));
        StringWriter text = new StringWriter();
        p.store(text, "what the flash in front of a heap server last shipped of an app");
        replace(folder, file(app), text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code bytes} aside, syncs them, renames them over {@code file} in {@code folder}, syncs the folder. */
    static void replace(Path folder, Path file, byte[] bytes) throws IOException {
        Files.createDirectories(folder);
        Path aside = folder.resolve(file.getFileName() + ".next");
        try (FileChannel out = FileChannel.open(aside, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(ByteBuffer.wrap(bytes));
            out.force(true);
        }
        Files.move(aside, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel d = FileChannel.open(folder, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    private Path file(String app) {
        return folder.resolve(fileName(app));
    }

    /** The name of an app's files in the folder: its name's SHA-256. */
    static String fileName(String app) {
        return sha256(app.getBytes(StandardCharsets.UTF_8));
    }



    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(BlobHash.digest(bytes).bytes());
    }
}
