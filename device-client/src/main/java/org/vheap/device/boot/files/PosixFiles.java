package org.vheap.device.boot.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * What {@code java.nio.file} reaches of the app's file system: the VM substitutes the JDK's
 * {@code sun.nio.fs.UnixNativeDispatcher} (the POSIX calls behind {@code Files}, {@code Path} and directory streams)
 * with these, so the JDK's Unix file system provider runs unmodified over the heap's files: {@link FileTree} for
 * names, {@link HeapFiles} for descriptors, which java.io and java.nio share. A call that fails throws the JDK's
 * {@code UnixException} with the errno the C library would set, which the provider turns into HotSpot's exceptions
 * ({@code NoSuchFileException}, {@code FileAlreadyExistsException}, {@code DirectoryNotEmptyException}, ...).
 *
 * <p>Paths come as the JDK's {@code UnixPath} objects, typed {@code Object} here (the class is the JDK's own); their
 * {@code toString} is the path as the app wrote it. A directory stream reads a snapshot of the names taken when it
 * opened (POSIX leaves changes made meanwhile unspecified). Every call holds the file system's one lock
 * ({@link HeapFiles}' class), as its java.io calls do: green threads switch anywhere.
 */
public final class PosixFiles {
    // st_mode's file types
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFCHR = 0020000;
    // access(2)'s modes
    private static final int W_OK = 2;
    private static final int X_OK = 1;
    private static final int R_OK = 4;

    /** Open directory streams: their names, and how many were read (the handle is the index plus one). */
    private static String[][] dirNames = new String[4][];
    private static int[] dirRead = new int[4];

    private PosixFiles() {
    }

    /** {@code open(2)}, with permissions {@code mode} (less the umask) for a file it creates. */
    public static int open(Object path, int flags, int mode) {
        synchronized (HeapFiles.class) {
            int fd = HeapFiles.openNumber(path.toString(), flags, mode, true);
            if (fd < 0) {
                throw raise(-fd);
            }
            return fd;
        }
    }

    public static void close(int fd) {
        HeapFiles.close(fd);
    }

    /** {@code UnixCopyFile.transfer}: copies what is left of {@code src} (from its position) to {@code dst}. */
    public static void transfer(int dst, int src, long cancel) {
        check(HeapFiles.transfer(dst, src));   // synchronized there
    }

    public static void mkdir(Object path, int mode) {
        synchronized (HeapFiles.class) {
            check(FileTree.mkdir(path.toString(), mode));
        }
    }

    public static void rmdir(Object path) {
        synchronized (HeapFiles.class) {
            check(FileTree.rmdir(path.toString()));
        }
    }

    public static void unlink(Object path) {
        synchronized (HeapFiles.class) {
            check(FileTree.unlink(path.toString()));
        }
    }

    public static void rename(Object from, Object to) {
        synchronized (HeapFiles.class) {
            check(FileTree.rename(from.toString(), to.toString()));
        }
    }

    public static byte[] realpath(Object path) {
        synchronized (HeapFiles.class) {
            existing(path);
            return FileTree.canonical(path.toString()).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** There are no symbolic links: readlink of anything that exists is EINVAL. */
    public static byte[] readlink(Object path) {
        synchronized (HeapFiles.class) {
            existing(path);
            throw raise(Errno.EINVAL);
        }
    }

    public static void stat(Object path, Object attributes) {
        synchronized (HeapFiles.class) {
            fill(attributes, existing(path));
        }
    }

    /** {@code stat(path)}: st_mode, or 0 when the path names nothing. */
    public static int stat(Object path) {
        synchronized (HeapFiles.class) {
            FileNode node = FileTree.find(path.toString());
            return node == null ? 0 : mode(node);
        }
    }

    public static void fstat(int fd, Object attributes) {
        synchronized (HeapFiles.class) {
            try {
                FileNode node = HeapFiles.node(fd);
                Mounts.refresh(node);
                fill(attributes, node);
            } catch (IOException closed) {
                throw raise(Errno.EBADF);
            }
        }
    }

    public static void chmod(Object path, int mode) {
        synchronized (HeapFiles.class) {
            check(Mounts.setMode(existing(path), mode));
        }
    }

    /** {@code fchmod}: an open file's permissions (what a copy gives its target). */
    public static void fchmod(int fd, int mode) {
        synchronized (HeapFiles.class) {
            FileNode node;
            try {
                node = HeapFiles.node(fd);
            } catch (IOException closed) {
                throw raise(Errno.EBADF);
            }
            check(Mounts.setMode(node, mode));
        }
    }

    /** {@code utimes}: the times in microseconds (the JDK fills in one not given); only the modification time is kept. */
    public static void utimes(Object path, long accessMicros, long modifiedMicros) {
        synchronized (HeapFiles.class) {
            check(Mounts.setModified(existing(path), Math.floorDiv(modifiedMicros, 1000)));
        }
    }

    public static void access(Object path, int amode) {
        synchronized (HeapFiles.class) {
            FileNode node = existing(path);
            int wanted = ((amode & R_OK) != 0 ? FileNode.READ : 0) | ((amode & W_OK) != 0 ? FileNode.WRITE : 0)
                    | ((amode & X_OK) != 0 ? FileNode.EXECUTE : 0);
            if (node.mountReadOnly && (wanted & FileNode.WRITE) != 0) {
                throw raise(Errno.EROFS);
            }
            if ((node.access & wanted) != wanted) {
                throw raise(Errno.EACCES);
            }
        }
    }

    public static boolean exists(Object path) {
        synchronized (HeapFiles.class) {
            return FileTree.find(path.toString()) != null;
        }
    }

    public static long opendir(Object path) {
        synchronized (HeapFiles.class) {
            FileNode node = existing(path);
            if (!node.isDirectory()) {
                throw raise(Errno.ENOTDIR);
            }
            if ((node.access & FileNode.READ) == 0) {
                throw raise(Errno.EACCES);
            }
            int i = 0;
            while (i < dirNames.length && dirNames[i] != null) {
                i++;
            }
            if (i == dirNames.length) {
                dirNames = java.util.Arrays.copyOf(dirNames, i * 2);
                dirRead = java.util.Arrays.copyOf(dirRead, i * 2);
            }
            dirNames[i] = FileTree.entries(node).keySet().toArray(new String[0]);
            dirRead[i] = 0;
            return i + 1;
        }
    }

    /** The next name of an open directory, or null at its end. */
    public static byte[] readdir(long dir) {
        synchronized (HeapFiles.class) {
            int i = directory(dir);
            return dirRead[i] == dirNames[i].length ? null : dirNames[i][dirRead[i]++].getBytes(StandardCharsets.UTF_8);
        }
    }

    public static void closedir(long dir) {
        synchronized (HeapFiles.class) {
            dirNames[directory(dir)] = null;
        }
    }

    public static void statvfs(Object path, Object attributes) {
        synchronized (HeapFiles.class) {
            existing(path);
            setStoreAttributes(attributes, FileTree.total(), FileTree.free());
        }
    }

    public static byte[] getcwd() {
        return FileTree.WORKING_DIRECTORY.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] strerror(int errno) {
        return Errno.message(errno).getBytes(StandardCharsets.UTF_8);
    }

    /** The one user and group: the device's ({@code user.name}). */
    public static byte[] userName(int id) {
        return System.getProperty("user.name").getBytes(StandardCharsets.UTF_8);
    }

    /** The node {@code path} names; else throws the errno that says why not. */
    private static FileNode existing(Object path) {
        FileNode node = FileTree.find(path.toString());
        if (node == null) {
            throw raise(FileTree.missing(path.toString()));
        }
        return node;
    }

    private static int directory(long dir) {
        int i = (int) dir - 1;
        if (i < 0 || i >= dirNames.length || dirNames[i] == null) {
            throw raise(Errno.EBADF);
        }
        return i;
    }

    private static void check(int errno) {
        if (errno != 0) {
            throw raise(errno);
        }
    }

    private static int mode(FileNode node) {
        int type = node.isDirectory() ? S_IFDIR : node.device == FileNode.NOT_A_DEVICE ? S_IFREG : S_IFCHR;
        return type | node.mode();
    }

    private static void fill(Object attributes, FileNode node) {
        setAttributes(attributes, mode(node), node.inode, node.isDirectory() ? 2 : node.links, FileTree.size(node),
                node.modified);
    }

    // ---- the device's part (registered by the VM's PathNatives) ----

    /** Throws the JDK's {@code sun.nio.fs.UnixException} for {@code errno}; never returns. */
    private static native RuntimeException raise(int errno);

    /** Sets a {@code UnixFileAttributes}' fields (the one device, owner 0, every time {@code modifiedMillis}). */
    private static native void setAttributes(Object attributes, int mode, long inode, int links, long size,
                                             long modifiedMillis);

    /** Sets a {@code UnixFileStoreAttributes}' fields from the file space, in 4 KiB blocks. */
    private static native void setStoreAttributes(Object attributes, long total, long free);

    /** {@code raise}'s second half: throws {@code t}, already constructed, from where {@code raise} was called. */
    private static void rethrow(Throwable t) throws Throwable {
        throw t;
    }
}
