package org.vheap.format;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The manifest of an app's class path, as each checkpoint carries it in its VM state (the attachment
 * {@link #ATTACHMENT}): every file of the app's jars and class directories by path, each named by the SHA-256 of its
 * bytes; the class path's directories with their files other than class files; and the chunks of each file larger
 * than one system blob. The device reads the files back from the store's system blobs by these names; the heap server
 * reads the manifest to know which system blobs a checkpoint needs ({@link CheckpointBlobs}).
 *
 * <pre>
 * files:        count u4, (path utf, sha-256)*
 * directories:  (only when there are some) "DIRS" u4, count u4, (path utf, count u4, (file utf)*)*
 * chunks:       (only when a file is chunked) "CHNK" u4, count u4, (path utf, count u4, (sha-256)*)*
 * </pre>
 * The sections come after the files, each at most once; a manifest with a section this reader does not know is
 * refused as corrupt.
 *
 * @param files       by path, in class path order (the first entry holding a path wins)
 * @param directories the class path's directories, in class path order
 * @param chunks      the chunks of each file larger than one blob, by path; each is a blob of its own
 */
public record ClassPathManifest(Map<String, BlobHash> files, List<Directory> directories,
                               Map<String, List<BlobHash>> chunks) {
    /** The VM-state attachment that holds the manifest. */
    public static final String ATTACHMENT = "app-files";
    /** Marks the section of directories ("DIRS"). */
    private static final int DIRECTORIES = 0x44495253;
    /** Marks the section of chunked files ("CHNK"). */
    private static final int CHUNKED = 0x43484E4B;

    /**
     * A directory of the class path: the path it was given as (relative to where the app was started, or absolute)
     * and the paths, relative to it, of its files that are not class files, in order.
     */
    public record Directory(String path, List<String> files) {
        public Directory {
            files = List.copyOf(files);
        }
    }

    public ClassPathManifest {
        files = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(files));
        directories = List.copyOf(directories);
        Map<String, List<BlobHash>> copied = new LinkedHashMap<>();
        chunks.forEach((path, parts) -> copied.put(path, List.copyOf(parts)));
        chunks = java.util.Collections.unmodifiableMap(copied);
    }

    /** The system blobs this class path is stored as: each file's own, or a chunked file's chunks. */
    public Set<BlobHash> blobs() {
        Set<BlobHash> blobs = new LinkedHashSet<>();
        for (Map.Entry<String, BlobHash> f : files.entrySet()) {
            List<BlobHash> parts = chunks.get(f.getKey());
            if (parts == null) {
                blobs.add(f.getValue());
            } else {
                blobs.addAll(parts);
            }
        }
        return blobs;
    }

    /** The manifest's bytes. */
    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(files.size());
            for (Map.Entry<String, BlobHash> e : files.entrySet()) {
                out.writeUTF(e.getKey());
                out.write(e.getValue().bytes());
            }
            if (!directories.isEmpty()) {
                out.writeInt(DIRECTORIES);
                out.writeInt(directories.size());
                for (Directory d : directories) {
                    out.writeUTF(d.path());
                    out.writeInt(d.files().size());
                    for (String f : d.files()) {
                        out.writeUTF(f);
                    }
                }
            }
            if (!chunks.isEmpty()) {
                out.writeInt(CHUNKED);
                out.writeInt(chunks.size());
                for (Map.Entry<String, List<BlobHash>> c : chunks.entrySet()) {
                    out.writeUTF(c.getKey());
                    out.writeInt(c.getValue().size());
                    for (BlobHash part : c.getValue()) {
                        out.write(part.bytes());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads a manifest.
     *
     * @throws IllegalArgumentException when the bytes are not one (saying what is wrong)
     */
    public static ClassPathManifest decode(byte[] manifestBytes) {
        Map<String, BlobHash> files = new LinkedHashMap<>();
        List<Directory> directories = new ArrayList<>();
        Map<String, List<BlobHash>> chunks = new LinkedHashMap<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(manifestBytes))) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                files.put(in.readUTF(), readHash(in));
            }
            Set<Integer> sections = new HashSet<>();
            while (in.available() > 0) {
                int section = in.readInt();
                if (!sections.add(section)) {
                    throw new IOException("section " + Integer.toHexString(section) + " twice");
                }
                if (section == DIRECTORIES) {
                    for (int d = in.readInt(); d > 0; d--) {
                        String path = in.readUTF();
                        List<String> data = new ArrayList<>();
                        for (int f = in.readInt(); f > 0; f--) {
                            data.add(in.readUTF());
                        }
                        directories.add(new Directory(path, data));
                    }
                } else if (section == CHUNKED) {
                    for (int c = in.readInt(); c > 0; c--) {
                        String path = in.readUTF();
                        if (!files.containsKey(path)) {
                            throw new IOException("chunks of " + path + ", which the manifest does not name");
                        }
                        List<BlobHash> parts = new ArrayList<>();
                        for (int p = in.readInt(); p > 0; p--) {
                            parts.add(readHash(in));
                        }
                        chunks.put(path, parts);
                    }
                } else {
                    throw new IOException("unknown section after the files");
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("the checkpoint's class path manifest is corrupt", e);
        }
        return new ClassPathManifest(files, directories, chunks);
    }

    private static BlobHash readHash(DataInputStream in) throws IOException {
        byte[] h = new byte[32];
        in.readFully(h);
        return BlobHash.of(h);
    }
}
