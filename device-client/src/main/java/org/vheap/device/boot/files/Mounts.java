package org.vheap.device.boot.files;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;

/**
 * Host directories mounted into the app's file system: the device's resources {@code mount:/PATH}
 * ({@code --mount HOSTDIR:/PATH[:ro]}). A mount's files are the device's, not the heap's: a node under a mount
 * ({@link FileNode#mount} set) stands for a host file by its path, its attributes read from the host at each lookup,
 * its bytes read and written on the host in place, never kept here; so a checkpoint holds where the app's mounts are
 * and what it has open in them (descriptors and positions, in {@link HeapFiles}), not their contents.
 *
 * <p>The mounts the device offers appear at their points the first time the app looks up a path after they were
 * offered (the app leases a mount when it first uses it: the device's side); a mount never hides the app's own files
 * (where the app has a file or a non-empty directory at its point, it is not placed there), and a mount point cannot
 * be removed or renamed ({@link Errno#EBUSY}). A mount the app met before and the device it now runs on lacks stays at its
 * point, empty, and everything under it fails with {@link Errno#ENOMEDIUM}, whose message names the mount (the lease
 * was lost at the resume: the app's lease listeners heard of it). A read-only mount refuses changes with
 * {@link Errno#EROFS}. Renames between a mount and anything else are {@link Errno#EXDEV} (java.nio's move copies).
 *
 * <p>Callers hold the file system's lock (HeapFiles' class).
 */
final class Mounts {
    /** Every mount the app has met, by point (the node linked there). */
    private static final TreeMap<String, FileNode> POINTS = new TreeMap<>();
    /** The points of the device the app runs on now (not in the heap's sense: refreshed at each look-up). */
    private static final Set<String> here = new HashSet<>();
    /** The {@link #generation} of the VM {@link #here} was taken in. */
    private static long seenGeneration;
    /** The last mount found missing, which {@link Errno#ENOMEDIUM}'s message names. */
    static String lastMissing = "";

    private Mounts() {
    }

    /**
     * Places the device's mounts the app has not met yet, and notes which the app has met are here: once per VM (a
     * resume is a new one), when its {@link #generation} is not the one this heap saw last.
     */
    static void attach() {
        long now = generation();
        if (now == seenGeneration) {
            return;
        }
        seenGeneration = now;
        String offered = offered();
        here.clear();
        for (String line : offered.split("\n")) {
            int tab = line.indexOf('\t');
            if (tab < 0) {
                continue;
            }
            String point = line.substring(0, tab);
            boolean readOnly = line.endsWith("ro");
            here.add(point);
            FileNode root = POINTS.get(point);
            if (root == null) {
                String[] names = FileTree.names(point);
                FileNode parent = FileTree.mkdirs(FileTree.ROOT, names, names.length - 1);
                FileNode there = parent == null ? null : FileTree.entries(parent).get(FileTree.last(names));
                if (parent == null || there != null && (!there.isDirectory() || !FileTree.entries(there).isEmpty())) {
                    continue;   // the app's own files are there
                }
                root = FileNode.mounted(point, true, readOnly);
                POINTS.put(point, root);
                FileTree.entries(parent).put(FileTree.last(names), root);
                root.links = 1;
            }
            root.mountReadOnly = readOnly;
        }
    }

    /** Whether {@code node} is a mount point (which cannot be removed or renamed). */
    static boolean isPoint(FileNode node) {
        return node != null && node.mount != null && POINTS.get(node.mount) == node;
    }

    /** The mount {@code names} are under that the device does not have now, or null. */
    static String missing(String[] names) {
        if (POINTS.isEmpty() || names == null) {
            return null;
        }
        StringBuilder path = new StringBuilder();
        for (String n : names) {
            path.append('/').append(n);
            String p = path.toString();
            if (POINTS.containsKey(p) && !here.contains(p)) {
                lastMissing = p;
                return p;
            }
        }
        return null;
    }

    /** A mounted directory's entries, as the host has them now (nodes kept by name, so open files keep theirs). */
    static TreeMap<String, FileNode> entries(FileNode dir) {
        String[] lines = list(dir.mount).split("\n");
        if (!lines[0].equals("0")) {
            if (Integer.parseInt(lines[0]) == Errno.ENOMEDIUM) {
                lastMissing = pointOf(dir.mount);
            }
            dir.entries.clear();
            return dir.entries;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split("\t", 5);
            if (f.length < 5) {
                continue;
            }
            boolean directory = f[0].equals("d");
            FileNode node = dir.entries.get(f[4]);
            if (node == null || node.isDirectory() != directory) {
                node = FileNode.mounted(dir.mount + "/" + f[4], directory, dir.mountReadOnly);
                node.links = 1;
                dir.entries.put(f[4], node);
            }
            node.mountReadOnly = dir.mountReadOnly;
            refresh(node, f);
            seen.add(f[4]);
        }
        dir.entries.keySet().retainAll(seen);
        return dir.entries;
    }

    /** Refreshes a mounted node's attributes from the host ({@link #stat}); its errno, or 0 (a heap node: nothing to do). */
    static int refresh(FileNode node) {
        if (node.mount == null) {
            return 0;
        }
        String[] lines = stat(node.mount).split("\n");
        if (!lines[0].equals("0")) {
            return Integer.parseInt(lines[0]);
        }
        refresh(node, lines[1].split("\t"));
        return 0;
    }

