package org.vheap.device.store.flash;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * What a {@link FlashFrontedStore} has not shipped of each app yet, beside {@link FlashShipped}'s records
 * ({@code shipped/NAME.unshipped}): written after each flash checkpoint, the lines that may differ between it and a
 * server checkpoint, so a device that stopped before shipping it (it died, or the server was away past its lease)
 * ships it when it opens the app again. Binary: a magic number, the format, the fields as protobuf varints (the lines
 * ascending, each the gap from the one before), a CRC32C of all before it. A file is replaced whole, as
 * {@link FlashShipped}'s are; one that fails its check is not read.
 */
final class FlashUnshipped {
    /**
     * The lines that may differ between flash checkpoint {@code upTo} and the server's checkpoint {@code serverBase}
     * (on {@code server}; 0: the server had none), a superset: a line among them the flash checkpoint lacks is deleted.
     */
    record Lines(String server, long serverBase, long upTo, long[] lines) {
    }

    private static final int MAGIC = 0x56485553;   // "VHUS"
    private static final int FORMAT = 1;

    private final Path folder;

    FlashUnshipped(Path dir) {
        this.folder = FlashShipped.folder(dir);
    }

    /** The app's lines not yet shipped; {@code null} when it has none, or its file is not one written whole here. */
    Lines read(String app) throws IOException {
        Path file = file(app);
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
                || in.readFixed32() != MAGIC || in.readUInt32() != FORMAT) {
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
        return in.isAtEnd() ? new Lines(server, serverBase, upTo, lines) : null;
    }

    /** Replaces the app's lines not yet shipped, durably. */
    void write(String app, Lines unshipped) throws IOException {
        long[] lines = unshipped.lines().clone();
        Arrays.sort(lines);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + lines.length * 3);
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeFixed32NoTag(MAGIC);
        out.writeUInt32NoTag(FORMAT);
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
        FlashShipped.replace(folder, file(app), bytes.toByteArray());
    }

    /** Forgets the app's lines not yet shipped: they will not be shipped. */
    void forget(String app) throws IOException {
        Files.deleteIfExists(file(app));
    }

    private Path file(String app) {
        return folder.resolve(FlashShipped.fileName(app) + ".unshipped");
    }
}
