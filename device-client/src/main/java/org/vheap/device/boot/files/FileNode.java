package org.vheap.device.boot.files;

import java.util.TreeMap;

/**
 * A file or a directory of the app's file system ({@link HeapFiles}): an object in the app's own heap, so its bytes
 * are heap lines like any array's, paged, checkpointed and carried to another device with the rest of the heap.
 * A directory's entries are in name order; a file's bytes are {@code bytes[0, size)}.
 */
final class FileNode {
    /** The owner's permission bits, as {@code java.io.FileSystem}'s access flags. */
    static final int READ = 4;
    static final int WRITE = 2;
    static final int EXECUTE = 1;
    /** What stat says of a directory's size (its st_size on common Linux file systems). */
    static final long DIRECTORY_SIZE = 4096;
    /** The last inode number given (the app's, in its heap: see {@link HeapFiles} on state). */
    private static long lastInode;

    /** What a device file reads and writes instead of bytes: {@link #NOT_A_DEVICE}, /dev/null, /dev/random. */
    static final int NOT_A_DEVICE = 0;
    static final int NULL_DEVICE = 1;
    static final int RANDOM_DEVICE = 2;

    final TreeMap<String, FileNode> entries;
    /** This node's number, unique in its file system (a POSIX inode number: what tells two names of one file apart). */
    final long inode;
    int device;
    /** Where a node's contents still are, until fetched: {@link #FROM_JDK} or {@link #FROM_CLASS_PATH}. */
    static final int FROM_JDK = 1;
    static final int FROM_CLASS_PATH = 2;

    /**
     * Where this node's contents are still to be fetched from, or null: its entries or bytes are here. Under the
     * device's JDK ({@code java.home}: time-zone rules, security properties; read-only) or in the app's class path
     * (a data file beside its classes), as {@link #fetchKind} says. Fetched on first use, and from then on heap data
     * like any file's, so it travels with the heap.
     */
    String fetchPath;
    int fetchKind;
    /** How many directory entries name this node (a file's bytes go when none does and no descriptor is open). */
    int links;
    /**
     * For a node under a mount ({@link Mounts}): the app's path of the host file or directory it stands for, whose
     * attributes it mirrors and whose bytes stay on the host; null for the heap's own files.
     */
    String mount;
    boolean mountReadOnly;
    byte[] bytes;
    long size;
    long modified;
    int access;
    /** The group's and others' permission bits ({@code rwxrwx}, as in st_mode's low six bits). */
    int others;

    private FileNode(TreeMap<String, FileNode> entries, long modified) {
        this.entries = entries;
        this.inode = ++lastInode;
        this.bytes = entries == null ? new byte[0] : null;
        this.modified = modified;
        this.access = entries == null ? READ | WRITE : READ | WRITE | EXECUTE;
        this.others = entries == null ? 044 : 055;
    }

    static FileNode directory(long now) {
        return new FileNode(new TreeMap<>(), now);
    }

    static FileNode file(long now) {
        return new FileNode(null, now);
    }

    /**
     * A node of the JDK's data, fetched on first use: a directory when {@code directory}, else a file. Read-only, for
     * good: its bytes never count against the file space, so nothing may change them.
     */
    static FileNode fromJdk(String jdkPath, boolean directory, long now) {
        FileNode node = new FileNode(directory ? new TreeMap<>() : null, now);
        node.fetchPath = jdkPath;
        node.fetchKind = FROM_JDK;
        node.access = directory ? READ | EXECUTE : READ;
        node.others = directory ? 055 : 044;
        return node;
    }

    /** A file of the app's class path ({@code path} in it), fetched on first use. */
    static FileNode fromClassPath(String path, long now) {
        FileNode node = new FileNode(null, now);
        node.fetchPath = path;
        node.fetchKind = FROM_CLASS_PATH;
        return node;
    }

    /** A node standing for the host file or directory at app path {@code path} under a mount. */
    static FileNode mounted(String path, boolean directory, boolean readOnly) {
        FileNode node = new FileNode(directory ? new TreeMap<>() : null, now());
        node.bytes = null;
        node.mount = path;
        node.mountReadOnly = readOnly;
        return node;
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    static FileNode device(int kind, long now) {
        FileNode node = new FileNode(null, now);
        node.device = kind;
        return node;
    }

    /** Whether this is the JDK's data, which no permission change makes writable. */
    boolean isJdkData() {
        return fetchKind == FROM_JDK;
    }

    /** The permission bits ({@code rwxrwxrwx}: st_mode's low nine bits). */
    int mode() {
        return access << 6 | others;
    }

    /** Sets the permission bits ({@code rwxrwxrwx}). */
    void setMode(int mode) {
        access = mode >> 6 & 7;
        others = mode & 077;
    }

    boolean isDirectory() {
        return entries != null;
    }

    /** Makes room for {@code length} bytes (growing by doubling) and zero-fills up to it when it grows the file. */
    void ensureSize(long length) {
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a file of " + length + " bytes");
        }
        if (length > bytes.length) {
            int capacity = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(length, Math.max(64, 2L * bytes.length)));
            bytes = java.util.Arrays.copyOf(bytes, capacity);
        }
    }

    /** Sets the length: truncation forgets the bytes beyond it; growth reads as zeros. */
    void truncate(long length) {
        if (length < size) {
            java.util.Arrays.fill(bytes, (int) length, (int) size, (byte) 0);
            if (bytes.length > 64 && length < bytes.length / 4) {
                bytes = java.util.Arrays.copyOf(bytes, (int) Math.max(64, length));
            }
        } else {
            ensureSize(length);
        }
        size = length;
    }
}
