package org.vheap.device.boot.files;

import java.io.File;
import java.io.FileDescriptor;
import java.io.FileNotFoundException;
import java.io.IOException;

/**
 * The app's open files, and what {@code java.io} reaches of its file system: the VM's file natives
 * ({@code FileNatives}: {@code UnixFileSystem} behind {@code File}, the file streams, {@code RandomAccessFile}) forward
 * here. A descriptor's number indexes the table of {@link OpenFile}s (0, 1 and 2 are the console's, never here); the
 * names and directories are {@link FileTree}'s. Results and exceptions are what HotSpot's natives give: a boolean
 * for a {@code File} call that failed, {@code FileNotFoundException("x.txt (No such file or directory)")} for an open.
 *
 * <p>This class is interpreted by the device VM like the app's own code: its table and the tree are heap objects,
 * reachable from static fields, so a checkpoint holds the files and the open streams (with their positions) exactly,
 * atomically with the rest of the heap, and a resume on any device finds them so. One file system per app: the state
 * here is the app's, in its heap. Green threads switch anywhere (the JDK's Cleaner closes descriptors on a thread of
 * its own), so every call holds the file system's one lock, this class's: {@link PosixFiles} takes it too.
 */
public final class HeapFiles {
    // java.io.FileSystem's boolean attributes
    private static final int BA_EXISTS = 0x01;
    private static final int BA_REGULAR = 0x02;
    private static final int BA_DIRECTORY = 0x04;
    private static final int SPACE_TOTAL = 0;

    /** {@link #open}'s flags: Linux's {@code open(2)} flags, which java.io's natives pass as HotSpot's do. */
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0x40;
    public static final int O_EXCL = 0x80;
    public static final int O_TRUNC = 0x200;
    public static final int O_APPEND = 0x400;
    private static final int ACCESS_MODE = 3;

    /** The permissions java.io creates a file with (HotSpot's), before {@link FileTree#UMASK}. */
    private static final int CREATED = 0666;
    /** The permissions java.io creates a directory with (HotSpot's), before {@link FileTree#UMASK}. */
    private static final int CREATED_DIRECTORY = 0777;

    /** The first descriptor number an open file gets (0, 1 and 2 are the console's). */
    private static final int FIRST_FD = 3;

    private static OpenFile[] open = new OpenFile[16];

    private HeapFiles() {
    }

    // ---- java.io.File (UnixFileSystem's natives) ----

    public static synchronized int attributes(File f) {
        FileNode node = FileTree.find(f.getPath());
        if (node == null) {
            return 0;
        }
        return BA_EXISTS | (node.isDirectory() ? BA_DIRECTORY : node.device == FileNode.NOT_A_DEVICE ? BA_REGULAR : 0);
    }

    public static synchronized boolean checkAccess(File f, int access) {
        FileNode node = FileTree.find(f.getPath());
        return node != null && (node.access & access) == access
                && !(node.mountReadOnly && (access & FileNode.WRITE) != 0);
    }

    public static synchronized long lastModified(File f) {
        FileNode node = FileTree.find(f.getPath());
        return node == null ? 0 : node.modified;
    }

    public static synchronized long length(File f) {
        FileNode node = FileTree.find(f.getPath());
        return node == null ? 0 : FileTree.size(node);
    }

    public static synchronized boolean setPermission(File f, int access, boolean enable, boolean ownerOnly) {
        FileNode node = FileTree.find(f.getPath());
        if (node == null) {
            return false;
        }
        // as HotSpot: the owner's bit, or everyone's (rwx of owner, group and others)
        int bits = ownerOnly ? access << 6 : access << 6 | access << 3 | access;
        return Mounts.setMode(node, enable ? node.mode() | bits : node.mode() & ~bits) == 0;
    }

    public static synchronized boolean setReadOnly(File f) {
        return setPermission(f, FileNode.WRITE, false, true);
    }

    public static synchronized boolean setLastModified(File f, long time) {
        FileNode node = FileTree.find(f.getPath());
        return node != null && Mounts.setModified(node, time) == 0;
    }

