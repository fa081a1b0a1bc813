package org.vheap.format;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.Deflater;

/**
 * Writes a portable heap image file: one checkpoint of one app, with its lines, its VM state and every system blob
 * it needs, so another store (another database) can take it in ({@code ./vheap export}, {@code ./vheap import}).
 *
 * <pre>
 * file     magic "VHEAPIMG" (8 bytes), format u4 ({@link #FORMAT}), section*, END section
 * section  kind u1, length u4 (its bytes), stored length u4, CRC-32C u4 (of the stored bytes), stored bytes
 *          (the bytes deflated)
 * HEADER   app utf, line size u4, checkpoint id u8, created at u8 (epoch ms), device utf, lines u8, blobs u4,
 *          metadata count u4, (key utf, value utf)*
 * VM_STATE the VM-state image's bytes ({@link VmStateImage})
 * BLOBS    count u4, (sha-256 32 bytes, length u4, bytes)*
 * LINES    count u4, (line id u8, line-size bytes)*   (ascending line ids across the file)
 * END      sections before it u4, lines u8, blobs u4
 * </pre>
 * The sections come in that order: HEADER, VM_STATE, BLOBS*, LINES*, END. A reader ({@link HeapImageReader})
 * checks every section's checksum and the END's counts, so a truncated or altered file is refused, not misread.
 *
 * <p>Not thread-safe. The caller owns the output stream: {@link #finish} writes END and flushes it, {@link #close}
 * frees the deflater's native memory and leaves the stream open.
 */
public final class HeapImageWriter implements AutoCloseable {
    /** The file's first eight bytes. */
    static final byte[] MAGIC = {'V', 'H', 'E', 'A', 'P', 'I', 'M', 'G'};
    /** The format this writes and {@link HeapImageReader} reads. */
    public static final int FORMAT = 1;
    static final int HEADER = 1;
    static final int VM_STATE = 2;
    static final int BLOBS = 3;
    static final int LINES = 4;
    static final int END = 0x7F;
    /** A section's bytes before compression stay under this (a reader refuses a longer one). */
    static final int MAX_SECTION_BYTES = 64 << 20;
    /** Lines and blobs go into a section until it holds about this many bytes. */
    static final int SECTION_TARGET_BYTES = 1 << 20;

    private final DataOutputStream out;
    private final HeapImageHeader header;
    private final Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(SECTION_TARGET_BYTES + (64 << 10));
    private final DataOutputStream pendingData = new DataOutputStream(pending);
    private int pendingKind;
    private int pendingCount;
    private int sections;
    private long lines;
    private int blobs;
    private long lastLine = -1;
    private long bytesWritten;
    private boolean vmStateWritten;

