package org.vheap.device.boot.files;

import java.io.IOException;
import java.util.ArrayList;
import java.util.TreeMap;

/**
 * The app's directory tree and the POSIX calls on names ({@code mkdir}, {@code rmdir}, {@code unlink},
 * {@code rename}), each answering 0 or an {@link Errno} as the C library does, for the java.io ({@link HeapFiles})
 * and java.nio.file ({@link PosixFiles}) surfaces alike. It also keeps the file space: the bytes of all files
 * together, bounded by the device's {@code --file-space}.
 *
 * <p>Paths are POSIX paths; a relative one is resolved against {@code user.dir}. The tree starts with {@code /},
 * {@code user.dir}, {@code java.io.tmpdir}, {@code java.home} (the JDK's data, read-only, each directory listed and
 * each file fetched from the device's JDK on first use, then heap data like any file's, so it travels with the heap),
 * the files of the app's class path directories other than class files (where HotSpot would find them: a directory
 * given as {@code .} is {@code user.dir} itself; each file fetched on first use, then the app's to change) and the
 * devices {@code /dev/null}, {@code /dev/random} and {@code /dev/urandom}.
 */
final class FileTree {
    /** The process's file mode creation mask: what a created file or directory never gets (group and others' w). */
    static final int UMASK = 022;
    static final FileNode ROOT = FileNode.directory(now());
    /** The working directory, as the app started ({@code user.dir}); relative paths resolve against it. */
    static final String WORKING_DIRECTORY = System.getProperty("user.dir");
    private static long bytesUsed;

    static {
        FileNode dev = mkdirs("/dev");
        link(dev, "null", FileNode.device(FileNode.NULL_DEVICE, now()));
        link(dev, "random", FileNode.device(FileNode.RANDOM_DEVICE, now()));
        link(dev, "urandom", FileNode.device(FileNode.RANDOM_DEVICE, now()));
        mkdirs(WORKING_DIRECTORY);
        mkdirs(System.getProperty("java.io.tmpdir"));
        String[] jdk = names(System.getProperty("java.home"));
        link(mkdirs(canonical(System.getProperty("java.home") + "/..")), last(jdk), FileNode.fromJdk("", true, now()));
        addClassPathFiles(classPathFiles());
    }

    private FileTree() {
    }

    // ---- names ----

    /**
     * The names of {@code path}'s components from the root, with {@code .} and {@code ..} resolved; null for the empty
     * path, which names nothing (java.nio turns it into {@code .} before it gets here).
     */
    static String[] names(String path) {
        if (path.isEmpty()) {
            return null;
        }
        String absolute = path.startsWith("/") ? path : WORKING_DIRECTORY + "/" + path;
        ArrayList<String> names = new ArrayList<>();
        for (String n : absolute.split("/")) {
            if (n.isEmpty() || n.equals(".")) {
                continue;
            }
            if (n.equals("..")) {
                if (!names.isEmpty()) {
                    names.remove(names.size() - 1);
                }
            } else {
                names.add(n);
            }
        }
        return names.toArray(new String[0]);
    }

    /** The absolute path with {@code .} and {@code ..} resolved (there are no links). */
    static String canonical(String path) {
        String[] names = names(path.isEmpty() ? WORKING_DIRECTORY : path);
        if (names.length == 0) {
            return "/";
        }
        StringBuilder b = new StringBuilder();
        for (String n : names) {
            b.append('/').append(n);
        }
        return b.toString();
    }

    static String last(String[] names) {
        return names.length == 0 ? null : names[names.length - 1];
    }

    /** The node that holds (or would hold) the last name: null when a component is missing; possibly not a directory. */
    static FileNode parent(String[] names) {
        Mounts.attach();
        FileNode node = ROOT;
        for (int i = 0; i < names.length - 1 && node != null; i++) {
            node = node.isDirectory() ? entries(node).get(names[i]) : null;
        }
        return node;
    }

