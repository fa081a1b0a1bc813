package org.vheap.device.vm.loader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.vheap.format.BlobHash;
import org.vheap.format.ClassPathManifest.Directory;
import org.vheap.format.ClassPathManifest;

/**
 * An app's class path as content: every file of its jars and class directories (class files and resources)
 * by path, each named by the SHA-256 of its bytes. A fresh run {@link #capture captures} the class path; the
 * files go to the store's system blobs and the manifest ({@link #encodeManifest}) into each checkpoint, so
 * a device resuming the app needs no class path of its own: it reads the files back from the store by hash,
 * when the app first asks for them.
 *
 * <p>Like a class path, the first entry holding a path wins.
 *
 * <p>It also remembers the class path's directories ({@link #directories}): where each was given and the names of
 * its files other than class files, so the app's own file system shows them where HotSpot would find them (a data
 * file beside the classes), on whichever device the app runs. The manifest carries them after its files, where a
 * reader that predates them stops reading.
 *
 * <p>A file larger than {@link #CHUNK_BYTES} goes to the store in chunks of that size, each a blob of its own (a
 * call to a heap server carries at most 16 MiB by default, and a blob is put whole): the manifest names the file by
 * the SHA-256 of all its bytes, as any other, and lists its chunks in a section of its own; a read fetches the
 * chunks and checks the whole against that hash.
 */
public final class ClassPathImage {
    /** The largest file stored as one blob, and the size of the chunks of a larger one: one put of system blobs. */
    public static final int CHUNK_BYTES = (int) org.vheap.device.store.SystemBlobStore.PUT_BATCH_BYTES;
    private final Map<String, BlobHash> manifest;
    private final java.util.List<Directory> directories;
    /** The chunks of each file larger than {@link #CHUNK_BYTES}, by path. */
    private final Map<String, java.util.List<BlobHash>> chunks;
    private final Map<BlobHash, byte[]> local;
    private final Function<BlobHash, byte[]> fetch;

    private ClassPathImage(Map<String, BlobHash> manifest, java.util.List<Directory> directories,
                           Map<String, java.util.List<BlobHash>> chunks, Map<BlobHash, byte[]> local,
                           Function<BlobHash, byte[]> fetch) {
        this.manifest = manifest;
        this.directories = java.util.List.copyOf(directories);
        this.chunks = chunks;
        this.local = local;
        this.fetch = fetch;
    }