    private static void refresh(FileNode node, String[] f) {
        node.size = Long.parseLong(f[1]);
        node.modified = Long.parseLong(f[2]);
        node.setMode(Integer.parseInt(f[3]));
    }

    private static String pointOf(String path) {
        for (String point : POINTS.keySet()) {
            if (path.equals(point) || path.startsWith(point + "/")) {
                return point;
            }
        }
        return path;
    }

    /** Creates {@code name} in mounted directory {@code dir}: a directory or a file with permissions {@code mode}. */
    static int create(FileNode dir, String name, boolean directory, int mode) {
        int errno = checked(dir.mount, create(dir.mount + "/" + name, directory, mode));
        if (errno == 0) {
            entries(dir);
        }
        return errno;
    }

    static int delete(FileNode dir, String name) {
        int errno = checked(dir.mount, delete(dir.mount + "/" + name));
        if (errno == 0) {
            dir.entries.remove(name);
        }
        return errno;
    }

    /** Renames within the mounts (the nodes' directories: either may be the heap's, which is EXDEV). */
    static int rename(FileNode fromDir, String from, FileNode toDir, String to) {
        if (fromDir.mount == null || toDir.mount == null) {
            return Errno.EXDEV;
        }
        int errno = checked(fromDir.mount, rename(fromDir.mount + "/" + from, toDir.mount + "/" + to));
        if (errno == 0) {   // the same node under its new name, so what is open in it stays open
            FileNode node = fromDir.entries.remove(from);
            if (node != null) {
                moved(node, toDir.mount + "/" + to);
                toDir.entries.put(to, node);
            }
            entries(toDir);
        }
        return errno;
    }

    /** Gives a moved node, and what it holds, their new paths. */
    private static void moved(FileNode node, String path) {
        node.mount = path;
        if (node.isDirectory()) {
            for (java.util.Map.Entry<String, FileNode> e : node.entries.entrySet()) {
                moved(e.getValue(), path + "/" + e.getKey());
            }
        }
    }

    /** Reads at {@code position}: a count or -1 at the end; IOException with the error otherwise. */
    static int read(FileNode file, byte[] b, int off, int len, long position) throws IOException {
        int n = read(file.mount, position, b, off, len);
        if (n < -1) {
            throw new IOException(Errno.message(checked(file.mount, -n)));
        }
        return n;
    }

    /** Writes at {@code position} (at the end when {@code append}): where the write ended. */
    static long write(FileNode file, byte[] b, int off, int len, long position, boolean append) throws IOException {
        long end = write(file.mount, position, append, b, off, len);
        if (end < 0) {
            throw new IOException(Errno.message(checked(file.mount, (int) -end)));
        }
        file.size = Math.max(file.size, end);
        file.modified = FileTree.now();
        return end;
    }

    static void setLength(FileNode file, long length) throws IOException {
        int errno = truncate(file, length);
        if (errno != 0) {
            throw new IOException(Errno.message(errno));
        }
    }

    /**
     * Sets a node's permission bits: the JDK's data refuses ({@link Errno#EPERM}); a mounted node's are set on the host
     * first. An errno, or 0.
     */
    static int setMode(FileNode node, int mode) {
        int errno = node.isJdkData() ? Errno.EPERM : node.mount == null ? 0
                : node.mountReadOnly ? Errno.EROFS : checked(node.mount, setAttributes(node.mount, mode, -1));
        if (errno == 0) {
            node.setMode(mode);
        }
        return errno;
    }

    /** Sets a node's modification time (milliseconds); a mounted node's on the host first. An errno, or 0. */
    static int setModified(FileNode node, long modified) {
        int errno = node.mount == null ? 0
                : node.mountReadOnly ? Errno.EROFS : checked(node.mount, setAttributes(node.mount, -1, modified));
        if (errno == 0) {
            node.modified = modified;
        }
        return errno;
    }

    /** Sets a mounted file's length; an errno, or 0. */
    static int truncate(FileNode file, long length) {
        int errno = file.mountReadOnly ? Errno.EROFS : checked(file.mount, truncate(file.mount, length));
        if (errno == 0) {
            file.size = length;
        }
        return errno;
    }

    private static int checked(String path, int errno) {
        if (errno == Errno.ENOMEDIUM) {
            lastMissing = pointOf(path);
        }
        return errno;
    }

    // ---- the device's part (registered by the VM's MountNatives) ----

    /** A number that differs from VM to VM (and never is 0): the device's mounts are this VM's. */
    private static native long generation();

    /** The device's mounts, a line each: point, tab, {@code ro} or {@code rw}. */
    private static native String offered();

    private static native String list(String path);

    private static native String stat(String path);

    private static native int read(String path, long position, byte[] b, int off, int len);

    private static native long write(String path, long position, boolean append, byte[] b, int off, int len);

    private static native int truncate(String path, long length);

    private static native int create(String path, boolean directory, int mode);

    private static native int delete(String path);

    private static native int rename(String from, String to);

    private static native int setAttributes(String path, int mode, long modified);
}