    /** The node {@code path} names, or null. */
    static FileNode find(String path) {
        String[] names = names(path);
        if (names == null) {
            return null;
        }
        if (names.length == 0) {
            Mounts.attach();
            return ROOT;
        }
        FileNode dir = parent(names);
        FileNode node = dir == null || !dir.isDirectory() ? null : entries(dir).get(last(names));
        if (Mounts.isPoint(node)) {
            Mounts.refresh(node);   // a mount point's attributes are the host directory's now (what is in it: entries)
        }
        return node;
    }

    /** Why {@code path} names nothing: {@link Errno#ENOTDIR} when a component is a file, else {@link Errno#ENOENT}. */
    static int missing(String path) {
        String[] names = names(path);
        if (Mounts.missing(names) != null) {
            return Errno.ENOMEDIUM;
        }
        FileNode node = ROOT;
        for (int i = 0; names != null && i < names.length - 1; i++) {
            node = entries(node).get(names[i]);
            if (node == null) {
                return Errno.ENOENT;
            }
            if (!node.isDirectory()) {
                return Errno.ENOTDIR;
            }
        }
        return Errno.ENOENT;
    }

    // ---- the POSIX calls on names: 0 or an errno ----

    /** {@code mkdir(2)}: a directory with permissions {@code mode} less the {@link #UMASK}. */
    static int mkdir(String path, int mode) {
        Entry e = entry(path);
        if (e.refused == Errno.EROFS && e.node() != null || e.refused == 0 && e.node() != null) {
            return Errno.EEXIST;   // as Linux: an existing name, even on a read-only file system
        }
        if (e.refused != 0) {
            return e.refused;
        }
        if (e.dir.mount != null) {
            return Mounts.create(e.dir, e.name, true, mode & ~UMASK);
        }
        FileNode dir = FileNode.directory(now());
        dir.setMode(mode & ~UMASK);
        link(e.dir, e.name, dir);
        return 0;
    }

    static int rmdir(String path) {
        Entry e = entry(path);
        FileNode node = e.refused == 0 ? e.node() : null;
        int refused = e.refused != 0 ? e.refused : node == null ? Errno.ENOENT : !node.isDirectory() ? Errno.ENOTDIR
                : Mounts.isPoint(node) ? Errno.EBUSY : !entries(node).isEmpty() ? Errno.ENOTEMPTY : 0;
        if (refused == 0 && e.dir.mount != null) {
            return Mounts.delete(e.dir, e.name);
        }
        if (refused == 0) {
            unlink(e.dir, e.name);
        }
        return refused;
    }

    static int unlink(String path) {
        Entry e = entry(path);
        FileNode node = e.refused == 0 ? e.node() : null;
        int refused = e.refused != 0 ? e.refused : node == null ? Errno.ENOENT : node.isDirectory() ? Errno.EISDIR : 0;
        if (refused == 0 && e.dir.mount != null) {
            return Mounts.delete(e.dir, e.name);
        }
        if (refused == 0) {
            unlink(e.dir, e.name);
        }
        return refused;
    }

    /** The C library's {@code remove}: {@code rmdir} for a directory, else {@code unlink}. */
    static int remove(String path) {
        FileNode node = find(path);
        return node != null && node.isDirectory() ? rmdir(path) : unlink(path);
    }

    /** POSIX rename: replaces a file, or an empty directory with a directory; never moves a directory into itself. */
    static int rename(String fromPath, String toPath) {
        Entry from = entry(fromPath);
        Entry to = entry(toPath);
        if (from.refused != 0 || to.refused != 0) {
            return from.refused != 0 ? from.refused : to.refused;
        }
        FileNode node = from.node();
        if (node == null) {
            return Errno.ENOENT;
        }
        if (from.dir.mount != null || to.dir.mount != null) {
            return Mounts.rename(from.dir, from.name, to.dir, to.name);
        }
        FileNode replaced = to.node();
        if (replaced == node) {
            return 0;
        }
        if (Mounts.isPoint(node) || Mounts.isPoint(replaced)) {
            return Errno.EBUSY;
        }
        if (node.isDirectory() && to.names.length > from.names.length
                && java.util.Arrays.equals(from.names, 0, from.names.length, to.names, 0, from.names.length)) {
            return Errno.EINVAL;
        }
        if (replaced != null) {
            if (node.isDirectory() != replaced.isDirectory()) {
                return node.isDirectory() ? Errno.ENOTDIR : Errno.EISDIR;
            }
            if (replaced.isDirectory() && !entries(replaced).isEmpty()) {
                return Errno.ENOTEMPTY;
            }
            unlink(to.dir, to.name);
        }
        link(to.dir, to.name, node);
        unlink(from.dir, from.name);
        return 0;
    }