    /** Creates an empty file unless the name exists (false); IOException with the error otherwise. */
    public static synchronized boolean createFileExclusively(String path) throws IOException {
        int fd = openNumber(path, O_RDWR | O_CREAT | O_EXCL, CREATED, false);
        if (fd == -Errno.EEXIST) {
            return false;
        }
        if (fd < 0) {
            throw new IOException(Errno.message(-fd));
        }
        close(fd);
        return true;
    }

    public static synchronized boolean delete(File f) {
        return FileTree.remove(f.getPath()) == 0;
    }

    public static synchronized String[] list(File f) {
        FileNode node = FileTree.find(f.getPath());
        if (node == null || !node.isDirectory() || (node.access & FileNode.READ) == 0) {
            return null;
        }
        return FileTree.entries(node).keySet().toArray(new String[0]);
    }

    public static synchronized boolean createDirectory(File f) {
        return FileTree.mkdir(f.getPath(), CREATED_DIRECTORY) == 0;
    }

    public static synchronized boolean rename(File from, File to) {
        return FileTree.rename(from.getPath(), to.getPath()) == 0;
    }

    public static synchronized long space(File f, int kind) {
        if (FileTree.find(f.getPath()) == null) {
            return 0;
        }
        return kind == SPACE_TOTAL ? FileTree.total() : FileTree.free();
    }

    public static synchronized String canonicalize(String path) {
        return FileTree.canonical(path);
    }

    // ---- opening ----

    /**
     * Opens {@code path} with {@code open(2)}'s {@code flags} for a java.io stream and gives {@code fd} the new
     * descriptor; FileNotFoundException with HotSpot's message when it cannot (a directory too, as HotSpot checks).
     */
    public static synchronized void open(FileDescriptor fd, String path, int flags) throws FileNotFoundException {
        int number = openNumber(path, flags, CREATED, false);
        if (number < 0) {
            throw new FileNotFoundException(path + " (" + Errno.message(-number) + ")");
        }
        setDescriptor(fd, number, (flags & O_APPEND) != 0);
    }

