package org.vheap.device.store.flash;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
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
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Properties;
import java.util.zip.CRC32C;
import org.vheap.device.store.BlobHash;

/**
 * What a {@link FlashFrontedStore} shipped of each app and what it has not, in its directory's {@code shipped/}
 * folder, two small files per app (named by the SHA-256 of the app's name).
 *
 * <ul>
 *   <li>{@link Shipped}: what it last shipped: the server it went to, the server's checkpoint id, the flash checkpoint
 *       it was shipped from and the SHA-256 of its VM state. The store's copy of an app's heap is used only while this
 *       record matches both the checkpoint the server opens and the flash store's newest.</li>
 *   <li>{@link Unshipped} ({@code NAME.unshipped}): written after each flash checkpoint, the lines that may differ
 *       between it and a server checkpoint: what a device that died before shipping it ships when it comes back
 *       (binary: magic, format, the fields as protobuf varints, a CRC32C of all before it).</li>
 * </ul>
 *
 * A file is replaced whole (written aside, synced, renamed, the folder synced), so a crash leaves the old one or the
 * new one.
 */
final class FlashShipped {
    /** One app's record. */
    record Shipped(String server, long serverCheckpoint, long flashCheckpoint, String vmStateSha256) {
        boolean matches(String server, long serverCheckpoint, long flashCheckpoint, byte[] vmState) {
            return serverCheckpoint != 0 && this.server.equals(server) && this.serverCheckpoint == serverCheckpoint
                    && this.flashCheckpoint == flashCheckpoint && vmStateSha256.equals(sha256(vmState));
        }
    }

    /**
     * The lines that may differ between flash checkpoint {@code upTo} and the server's checkpoint {@code serverBase}
     * (on {@code server}; 0: the server had none), a superset: a line among them the flash checkpoint lacks is deleted.
     */
    record Unshipped(String server, long serverBase, long upTo, long[] lines) {
    }

    private static final int UNSHIPPED_MAGIC = 0x56485553;   // "VHUS"
    private static final int UNSHIPPED_FORMAT = 1;

    private final Path folder;

    FlashShipped(Path dir) {
        this.folder = dir.resolve("shipped");
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

    /** The app's lines not yet shipped; {@code null} when it has none, or its file is not one this class wrote whole. */
    Unshipped readUnshipped(String app) throws IOException {
        Path file = unshippedFile(app);
        if (!Files.exists(file)) {
            return null;
        }
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < 12) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        CodedInputStream in = CodedInputStream.newInstance(bytes, 0, bytes.length - 4);
        if ((int) crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt()
                || in.readFixed32() != UNSHIPPED_MAGIC || in.readUInt32() != UNSHIPPED_FORMAT) {
            return null;
        }
        String server = in.readString();
        long serverBase = in.readUInt64();
        long upTo = in.readUInt64();
        int count = in.readUInt32();
        if (count < 0 || count > bytes.length) {
            return null;
        }
        long[] lines = new long[count];
        long line = 0;
        for (int i = 0; i < count; i++) {
            line += in.readUInt64();   // ascending: each the gap from the one before
            lines[i] = line;
        }
        return in.isAtEnd() ? new Unshipped(server, serverBase, upTo, lines) : null;
    }

    /** Replaces the app's lines not yet shipped, durably. */
    void writeUnshipped(String app, Unshipped unshipped) throws IOException {
        long[] lines = unshipped.lines().clone();
        Arrays.sort(lines);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + lines.length * 3);
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeFixed32NoTag(UNSHIPPED_MAGIC);
        out.writeUInt32NoTag(UNSHIPPED_FORMAT);
        out.writeStringNoTag(unshipped.server());
        out.writeUInt64NoTag(unshipped.serverBase());
        out.writeUInt64NoTag(unshipped.upTo());
        out.writeUInt32NoTag(lines.length);
        long previous = 0;
        for (long line : lines) {
            out.writeUInt64NoTag(line - previous);
            previous = line;
        }
        out.flush();
        CRC32C crc = new CRC32C();
        crc.update(bytes.toByteArray());
        bytes.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        replace(unshippedFile(app), bytes.toByteArray());
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
        replace(file(app), text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code bytes} aside, syncs them, renames them over {@code file} and syncs the folder. */
    private void replace(Path file, byte[] bytes) throws IOException {
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
        return folder.resolve(sha256(app.getBytes(StandardCharsets.UTF_8)));
    }

    private Path unshippedFile(String app) {
        return folder.resolve(sha256(app.getBytes(StandardCharsets.UTF_8)) + ".unshipped");
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(BlobHash.digest(bytes).bytes());
    }
}
