package org.vheap.format;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UTFDataFormatException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads a heap image file ({@link HeapImageWriter} gives its form), checking as it goes: the magic and format, every
 * section's length, checksum and order, every blob against its name, ascending line ids, and at the end the counts
 * of lines and blobs against the header and the END section. A file that fails any check is refused with an
 * {@link HeapImageException} saying what is wrong and where; a reader that takes the file in does so in one
 * transaction it rolls back then, so a damaged file changes nothing. A count or length is checked against the bytes
 * its section holds before anything is allocated for it, so a small file cannot make the reader allocate much.
 *
 * <p>Usage: construct (reads the header), {@link #vmState}, then {@link #read} the blobs and lines to the end;
 * {@link #close} (frees the inflater's native memory). Not thread-safe; the caller owns the input stream.
 */
public final class HeapImageReader implements AutoCloseable {
    /** A line of the image. */
    public record Line(long id, byte[] data) {
    }

    /** Where {@link #read} puts the blobs and lines, a section at a time. */
    public interface Sink {
        void blobs(Map<BlobHash, byte[]> blobs);

        void lines(List<Line> lines);
    }

    private final DataInputStream in;
    private final HeapImageHeader header;
    private final Inflater inflater = new Inflater();
    private int sections;
    private long bytesRead;

    /**
     * Reads the file's magic, format and header.
     *
     * @throws HeapImageException when it is not a heap image of this format, or its header is damaged
     */
    public HeapImageReader(InputStream in) {
        this.in = new DataInputStream(in);
        try {
            byte[] magic = new byte[HeapImageWriter.MAGIC.length];
            this.in.readFully(magic);
            if (!Arrays.equals(magic, HeapImageWriter.MAGIC)) {
                throw new HeapImageException("not a vheap heap image (it does not start with VHEAPIMG)");
            }
            int format = this.in.readInt();
            if (format != HeapImageWriter.FORMAT) {
                throw new HeapImageException("a heap image of format " + format + "; this version reads format "
                        + HeapImageWriter.FORMAT);
            }
            bytesRead = magic.length + 4;
            DataInputStream h = section(HeapImageWriter.HEADER, "HEADER");
            header = inSection("HEADER", () -> {
                String app = h.readUTF();
                int lineSize = h.readInt();
                long checkpointId = h.readLong();
                long createdAt = h.readLong();
                String device = h.readUTF();
                long lineCount = h.readLong();
                int blobCount = h.readInt();
                Map<String, String> metadata = new LinkedHashMap<>();
                for (int n = count(h, "metadata entries"); n > 0; n--) {
                    metadata.put(h.readUTF(), h.readUTF());
                }
                try {
                    return new HeapImageHeader(app, lineSize, checkpointId, createdAt, device, lineCount, blobCount,
                            metadata);
                } catch (IllegalArgumentException e) {
                    throw damaged("its header: " + e.getMessage());
                }
            });
        } catch (EOFException e) {
            throw truncated();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public HeapImageHeader header() {
        return header;
    }

    /** The checkpoint's VM state (the section after the header). */
    public byte[] vmState() {
        try {
            return section(HeapImageWriter.VM_STATE, "VM_STATE").readAllBytes();   // the section's bytes are the state
        } catch (EOFException e) {
            throw truncated();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads the blobs and lines to the END section, giving them to {@code sink} a section at a time, and checks the
     * counts. The sink sees everything before the last checks: what it did must be undone when this throws.
     *
     * @throws HeapImageException when the file is truncated or damaged
     */
    public void read(Sink sink) {
        long lines = 0;
        int blobs = 0;
        long lastLine = -1;
        boolean inLines = false;
        try {
            while (true) {
                int kind = in.readUnsignedByte();
                if (kind == HeapImageWriter.END) {
                    DataInputStream e = body(kind, "END");
                    long[] end = inSection("END", () -> new long[] {e.readInt(), e.readLong(), e.readInt()});
                    if (end[0] != sections - 1 || end[1] != lines || end[2] != blobs) {
                        throw damaged("its END section counts " + end[0] + " sections, " + end[1] + " lines and "
                                + end[2] + " blobs; the file has " + (sections - 1) + ", " + lines + " and " + blobs);
                    }
                    break;
                }
                if (kind == HeapImageWriter.BLOBS && !inLines) {
                    DataInputStream b = body(kind, "BLOBS");
                    Map<BlobHash, byte[]> found = inSection("BLOBS", () -> {
                        Map<BlobHash, byte[]> section = new LinkedHashMap<>();
                        for (int n = count(b, "blobs"); n > 0; n--) {
                            byte[] sha = new byte[32];
                            b.readFully(sha);
                            byte[] data = new byte[count(b, "blob bytes")];   // a count fits what the section holds
                            b.readFully(data);
                            BlobHash hash = BlobHash.of(sha);
                            if (!hash.names(data)) {
                                throw damaged("blob " + hash + " in section " + sections + " does not hash to its name");
                            }
                            section.put(hash, data);
                        }
                        return section;
                    });
                    blobs += found.size();
                    if (blobs > header.blobCount()) {
                        throw damaged("it has more blobs than its header's " + header.blobCount());
                    }
                    sink.blobs(found);
                } else if (kind == HeapImageWriter.LINES) {
                    inLines = true;
                    DataInputStream l = body(kind, "LINES");
                    long after = lastLine;
                    List<Line> batch = inSection("LINES", () -> {
                        List<Line> section = new ArrayList<>();
                        long previous = after;
                        for (int n = count(l, "lines"); n > 0; n--) {
                            long id = l.readLong();
                            if (id <= previous) {
                                throw damaged("line " + id + " follows line " + previous + " in section " + sections);
                            }
                            byte[] data = new byte[fits(l, header.lineSize(), "a line")];
                            l.readFully(data);
                            section.add(new Line(id, data));
                            previous = id;
                        }
                        return section;
                    });
                    if (!batch.isEmpty()) {
                        lastLine = batch.get(batch.size() - 1).id();
                    }
                    lines += batch.size();
                    if (lines > header.lineCount()) {
                        throw damaged("it has more lines than its header's " + header.lineCount());
                    }
                    sink.lines(batch);
                } else {
                    throw damaged("section " + (sections + 1) + " has kind " + kind + ", which does not belong there");
                }
            }
            if (lines != header.lineCount() || blobs != header.blobCount()) {
                throw damaged("it has " + lines + " lines and " + blobs + " blobs; its header says " + header.lineCount()
                        + " and " + header.blobCount());
            }
            if (in.read() != -1) {
                throw damaged("bytes follow its END section");
            }
        } catch (EOFException e) {
            throw truncated();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Frees the inflater's native memory. */
    @Override
    public void close() {
        inflater.end();
    }

    private interface SectionRead<T> {
        T read() throws IOException;
    }

    /**
     * Reads a section's content: content that ends early, or a name that is not modified UTF-8, is the section's damage
     * (its checksum held), not the file's end.
     */
    private <T> T inSection(String name, SectionRead<T> read) throws IOException {
        try {
            return read.read();
        } catch (EOFException e) {
            throw damaged("section " + sections + " (" + name + ") ends inside its content");
        } catch (UTFDataFormatException e) {
            throw damaged("section " + sections + " (" + name + ") holds a name that is not modified UTF-8");
        }
    }

    /** {@code length} when the section holds that many more bytes; damaged otherwise, before anything is allocated. */
    private int fits(DataInputStream in, int length, String what) throws IOException {
        if (length > in.available()) {
            throw damaged(what + " of " + length + " bytes in section " + sections + ", which holds " + in.available()
                    + " more");
        }
        return length;
    }

    /** The file's bytes read so far. */
    public long bytesRead() {
        return bytesRead;
    }

    /** The next section, which must be of {@code kind}: its bytes, checked and inflated. */
    private DataInputStream section(int kind, String name) throws IOException {
        int found = in.readUnsignedByte();
        if (found != kind) {
            throw damaged("section " + (sections + 1) + " has kind " + found + " where " + name + " belongs");
        }
        return body(kind, name);
    }

    /** The rest of a section whose kind byte was read. */
    private DataInputStream body(int kind, String name) throws IOException {
        int rawLength = in.readInt();
        int storedLength = in.readInt();
        int crc = in.readInt();
        sections++;
        if (rawLength < 0 || rawLength > HeapImageWriter.MAX_SECTION_BYTES || storedLength < 0
                || storedLength > HeapImageWriter.MAX_SECTION_BYTES + (HeapImageWriter.MAX_SECTION_BYTES >> 4)) {
            throw damaged("section " + sections + " (" + name + ") claims " + rawLength + " bytes stored in "
                    + storedLength);
        }
        byte[] stored = in.readNBytes(storedLength);   // grows as bytes come: a short file claiming much allocates little
        if (stored.length < storedLength) {
            throw new EOFException();
        }
        bytesRead += 13 + storedLength;
        CRC32C check = new CRC32C();
        check.update(stored);
        if ((int) check.getValue() != crc) {
            throw damaged("section " + sections + " (" + name + ") fails its checksum");
        }
        byte[] raw = new byte[rawLength + 1];   // one more: a section that inflates to more is caught too
        inflater.reset();
        inflater.setInput(stored);
        try {
            int n = inflater.inflate(raw);
            if (n != rawLength || !inflater.finished()) {
                throw damaged("section " + sections + " (" + name + ") inflates to another length than its "
                        + rawLength + " bytes");
            }
        } catch (DataFormatException e) {
            throw damaged("section " + sections + " (" + name + ") does not inflate: " + e.getMessage());
        }
        return new DataInputStream(new ByteArrayInputStream(raw, 0, rawLength));
    }

    private int count(DataInputStream in, String what) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {   // every item takes at least a byte
            throw damaged("a count of " + n + " " + what + " in section " + sections + ", which holds " + in.available()
                    + " more bytes");
        }
        return n;
    }

    private HeapImageException damaged(String what) {
        return new HeapImageException("the heap image is damaged: " + what);
    }

    private HeapImageException truncated() {
        return new HeapImageException("the heap image ends early, after " + bytesRead
                + " bytes of whole sections: the file is truncated");
    }
}