    /** Starts a file: writes its magic, format and header. */
    public HeapImageWriter(OutputStream out, HeapImageHeader header) {
        this.out = new DataOutputStream(out);
        this.header = header;
        try {
            this.out.write(MAGIC);
            this.out.writeInt(FORMAT);
            bytesWritten = MAGIC.length + 4;
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream h = new DataOutputStream(bytes);
            h.writeUTF(header.app());
            h.writeInt(header.lineSize());
            h.writeLong(header.checkpointId());
            h.writeLong(header.createdAtMillis());
            h.writeUTF(header.device());
            h.writeLong(header.lineCount());
            h.writeInt(header.blobCount());
            h.writeInt(header.metadata().size());
            for (Map.Entry<String, String> e : header.metadata().entrySet()) {
                h.writeUTF(e.getKey());
                h.writeUTF(e.getValue());
            }
            section(HEADER, bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The VM state, once, before any blob or line. */
    public void vmState(byte[] vmState) {
        if (vmStateWritten || pendingKind != 0 || blobs > 0 || lines > 0) {
            throw new IllegalStateException("the VM state comes once, right after the header");
        }
        if (vmState.length > MAX_SECTION_BYTES) {
            throw new IllegalArgumentException("a VM state of " + vmState.length + " bytes; at most " + MAX_SECTION_BYTES);
        }
        vmStateWritten = true;
        write(() -> section(VM_STATE, vmState));
    }

    /** A system blob the checkpoint needs; every blob before the first line. */
    public void blob(BlobHash hash, byte[] data) {
        if (!vmStateWritten || lines > 0 || pendingKind == LINES) {
            throw new IllegalStateException("blobs come after the VM state and before the lines");
        }
        if (data.length > MAX_SECTION_BYTES - 40) {
            throw new IllegalArgumentException("a blob of " + data.length + " bytes; at most " + (MAX_SECTION_BYTES - 40));
        }
        write(() -> {
            startOrFlush(BLOBS, 36 + data.length);
            pendingData.write(hash.bytes());
            pendingData.writeInt(data.length);
            pendingData.write(data);
            pendingCount++;
            blobs++;
        });
    }

    /** A line of the checkpoint, in ascending id order, of the header's line size. */
    public void line(long id, byte[] data) {
        if (!vmStateWritten) {
            throw new IllegalStateException("lines come after the VM state");
        }
        if (id <= lastLine) {
            throw new IllegalArgumentException("line " + id + " after line " + lastLine + ": lines go in ascending order");
        }
        if (data.length != header.lineSize()) {
            throw new IllegalArgumentException("line " + id + " has " + data.length + " bytes, not " + header.lineSize());
        }
        write(() -> {
            startOrFlush(LINES, 8 + data.length);
            pendingData.writeLong(id);
            pendingData.write(data);
            pendingCount++;
            lines++;
            lastLine = id;
        });
    }

    /**
     * Ends the file: writes END and flushes the stream.
     *
     * @throws IllegalStateException when the file holds another number of lines or blobs than its header says
     */
    public void finish() {
        if (!vmStateWritten) {
            throw new IllegalStateException("a heap image has a VM state");
        }
        write(this::flushPending);
        if (lines != header.lineCount() || blobs != header.blobCount()) {
            throw new IllegalStateException("the image has " + lines + " lines and " + blobs + " blobs; its header says "
                    + header.lineCount() + " and " + header.blobCount());
        }
        write(() -> {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream e = new DataOutputStream(bytes);
            e.writeInt(sections);
            e.writeLong(lines);
            e.writeInt(blobs);
            section(END, bytes.toByteArray());
            out.flush();
        });
    }

    /** Frees the deflater's native memory (the stream stays the caller's). */
    @Override
    public void close() {
        deflater.end();
    }

    /** The file's bytes written so far. */
    public long bytesWritten() {
        return bytesWritten;
    }

    /** The lines written so far. */
    public long lines() {
        return lines;
    }

    private void startOrFlush(int kind, int adding) throws IOException {
        if (pendingKind != kind || pending.size() + adding > SECTION_TARGET_BYTES && pendingCount > 0) {
            flushPending();
            pendingKind = kind;
            pendingData.writeInt(0);   // the count, set in flushPending
        }
    }

    private void flushPending() throws IOException {
        if (pendingKind == 0) {
            return;
        }
        byte[] raw = pending.toByteArray();
        raw[0] = (byte) (pendingCount >>> 24);
        raw[1] = (byte) (pendingCount >>> 16);
        raw[2] = (byte) (pendingCount >>> 8);
        raw[3] = (byte) pendingCount;
        int kind = pendingKind;
        pending.reset();
        pendingKind = 0;
        pendingCount = 0;
        section(kind, raw);
    }

    private void section(int kind, byte[] raw) throws IOException {
        deflater.reset();
        deflater.setInput(raw);
        deflater.finish();
        ByteArrayOutputStream stored = new ByteArrayOutputStream(Math.max(64, raw.length / 2));
        byte[] buffer = new byte[64 << 10];
        while (!deflater.finished()) {
            int n = deflater.deflate(buffer);
            stored.write(buffer, 0, n);
        }
        byte[] s = stored.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(s);
        out.writeByte(kind);
        out.writeInt(raw.length);
        out.writeInt(s.length);
        out.writeInt((int) crc.getValue());
        out.write(s);
        bytesWritten += 13 + s.length;
        sections++;
    }

    private interface IoStep {
        void run() throws IOException;
    }

    private static void write(IoStep step) {
        try {
            step.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