    /**
     * {@code open(2)}: the new descriptor's number, or minus the errno. A file it creates gets the permissions
     * {@code mode} less {@link FileTree#UMASK}. A directory opens read-only only when {@code directories} (java.nio's
     * channels; java.io refuses it).
     */
    static int openNumber(String path, int flags, int mode, boolean directories) {
        String[] names = FileTree.names(path);
        if (names == null) {
            return -Errno.ENOENT;
        }
        String name = FileTree.last(names);
        FileNode dir = FileTree.parent(names);
        FileNode node;
        if (name == null) {
            node = FileTree.ROOT;
        } else if (dir == null) {
            return -FileTree.missing(path);
        } else if (!dir.isDirectory()) {
            return -Errno.ENOTDIR;
        } else {
            node = FileTree.entries(dir).get(name);
        }
        boolean reads = (flags & ACCESS_MODE) != O_WRONLY;
        boolean writes = (flags & ACCESS_MODE) != O_RDONLY;
        if (node != null && (flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) {
            return -Errno.EEXIST;
        }
        if (node == null && dir.mount != null && (flags & O_CREAT) != 0) {
            int errno = dir.mountReadOnly ? Errno.EROFS : Mounts.create(dir, name, false, mode & ~FileTree.UMASK);
            if (errno != 0) {
                return -errno;
            }
            node = FileTree.entries(dir).get(name);
            if (node == null) {
                return -Errno.ENOENT;
            }
        } else if (node != null && node.mountReadOnly && writes) {
            return -Errno.EROFS;
        }
        if (node == null) {
            if ((flags & O_CREAT) == 0) {
                return -FileTree.missing(path);
            }
            if ((dir.access & FileNode.WRITE) == 0) {
                return -Errno.EACCES;
            }
            node = FileNode.file(FileTree.now());
            node.setMode(mode & ~FileTree.UMASK);
            FileTree.link(dir, name, node);
        } else if (node.isDirectory()) {
            if (writes || !directories) {
                return -Errno.EISDIR;
            }
        } else {
            FileTree.bytes(node);
            if (reads && (node.access & FileNode.READ) == 0 || writes && (node.access & FileNode.WRITE) == 0) {
                return -Errno.EACCES;
            }
            if ((flags & O_TRUNC) != 0 && writes && node.mount != null) {
                int errno = Mounts.truncate(node, 0);
                if (errno != 0) {
                    return -errno;
                }
            } else if ((flags & O_TRUNC) != 0 && writes && node.device == FileNode.NOT_A_DEVICE) {
                try {
                    FileTree.setLength(node, 0);
                } catch (IOException cannot) {
                    return -Errno.ENOSPC;
                }
            }
        }
        int i = 0;
        while (i < open.length && open[i] != null) {
            i++;
        }
        if (i == open.length) {
            open = java.util.Arrays.copyOf(open, open.length * 2);
        }
        open[i] = new OpenFile(node, reads, writes, (flags & O_APPEND) != 0);
        return FIRST_FD + i;
    }

    /** Closes the descriptor (nothing when it is not open); a deleted file's bytes go once no descriptor names it. */
    public static synchronized void close(int fd) {
        int i = fd - FIRST_FD;
        if (i < 0 || i >= open.length || open[i] == null) {
            return;
        }
        FileNode node = open[i].node;
        open[i] = null;
        FileTree.releaseIfGone(node);
    }

    static boolean isOpen(FileNode node) {
        for (OpenFile f : open) {
            if (f != null && f.node == node) {
                return true;
            }
        }
        return false;
    }

    // ---- reading and writing ----

    /** One byte, or -1 at the end of the file. */
    public static synchronized int read(int fd) throws IOException {
        byte[] one = new byte[1];
        return read(fd, one, 0, 1) == 1 ? one[0] & 0xff : -1;
    }

    /** Up to {@code len} bytes into {@code b[off..]}: how many, or -1 at the end of the file. */
    public static synchronized int read(int fd, byte[] b, int off, int len) throws IOException {
        OpenFile f = readable(fd);
        int n = readAt(f, b, off, len, f.position);
        if (n > 0 && f.node.device == FileNode.NOT_A_DEVICE) {
            f.position += n;
        }
        return n;
    }

    /** Like {@link #read(int, byte[], int, int)} at {@code position}, which the descriptor's position does not follow. */
    public static synchronized int readAt(int fd, byte[] b, int off, int len, long position) throws IOException {
        return readAt(readable(fd), b, off, len, position);
    }

    private static int readAt(OpenFile f, byte[] b, int off, int len, long position) throws IOException {
        if (len == 0) {
            return 0;
        }
        FileNode node = f.node;
        if (node.mount != null) {
            return Mounts.read(node, b, off, len, position);
        }
        if (node.device == FileNode.NULL_DEVICE) {
            return -1;
        }
        if (node.device == FileNode.RANDOM_DEVICE) {
            randomBytes(b, off, len);
            return len;
        }
        if (position >= node.size) {
            return -1;
        }
        int n = (int) Math.min(len, node.size - position);
        System.arraycopy(node.bytes, (int) position, b, off, n);
        return n;
    }

    public static synchronized void write(int fd, int b) throws IOException {
        write(fd, new byte[] {(byte) b}, 0, 1);
    }

    /** Writes {@code b[off, off + len)} at the position (at the end when appending); all or nothing. */
    public static synchronized void write(int fd, byte[] b, int off, int len) throws IOException {
        OpenFile f = writable(fd);
        long end = writeAt(f, b, off, len, f.position);
        if (end >= 0) {
            f.position = end;
        }
    }

    /** Like {@link #write(int, byte[], int, int)} at {@code position}, which the descriptor's position does not follow. */
    public static synchronized void writeAt(int fd, byte[] b, int off, int len, long position) throws IOException {
        writeAt(writable(fd), b, off, len, position);
    }

    /** Writes at {@code position} (at the end when appending); where the write ended, or -1 when nothing was written. */
    private static long writeAt(OpenFile f, byte[] b, int off, int len, long position) throws IOException {
        FileNode node = f.node;
        if (node.device != FileNode.NOT_A_DEVICE || len == 0) {
            return -1;
        }
        if (node.mount != null) {
            return Mounts.write(node, b, off, len, position, f.append);
        }
        long at = f.append ? node.size : position;
        long end = at + len;
        FileTree.grow(node, end);
        System.arraycopy(b, off, node.bytes, (int) at, len);
        node.modified = FileTree.now();
        return end;
    }

    public static synchronized long position(int fd) throws IOException {
        return file(fd).position;
    }

    public static synchronized void seek(int fd, long position) throws IOException {
        if (position < 0) {
            throw new IOException("Negative seek offset");
        }
        file(fd).position = position;
    }

    public static synchronized long length(int fd) throws IOException {
        FileNode node = file(fd).node;
        Mounts.refresh(node);
        return node.size;
    }

    /** {@code FileChannel.truncate}'s part: a shorter length only (a longer one changes nothing). */
    public static synchronized void truncate(int fd, long length) throws IOException {
        Mounts.refresh(file(fd).node);
        if (length < file(fd).node.size) {
            setLength(fd, length);
        }
    }

    /** Sets the file's length; the position is kept, unless past the new end, where it moves to the end. */
    public static synchronized void setLength(int fd, long length) throws IOException {
        OpenFile f = writable(fd);
        if (length < 0) {
            throw new IOException(Errno.message(Errno.EINVAL));
        }
        if (f.node.device == FileNode.NOT_A_DEVICE) {
            FileTree.setLength(f.node, length);
        }
        if (f.position > length) {
            f.position = length;
        }
    }

    /** FileInputStream.skip: moves the position by {@code n} (not before the start), and says by how much. */
    public static synchronized long skip(int fd, long n) throws IOException {
        OpenFile f = readable(fd);
        long to = Math.max(0, f.position + n);
        long skipped = to - f.position;
        f.position = to;
        return skipped;
    }

    public static synchronized int available(int fd) throws IOException {
        OpenFile f = readable(fd);
        Mounts.refresh(f.node);
        if (f.node.device != FileNode.NOT_A_DEVICE) {
            return 0;
        }
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, f.node.size - f.position));
    }

    /** Copies what is left of {@code src} (from its position) to {@code dst}: 0, or the errno that stopped it. */
    static synchronized int transfer(int dst, int src) {
        byte[] buffer = new byte[8192];
        try {
            readable(src);
            writable(dst);
        } catch (IOException closed) {
            return Errno.EBADF;
        }
        try {
            for (int n; (n = read(src, buffer, 0, buffer.length)) > 0; ) {
                write(dst, buffer, 0, n);
            }
            return 0;
        } catch (IOException noSpace) {
            return Errno.ENOSPC;
        }
    }

    /** The node open as {@code fd} (for fstat and file keys). */
    static FileNode node(int fd) throws IOException {
        return file(fd).node;
    }

    private static OpenFile file(int fd) throws IOException {
        int i = fd - FIRST_FD;
        if (i < 0 || i >= open.length || open[i] == null) {
            throw new IOException("Stream Closed");
        }
        return open[i];
    }

    private static OpenFile readable(int fd) throws IOException {
        OpenFile f = file(fd);
        if (!f.readable) {
            throw new IOException(Errno.message(Errno.EBADF));
        }
        if (f.node.isDirectory()) {
            throw new IOException(Errno.message(Errno.EISDIR));
        }
        return f;
    }

    private static OpenFile writable(int fd) throws IOException {
        OpenFile f = file(fd);
        if (!f.writable) {
            throw new IOException(Errno.message(Errno.EBADF));
        }
        return f;
    }

    // ---- the device's part (registered by the VM's FileNatives) ----

    /** The number of a {@code FileDescriptor} (-1 once closed). */
    static native int number(FileDescriptor fd);

    /** Sets the descriptor's number (and append flag), as the JDK's native open does. */
    private static native void setDescriptor(FileDescriptor fd, int number, boolean append);

    /** Fills {@code b[off, off + len)} with the device's random bytes (/dev/random). */
    private static native void randomBytes(byte[] b, int off, int len);
}
