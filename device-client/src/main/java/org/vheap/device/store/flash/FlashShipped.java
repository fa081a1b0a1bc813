package org.vheap.device.store.flash;

import java.io.IOException;
import java.io.StringReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Properties;
import org.vheap.device.store.BlobHash;

/**
 * What a {@link FlashFrontedStore} last shipped of each app, in its directory's {@code shipped/} folder, one small file
 * per app (named by the SHA-256 of the app's name): the server it went to, the server's checkpoint id, the flash
 * checkpoint it was shipped from and the SHA-256 of its VM state. A file is replaced whole (written aside, synced,
 * renamed, the folder synced), so a crash leaves the old one or the new one. The store's copy of an app's heap is
 * used only while this record matches both the server's and the flash store's newest checkpoint.
 */
final class FlashShipped {
    /** One app's record; {@link #UNREADABLE} when its file exists but cannot be read (it then matches nothing). */
    record Shipped(String server, long serverCheckpoint, long flashCheckpoint, String vmStateSha256) {
        boolean matches(String server, long serverCheckpoint, long flashCheckpoint, byte[] vmState) {
            return serverCheckpoint != 0 && this.server.equals(server) && this.serverCheckpoint == serverCheckpoint
                    && this.flashCheckpoint == flashCheckpoint && vmStateSha256.equals(sha256(vmState));
        }
    }

    static final Shipped UNREADABLE = new Shipped("", -1, -1, "");

    private final Path folder;

    FlashShipped(Path dir) {
        this.folder = dir.resolve("shipped");
    }

    /** The app's record, {@code null} when it has none, {@link #UNREADABLE} when its file is damaged. */
    Shipped read(String app) throws IOException {
        Path file = file(app);
        if (!Files.exists(file)) {
            return null;
        }
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        try {
            return new Shipped(p.getProperty("server"), Long.parseLong(p.getProperty("server-checkpoint")),
                    Long.parseLong(p.getProperty("flash-checkpoint")), p.getProperty("vm-state-sha256"));
        } catch (RuntimeException e) {   // a missing key or a bad number: not a record this class wrote whole
            return UNREADABLE;
        }
    }

    /** Replaces the app's record, durably. */
    void write(String app, String server, long serverCheckpoint, long flashCheckpoint, byte[] vmState)
            throws IOException {
        Files.createDirectories(folder);
        String text = "app=" + escape(app) + "\nserver=" + escape(server) + "\nserver-checkpoint=" + serverCheckpoint
                + "\nflash-checkpoint=" + flashCheckpoint + "\nvm-state-sha256=" + sha256(vmState) + "\n";
        Path aside = folder.resolve(file(app).getFileName() + ".next");
        try (FileChannel out = FileChannel.open(aside, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            out.force(true);
        }
        Files.move(aside, file(app), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel d = FileChannel.open(folder, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    private Path file(String app) {
        return folder.resolve(sha256(app.getBytes(StandardCharsets.UTF_8)));
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(BlobHash.digest(bytes).bytes());
    }

    /** A value as {@link Properties} reads it back. */
    private static String escape(String value) {
        StringBuilder b = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '\n' || c == '\r' || c == '=' || c == ':' || c == '#' || c == '!' || c < ' ') {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
