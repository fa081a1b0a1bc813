package org.vheap.device.vm.loader;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
import org.vheap.device.store.BlobHash;

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
 */
public final class ClassPathImage {
    /** Marks the manifest's section of directories (after the files; absent in manifests written before it). */
    private static final int DIRECTORIES = 0x44495253;
    private final Map<String, BlobHash> manifest;
    private final java.util.List<Directory> directories;
    private final Map<BlobHash, byte[]> local;
    private final Function<BlobHash, byte[]> fetch;

    /**
     * A directory of the class path: the path it was given as (relative to where the app was started, or absolute)
     * and the paths, relative to it, of its files that are not class files, in order.
     */
    public record Directory(String path, java.util.List<String> files) {
        public Directory {
            files = java.util.List.copyOf(files);
        }
    }

    private ClassPathImage(Map<String, BlobHash> manifest, java.util.List<Directory> directories,
                           Map<BlobHash, byte[]> local, Function<BlobHash, byte[]> fetch) {
        this.manifest = manifest;
        this.directories = java.util.List.copyOf(directories);
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
        Map<BlobHash, byte[]> files = new HashMap<>();
        for (Path entry : classpath) {
            try {
                if (Files.isDirectory(entry)) {
                    java.util.List<String> data = new java.util.ArrayList<>();
                    try (Stream<Path> walk = Files.walk(entry)) {
                        for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
                            String name = entry.relativize(p).toString().replace(java.io.File.separatorChar, '/');
                            add(manifest, files, name, Files.readAllBytes(p));
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
                                    add(manifest, files, z.getName(), in.readAllBytes());
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
        return new ClassPathImage(manifest, directories, files, h -> null);
    }

    private static void add(Map<String, BlobHash> manifest, Map<BlobHash, byte[]> files, String name, byte[] bytes) {
        if (!manifest.containsKey(name)) {
            BlobHash h = BlobHash.digest(bytes);
            manifest.put(name, h);
            files.putIfAbsent(h, bytes);
        }
    }

    /** A class path stored earlier: the manifest of a checkpoint, with the files fetched from the store on demand. */
    public static ClassPathImage stored(byte[] manifestBytes, Function<BlobHash, byte[]> fetch) {
        Map<String, BlobHash> manifest = new LinkedHashMap<>();
        java.util.List<Directory> directories = new java.util.ArrayList<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(manifestBytes))) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                byte[] h = new byte[32];
                in.readFully(h);
                manifest.put(name, BlobHash.of(h));
            }
            if (in.available() > 0) {
                if (in.readInt() != DIRECTORIES) {
                    throw new IOException("unknown section after the files");
                }
                for (int d = in.readInt(); d > 0; d--) {
                    String path = in.readUTF();
                    java.util.List<String> data = new java.util.ArrayList<>();
                    for (int f = in.readInt(); f > 0; f--) {
                        data.add(in.readUTF());
                    }
                    directories.add(new Directory(path, data));
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("the checkpoint's class path manifest is corrupt", e);
        }
        return new ClassPathImage(manifest, directories, new HashMap<>(), fetch);
    }

    /** An empty class path. */
    public static ClassPathImage empty() {
        return new ClassPathImage(Map.of(), java.util.List.of(), Map.of(), h -> null);
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
        if (b == null) {
            b = fetch.apply(h);
            if (b == null) {
                throw new IllegalStateException("the app's file " + path + " (" + h + ") is missing from the store's system blobs");
            }
        }
        return b;
    }

    /** The files read in this process, by hash: what a fresh run must put in the system segment. */
    public Map<BlobHash, byte[]> localFiles() {
        return local;
    }

    /** The class path's directories, in class path order. */
    public java.util.List<Directory> directories() {
        return directories;
    }

    /**
     * The manifest's byte form: count u4, (path utf, sha-256)*; then, when there are directories, the marker
     * {@code DIRS} u4, count u4, (path utf, count u4, (file utf)*)*.
     */
    public byte[] encodeManifest() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(manifest.size());
            for (Map.Entry<String, BlobHash> e : manifest.entrySet()) {
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Number of files. */
    public int size() {
        return manifest.size();
    }
}