    /**
     * A path's place: the directory its last name is (or would be) an entry of, and why an entry there cannot be made
     * or removed ({@link #refused}: an errno; 0 when it can).
     */
    private static final class Entry {
        final String[] names;
        final FileNode dir;
        final String name;
        final int refused;

        Entry(String[] names, FileNode dir, String name, int refused) {
            this.names = names;
            this.dir = dir;
            this.name = name;
            this.refused = refused;
        }

        /** The node the entry names now, or null (only once not {@link #refused}). */
        FileNode node() {
            return entries(dir).get(name);
        }
    }

    private static Entry entry(String path) {
        String[] names = names(path);
        if (names == null) {
            return new Entry(new String[0], null, null, Errno.ENOENT);
        }
        FileNode dir = parent(names);
        String name = last(names);
        int refused;
        if (Mounts.missing(names) != null) {
            refused = Errno.ENOMEDIUM;
        } else if (name == null) {
            refused = Errno.EEXIST;
        } else if (dir == null) {
            refused = missing(path);
        } else if (!dir.isDirectory()) {
            refused = Errno.ENOTDIR;
        } else if (dir.mountReadOnly) {
            refused = Errno.EROFS;
        } else {
            refused = (dir.access & FileNode.WRITE) == 0 ? Errno.EACCES : 0;
        }
        return new Entry(names, dir, name, refused);
    }

    /**
     * Places the files of the app's class path directories where HotSpot would find them: a directory given as a
     * relative path under {@code user.dir}, an absolute one where it says. {@code listing}: a line {@code D path} per
     * directory, then a line {@code F name} per file in it (relative, '/'-separated).
     */
    private static void addClassPathFiles(String listing) {
        FileNode dir = null;
        for (String line : listing.split("\n")) {
            if (line.startsWith("D ")) {
                dir = mkdirs(line.substring(2));
            } else if (line.startsWith("F ") && dir != null) {
                String[] names = line.substring(2).split("/");
                FileNode at = mkdirs(dir, names, names.length - 1);
                if (at != null && !entries(at).containsKey(names[names.length - 1])) {
                    link(at, names[names.length - 1], FileNode.fromClassPath(line.substring(2), now()));
                }
            }
        }
    }

    // ---- nodes ----

    static FileNode mkdirs(String path) {
        String[] names = names(path);
        return mkdirs(ROOT, names, names.length);
    }

    /** The directory {@code names[0, count)} names under {@code from}, made where missing; null when a file is in the way. */
    static FileNode mkdirs(FileNode from, String[] names, int count) {
        FileNode node = from;
        for (int i = 0; i < count && node != null; i++) {
            FileNode next = entries(node).get(names[i]);
            if (next == null) {
                next = FileNode.directory(now());
                link(node, names[i], next);
            }
            node = next.isDirectory() ? next : null;
        }
        return node;
    }

    /** A directory's entries, listed from the JDK first when it is the JDK's and not listed yet. */
    static TreeMap<String, FileNode> entries(FileNode dir) {
        if (dir.mount != null) {
            return Mounts.entries(dir);
        }
        if (dir.fetchPath != null) {
            String base = dir.fetchPath;
            String listing = jdkList(base);
            dir.fetchPath = null;
            if (listing != null) {
                for (String entry : listing.split("\n")) {
                    if (!entry.isEmpty()) {
                        boolean directory = entry.endsWith("/");
                        int tab = entry.indexOf('\t');
                        String name = directory ? entry.substring(0, entry.length() - 1) : entry.substring(0, tab);
                        FileNode node = FileNode.fromJdk(base.isEmpty() ? name : base + "/" + name, directory, dir.modified);
                        if (!directory) {
                            node.size = Long.parseLong(entry.substring(tab + 1));
                        }
                        node.links = 1;
                        dir.entries.put(name, node);
                    }
                }
            }
        }
        return dir.entries;
    }

