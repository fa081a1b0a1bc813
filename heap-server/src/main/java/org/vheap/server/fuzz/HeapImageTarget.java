package org.vheap.server.fuzz;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.Deflater;
import org.vheap.format.BlobHash;
import org.vheap.format.CheckpointBlobs;
import org.vheap.format.HeapImageReader;
import org.vheap.format.HeapImageWriter;

/**
 * Fuzz target {@code heap-image}: a heap image file ({@code ./vheap import}'s), read as an import reads it
 * ({@link HeapImageReader}: header, VM state and the blobs it names, every blob and line to the END section).
 *
 * <p><b>An input</b> is a mode byte, then: mode even, the file's bytes as they are (the framing: magic, format,
 * section lengths and checksums); mode odd, the sections' contents before compression, each a kind byte, a two-byte
 * big-endian length and that many bytes, which the target frames as a writer does (compressed, checksummed), so that
 * mutations reach the sections' parsers behind checksums a mutation would otherwise break.
 *
 * <p><b>What must hold:</b> the read ends with the whole image or with the IllegalArgumentException an import reports
 * ("the heap image is damaged: ...", "... truncated"), never with another exception, a hang or running out of memory:
 * a damaged file is refused in one line and the store is left as it was.
 */
public final class HeapImageTarget {
    private static final byte[] MAGIC = "VHEAPIMG".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private HeapImageTarget() {
    }

    public static void fuzzerTestOneInput(byte[] input) {
        if (input.length == 0) {
            return;
        }
        byte[] file = (input[0] & 1) == 0 ? Arrays.copyOfRange(input, 1, input.length) : framed(input);
        try (HeapImageReader reader = new HeapImageReader(new ByteArrayInputStream(file))) {
            CheckpointBlobs.of(reader.vmState());
            reader.read(new HeapImageReader.Sink() {
                @Override
                public void blobs(Map<BlobHash, byte[]> blobs) {
                }

                @Override
                public void lines(List<HeapImageReader.Line> lines) {
                }
            });
        } catch (IllegalArgumentException expected) {
            // the refusal an import reports
        }
    }

    /** An odd-mode input's sections framed as a file: magic, format, each section compressed and checksummed. */
    static byte[] framed(byte[] input) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeInt(HeapImageWriter.FORMAT);
            int at = 1;
            while (at + 3 <= input.length) {
                int kind = input[at] & 0xFF;
                int length = Math.min((input[at + 1] & 0xFF) << 8 | input[at + 2] & 0xFF, input.length - at - 3);
                byte[] raw = Arrays.copyOfRange(input, at + 3, at + 3 + length);
                at += 3 + length;
                Deflater deflater = new Deflater(Deflater.BEST_SPEED);
                deflater.setInput(raw);
                deflater.finish();
                ByteArrayOutputStream stored = new ByteArrayOutputStream();
                byte[] buffer = new byte[4096];
                while (!deflater.finished()) {
                    stored.write(buffer, 0, deflater.deflate(buffer));
                }
                deflater.end();
                CRC32C crc = new CRC32C();
                crc.update(stored.toByteArray());
                out.writeByte(kind);
                out.writeInt(raw.length);
                out.writeInt(stored.size());
                out.writeInt((int) crc.getValue());
                stored.writeTo(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
