package org.vheap.device.vm.mount;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The host directories the device mounts into its app's file system, and the file operations on them, by the app's
 * paths. A mounted directory stays the device's: its files are host files, read and written in place, never heap
 * data, so a checkpoint carries none of them; the app's file system ({@code boot.files.Mounts}) keeps only where its
 * mounts are and what it has open in them. Each call answers 0 (or a count) or a POSIX errno (Linux's numbers),
 * {@link #ENOMEDIUM} for a path under a mount this device does not have, so the app gets the C library's errors.
 * The first use of a mount takes the app's lease on it (the device's resource {@code mount:/PATH}); a mount whose
 * lease is refused (another app holds it exclusively) answers {@link #EACCES}. Paths never leave a mount's host
 * directory, through {@code ..} or a symbolic link ({@link #EACCES}).
 *
 * <p>Only the VM's interpreter host thread uses it.
 */
public final class HostMounts {
    public static final int ENOENT = 2;
    public static final int EIO = 5;
    public static final int EACCES = 13;
    public static final int EEXIST = 17;
    public static final int EXDEV = 18;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int EROFS = 30;
    public static final int ENOTEMPTY = 39;
    /** No medium found: the path is under a mount this device does not have. */
    public static final int ENOMEDIUM = 123;

    private final Map<String, Mount> mounts = new LinkedHashMap<>();
    private final java.security.SecureRandom random = new java.security.SecureRandom();
    /** Changes with every offer and every VM: the app's file system looks at the mounts again only when it does. */
    private long generation = random.nextLong() | 1;
    private final Set<String> leased = new HashSet<>();
    private Predicate<String> lease = resource -> true;

    /**
     * This device's mounts, and how the app leases one when it first uses it ({@code leaseTaker} answers whether the
     * lease on the resource is held).
     */
    public void offer(List<Mount> offered, Predicate<String> leaseTaker) {
        mounts.clear();
        leased.clear();
        generation = random.nextLong() | 1;
        for (Mount m : offered) {
            mounts.put(m.point(), m);
        }
        this.lease = leaseTaker;
    }

    /** A number of the mounts as offered now, never 0, different from every other VM's and every earlier offer's. */
    public long generation() {
        return generation;
    }

    /** The mounts offered, one per line: the point, a tab, {@code ro} or {@code rw}. */
    public String offered() {
        StringBuilder b = new StringBuilder();
        for (Mount m : mounts.values()) {
            b.append(m.point()).append('\t').append(m.readOnly() ? "ro" : "rw").append('\n');
        }
        return b.toString();
    }

    /**
     * A directory's entries, or a file's attributes when {@code path} is not a directory: a first line with 0 or an
     * errno, then a line per entry: {@code d} or {@code f}, size, modification time in milliseconds, permission bits,
     * name, tab-separated. For {@code path} itself (no entries), {@code stat} answers the same for one line.
     */
    public String list(String path) {
        Path p;
        Path top;
        try {
            p = host(path);
            top = mounts.get(mountOf(path)).hostDir();
        } catch (Refused r) {
            return r.errno + "\n";
        }
        if (!Files.isDirectory(p)) {
            return (Files.exists(p) ? ENOTDIR : ENOENT) + "\n";
        }
        StringBuilder b = new StringBuilder("0\n");
        try (Stream<Path> entries = Files.list(p)) {
            for (Path e : (Iterable<Path>) entries::iterator) {
                if (Files.isSymbolicLink(e) && !inside(e, top)) {
                    continue;   // a link out of the mount is not there for the app
                }
                String line = line(e);
                if (line != null) {
                    b.append(line).append('\t').append(e.getFileName()).append('\n');
                }
            }
        } catch (IOException e) {
            return errno(e) + "\n";
        }
        return b.toString();
    }

    /** {@code path}'s own line, as {@link #list} gives an entry's (without its name), after 0; or an errno. */
    public String stat(String path) {
        try {
            String line = line(host(path));
            return line == null ? ENOENT + "\n" : "0\n" + line + "\n";
        } catch (Refused r) {
            return r.errno + "\n";
        }
    }

    private static String line(Path p) {
        try {
            PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isSymbolicLink()) {
                a = Files.readAttributes(p, PosixFileAttributes.class);
            }
            return (a.isDirectory() ? "d" : "f") + "\t" + (a.isDirectory() ? 4096 : a.size()) + "\t"
                    + a.lastModifiedTime().toMillis() + "\t" + bits(a.permissions());
        } catch (IOException e) {
            return null;
        }
    }

    /** Reads at {@code position} into {@code into}: a count, -1 at the end, or minus an errno. */
    public int read(String path, long position, ByteBuffer into) {
        return (int) valueOrMinusErrno(() -> {
            try (FileChannel ch = FileChannel.open(host(path), StandardOpenOption.READ)) {
                return ch.read(into, position);
            }
        });
    }

    /** Writes all of {@code from} at {@code position} (at the end when {@code append}): the position after it, or minus an errno. */
    public long write(String path, long position, boolean append, ByteBuffer from) {
        return valueOrMinusErrno(() -> {
            try (FileChannel ch = FileChannel.open(writable(path), StandardOpenOption.WRITE)) {
                long at = append ? ch.size() : position;
                while (from.hasRemaining()) {
                    at += ch.write(from, at);
                }
                return at;
            }
        });
    }

    public int truncate(String path, long length) {
        return errnoOf(() -> {
            try (FileChannel ch = FileChannel.open(writable(path), StandardOpenOption.WRITE)) {
                if (length < ch.size()) {
                    ch.truncate(length);
                } else if (length > ch.size()) {
                    ch.write(ByteBuffer.allocate(1), length - 1);
                }
            }
        });
    }

    /** Creates a file ({@code directory} false) or a directory with permission bits {@code mode}. */
    public int create(String path, boolean directory, int mode) {
        return errnoOf(() -> {
            Path p = writable(path);
            if (directory) {
                Files.createDirectory(p);
            } else {
                Files.createFile(p);
            }
            Files.getFileAttributeView(p, PosixFileAttributeView.class).setPermissions(permissions(mode));
        });
    }

    /** Deletes a file or an empty directory. */
    public int delete(String path) {
        return errnoOf(() -> Files.delete(writable(path)));
    }

    /** POSIX rename within one mount (across mounts: EXDEV, which the JDK's move turns into a copy). */
    public int rename(String from, String to) {
        return errnoOf(() -> {
            Path source = writable(from);
            Path target = writable(to);
            if (!mountOf(from).equals(mountOf(to))) {
                throw new Refused(EXDEV);
            }
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        });
    }

    /** Sets the permission bits ({@code mode} >= 0) or the modification time in milliseconds ({@code modified} >= 0). */
    public int setAttributes(String path, int mode, long modified) {
        return errnoOf(() -> {
            Path p = writable(path);
            if (mode >= 0) {
                Files.getFileAttributeView(p, PosixFileAttributeView.class).setPermissions(permissions(mode));
            }
            if (modified >= 0) {
                Files.setLastModifiedTime(p, FileTime.fromMillis(modified));
            }
        });
    }

    // ---- host calls: a path refused, or the host's failure, as an errno ----

    private interface HostAction {
        void run() throws Refused, IOException;
    }

    private interface HostCall {
        long call() throws Refused, IOException;
    }

    /** 0 when {@code action} ran, else the errno that stopped it. */
    private static int errnoOf(HostAction action) {
        return (int) -valueOrMinusErrno(() -> {
            action.run();
            return 0;
        });
    }

    /** What {@code call} answered (not negative), or minus the errno that stopped it. */
    private static long valueOrMinusErrno(HostCall call) {
        try {
            return call.call();
        } catch (Refused r) {
            return -r.errno;
        } catch (IOException e) {
            return -errno(e);
        }
    }

    // ---- paths ----

    private static final class Refused extends Exception {
        final int errno;

        Refused(int errno) {
            super(null, null, false, false);
            this.errno = errno;
        }
    }

    private static boolean inside(Path link, Path top) {
        try {
            return link.toRealPath().startsWith(top);
        } catch (IOException dangling) {
            return false;
        }
    }

    private String mountOf(String path) throws Refused {
        for (String point : mounts.keySet()) {
            if (path.equals(point) || path.startsWith(point + "/")) {
                return point;
            }
        }
        throw new Refused(ENOMEDIUM);
    }

    /**
     * The host path of an app's path under a mount, whose lease the app then holds: never outside the mount's
     * directory, by name or through a symbolic link (the real path of the deepest part that exists must be inside).
     */
    private Path host(String path) throws Refused {
        Mount m = mounts.get(mountOf(path));
        if (!leased.contains(m.point())) {
            if (!lease.test(m.resource())) {
                throw new Refused(EACCES);
            }
            leased.add(m.point());
        }
        Path p = m.hostDir().resolve(path.substring(m.point().length()).replaceFirst("^/", "")).normalize();
        Path existing = p;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        try {
            if (!p.startsWith(m.hostDir()) || existing == null || !existing.toRealPath().startsWith(m.hostDir())) {
                throw new Refused(EACCES);
            }
        } catch (IOException e) {
            throw new Refused(ENOENT);   // a dangling link: nothing there
        }
        return p;
    }

    private Path writable(String path) throws Refused {
        Path p = host(path);
        if (mounts.get(mountOf(path)).readOnly()) {
            throw new Refused(EROFS);
        }
        return p;
    }

    private static int errno(IOException e) {
        if (e instanceof NoSuchFileException) {
            return ENOENT;
        }
        if (e instanceof FileAlreadyExistsException) {
            return EEXIST;
        }
        if (e instanceof DirectoryNotEmptyException) {
            return ENOTEMPTY;
        }
        if (e instanceof NotDirectoryException) {
            return ENOTDIR;
        }
        if (e instanceof AccessDeniedException) {
            return EACCES;
        }
        String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : "";
        return switch (reason) {
            case "Is a directory" -> EISDIR;
            case "Not a directory" -> ENOTDIR;
            case "Directory not empty" -> ENOTEMPTY;
            case "File exists" -> EEXIST;
            case "Permission denied" -> EACCES;
            case "Read-only file system" -> EROFS;
            case "No space left on device" -> ENOSPC;
            case "Invalid argument" -> EINVAL;
            case "Invalid cross-device link" -> EXDEV;
            default -> EIO;
        };
    }

    private static int bits(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission p : permissions) {
            mode |= 1 << (8 - p.ordinal());   // OWNER_READ is 0400, ..., OTHERS_EXECUTE 01
        }
        return mode;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : PosixFilePermission.values()) {
            if ((mode & 1 << (8 - p.ordinal())) != 0) {
                set.add(p);
            }
        }
        return set;
    }
}