    /**
     * A file, its bytes fetched first when they are the JDK's or the class path's and not fetched yet. The class
     * path's count against the file space from then on (they are the app's to change); the JDK's never do (they are
     * read-only).
     */
    static FileNode bytes(FileNode file) {
        if (file.fetchPath != null && !file.isDirectory()) {
            boolean jdk = file.isJdkData();
            byte[] b = jdk ? jdkRead(file.fetchPath) : classPathRead(file.fetchPath);
            file.fetchPath = null;
            file.bytes = b == null ? new byte[0] : b;
            file.size = file.bytes.length;
            if (!jdk) {
                bytesUsed += file.size;
            }
        }
        return file;
    }

    /** A file's length (a directory's: {@link FileNode#DIRECTORY_SIZE}), without fetching the JDK's data for it. */
    static long size(FileNode node) {
        if (node.isDirectory()) {
            return FileNode.DIRECTORY_SIZE;
        }
        return node.isJdkData() ? node.size : bytes(node).size;
    }

    static void link(FileNode dir, String name, FileNode node) {
        entries(dir).put(name, node);
        dir.modified = now();
        node.links++;
    }

    private static void unlink(FileNode dir, String name) {
        FileNode node = entries(dir).remove(name);
        dir.modified = now();
        node.links--;
        releaseIfGone(node);
    }

    /** A file no name and no descriptor reaches any more: its bytes no longer count against the file space. */
    static void releaseIfGone(FileNode node) {
        if (node.mount != null) {
            return;   // the host's
        }
        if (node.links == 0 && !node.isDirectory() && !HeapFiles.isOpen(node)) {
            bytesUsed -= node.size;
            node.size = 0;
            node.bytes = new byte[0];
        }
    }

    // ---- the file space ----

    /** Makes {@code node} at least {@code end} bytes long, within the file space, or throws and changes nothing. */
    static void grow(FileNode node, long end) throws IOException {
        bytes(node);
        if (end <= node.size) {
            return;
        }
        if (bytesUsed + end - node.size > fileSpace()) {
            throw new IOException(Errno.message(Errno.ENOSPC));
        }
        node.ensureSize(end);
        bytesUsed += end - node.size;
        node.size = end;
    }

    /** Sets a file's length (zeros when it grows), within the file space. */
    static void setLength(FileNode node, long length) throws IOException {
        if (node.mount != null) {
            Mounts.setLength(node, length);
            return;
        }
        grow(node, length);
        bytesUsed += length - node.size;
        node.truncate(length);
        node.modified = now();
    }

    /** The bytes the files may take in all: the device's file space. */
    static long total() {
        return fileSpace();
    }

    /** The bytes left. */
    static long free() {
        return Math.max(0, fileSpace() - bytesUsed);
    }

    static long now() {
        return System.currentTimeMillis();
    }

    // ---- the device's part (registered by the VM's FileNatives) ----

    /** The device's file space in bytes ({@code --file-space}). */
    private static native long fileSpace();

    /**
     * The entries of directory {@code path} of the device's JDK ({@code java.home}; "" is its top), one per line:
     * a directory's name ending in {@code /}, a file's name, a tab and its size; null when it is not a directory.
     */
    private static native String jdkList(String path);

    /** The bytes of file {@code path} of the device's JDK, or null when there is no such file. */
    private static native byte[] jdkRead(String path);

    /** The app's class path directories and their files other than class files ({@link #addClassPathFiles}). */
    private static native String classPathFiles();

    /** The bytes of file {@code path} of the app's class path (the first entry that has it), or null. */
    private static native byte[] classPathRead(String path);
}