    /**
     * Reads every file of a class path (jars and directories).
     *
     * @throws IllegalArgumentException when an entry is neither a directory nor a readable jar
     */
    public static ClassPathImage capture(java.util.List<Path> classpath) {
        Map<String, BlobHash> manifest = new LinkedHashMap<>();
        java.util.List<Directory> directories = new java.util.ArrayList<>();
        Map<String, java.util.List<BlobHash>> chunks = new LinkedHashMap<>();
        Map<BlobHash, byte[]> files = new HashMap<>();
        for (Path entry : classpath) {
            try {
                if (Files.isDirectory(entry)) {
                    java.util.List<String> data = new java.util.ArrayList<>();
                    try (Stream<Path> walk = Files.walk(entry)) {
                        for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
                            String name = entry.relativize(p).toString().replace(java.io.File.separatorChar, '/');
                            add(manifest, chunks, files, name, Files.readAllBytes(p));
                            if (!name.endsWith(".class")) {
                                data.add(name);
                            }
                        }
                    }
                    directories.add(new Directory(entry.toString().replace(java.io.File.separatorChar, '/'), data));
                } else if (Files.isRegularFile(entry)) {
                    try (ZipFile zip = new ZipFile(entry.toFile())) {
                        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                            ZipEntry z = e.nextElement();
                            if (!z.isDirectory()) {
                                try (InputStream in = zip.getInputStream(z)) {
                                    add(manifest, chunks, files, z.getName(), in.readAllBytes());
                                }
                            }
                        }
                    }
                } else {
                    throw new IllegalArgumentException("class path entry " + entry + " is neither a directory nor a jar");
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read class path entry " + entry + ": " + e.getMessage(), e);
            }
        }
        return new ClassPathImage(manifest, directories, chunks, files, h -> null);
    }

    private static void add(Map<String, BlobHash> manifest, Map<String, java.util.List<BlobHash>> chunks,
                            Map<BlobHash, byte[]> files, String name, byte[] bytes) {
        if (!manifest.containsKey(name)) {
            BlobHash h = BlobHash.digest(bytes);
            manifest.put(name, h);
            files.putIfAbsent(h, bytes);
            if (bytes.length > CHUNK_BYTES) {
                java.util.List<BlobHash> parts = new java.util.ArrayList<>();
                for (int at = 0; at < bytes.length; at += CHUNK_BYTES) {
                    parts.add(BlobHash.digest(bytes, at, Math.min(CHUNK_BYTES, bytes.length - at)));
                }
                chunks.put(name, parts);
            }
        }
    }

    /** A class path stored earlier: the manifest of a checkpoint, with the files fetched from the store on demand. */
    public static ClassPathImage stored(byte[] manifestBytes, Function<BlobHash, byte[]> fetch) {
        ClassPathManifest m = ClassPathManifest.decode(manifestBytes);
        return new ClassPathImage(m.files(), m.directories(), m.chunks(), new HashMap<>(), fetch);
    }

    /** An empty class path. */
    public static ClassPathImage empty() {
        return new ClassPathImage(Map.of(), java.util.List.of(), Map.of(), Map.of(), h -> null);
    }

    /**
     * A file's bytes by path ({@code org/example/Main.class}), or null when the class path has no such file.
     *
     * @throws IllegalStateException when the manifest names the file but the store has lost it
     */
    public byte[] read(String path) {
        BlobHash h = manifest.get(path);
        if (h == null) {
            return null;
        }
        byte[] b = local.get(h);
        if (b != null) {
            return b;
        }
        java.util.List<BlobHash> parts = chunks.get(path);
        if (parts == null) {
            return fetched(path, h);
        }
        java.util.List<byte[]> chunkBytes = new java.util.ArrayList<>(parts.size());
        long length = 0;
        for (BlobHash part : parts) {
            byte[] chunk = fetched(path, part);
            chunkBytes.add(chunk);
            length += chunk.length;
        }
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("the app's file " + path + " (" + h + ") has chunks of " + length + " bytes in"
                    + " all, more than a file may have");
        }
        b = new byte[(int) length];
        int at = 0;
        for (byte[] chunk : chunkBytes) {
            System.arraycopy(chunk, 0, b, at, chunk.length);
            at += chunk.length;
        }
        if (!BlobHash.digest(b).equals(h)) {
            throw new IllegalStateException("the app's file " + path + " (" + h + ") does not match its chunks in the store's"
                    + " system blobs");
        }
        return b;
    }

    private byte[] fetched(String path, BlobHash h) {
        byte[] b = fetch.apply(h);
        if (b == null) {
            throw new IllegalStateException("the app's file " + path + " (" + h + ") is missing from the store's system blobs");
        }
        return b;
    }

    /**
     * What the store's system blobs must hold for this class path, by hash: the files read in this process, a file
     * larger than {@link #CHUNK_BYTES} as its chunks (none for a class path stored earlier).
     */
    public Map<BlobHash, byte[]> localFiles() {
        if (chunks.isEmpty() || local.isEmpty()) {
            return local;
        }
        Map<BlobHash, byte[]> blobs = new LinkedHashMap<>();
        for (Map.Entry<String, BlobHash> file : manifest.entrySet()) {
            byte[] bytes = local.get(file.getValue());
            java.util.List<BlobHash> parts = chunks.get(file.getKey());
            if (parts == null) {
                blobs.put(file.getValue(), bytes);
                continue;
            }
            for (int i = 0; i < parts.size(); i++) {
                int at = i * CHUNK_BYTES;
                blobs.putIfAbsent(parts.get(i), java.util.Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + CHUNK_BYTES)));
            }
        }
        return blobs;
    }

    /** The class path's directories, in class path order. */
    public java.util.List<Directory> directories() {
        return directories;
    }

    /** The manifest's bytes ({@link ClassPathManifest} gives their form). */
    public byte[] encodeManifest() {
        return new ClassPathManifest(manifest, directories, chunks).encode();
    }

    /** Number of files. */
    public int size() {
        return manifest.size();
    }
}
