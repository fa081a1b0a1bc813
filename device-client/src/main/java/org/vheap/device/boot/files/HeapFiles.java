package org.vheap.device.boot.files;

import java.io.File;
import java.io.FileDescriptor;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;

/**
 * The app's file system, kept in its own virtual heap: what {@code java.io.File}, the file streams and
 * {@code RandomAccessFile} reach on a device (the VM's file natives forward here, {@code FileNatives}). This class is
 * interpreted by the device VM like the app's own code; its directories, files ({@link FileNode}) and open files
 * ({@link OpenFile}) are ordinary heap objects, reachable from its static fields. So a file written before a
 * checkpoint is exactly there after a resume on any device, a file written after it is not, and an open stream keeps
 * its position: atomically with the rest of the heap, with no store of its own. The collector frees a deleted file's
 * bytes like any garbage.
 *
 * <p>Paths are POSIX paths; a relative one is resolved against {@code user.dir}. The file system starts with
 * {@code /}, {@code user.dir}, {@code java.io.tmpdir}, {@code java.home} (the JDK's data, read-only, each file
 * fetched from the device's JDK on first use and kept in the heap from then on) and the devices {@code /dev/null}, {@code /dev/random} and
 * {@code /dev/urandom} (the device's random bytes, so {@code SecureRandom} works as on HotSpot). Errors are HotSpot's:
 * the exception it throws and the message the C library's {@code strerror} gives it ("No such file or directory").
 * The bytes of all files together are bounded by the device's file space ({@code --file-space}): a write beyond it
 * fails with "No space left on device" and changes nothing.
 *
 * <p>One file system per app (per heap), so the state here is the app's, not the host's: it lives in the heap and
 * only the app's interpreter thread runs it.
 */
public final class HeapFiles {
    // java.io.FileSystem's boolean attributes and access flags
    private static final int BA_EXISTS = 0x01;
    private static final int BA_REGULAR = 0x02;
    private static final int BA_DIRECTORY = 0x04;
    private static final int SPACE_TOTAL = 0;

    /** {@link #open}'s mode bits. */
    public static final int READ = 1;
    public static final int WRITE = 2;
    public static final int APPEND = 4;
    public static final int CREATE = 8;
    public static final int TRUNCATE = 16;

    /** The first descriptor number an open file gets (0, 1 and 2 are the console's). */
    private static final int FIRST_FD = 3;

    private static final FileNode ROOT = FileNode.directory(now());
    private static OpenFile[] open = new OpenFile[16];
    private static long bytesUsed;

    static {
        FileNode dev = mkdirs("/dev");
        link(dev, "null", FileNode.device(FileNode.NULL_DEVICE, now()));
        link(dev, "random", FileNode.device(FileNode.RANDOM_DEVICE, now()));
        link(dev, "urandom", FileNode.device(FileNode.RANDOM_DEVICE, now()));
        mkdirs(System.getProperty("user.dir"));
        String[] jdk = names(System.getProperty("java.home"));
        link(mkdirs(canonicalize(System.getProperty("java.home") + "/..")), last(jdk), FileNode.fromJdk("", true, now()));
        mkdirs(System.getProperty("java.io.tmpdir"));
    }

    private HeapFiles() {
    }

    // ---- java.io.File (UnixFileSystem's natives) ----

    public static int attributes(File f) {
        FileNode node = find(f.getPath());
        if (node == null) {
            return 0;
        }
        return BA_EXISTS | (node.isDirectory() ? BA_DIRECTORY : node.device == FileNode.NOT_A_DEVICE ? BA_REGULAR : 0);
    }

    public static boolean checkAccess(File f, int access) {
        FileNode node = find(f.getPath());
        return node != null && (node.access & access) == access;
    }

    public static long lastModified(File f) {
        FileNode node = find(f.getPath());
        return node == null ? 0 : node.modified;
    }

    public static long length(File f) {
        FileNode node = find(f.getPath());
        return node == null || node.isDirectory() ? 0 : bytes(node).size;
    }

    public static boolean setPermission(File f, int access, boolean enable, boolean ownerOnly) {
        FileNode node = find(f.getPath());
        if (node == null) {
            return false;
        }
        node.access = enable ? node.access | access : node.access & ~access;
        return true;
    }

    public static boolean setReadOnly(File f) {
        return setPermission(f, FileNode.WRITE, false, true);
    }

    public static boolean setLastModified(File f, long time) {
        FileNode node = find(f.getPath());
        if (node == null) {
            return false;
        }
        node.modified = time;
        return true;
    }

    /** Creates an empty file unless the name exists; IOException when its directory does not. */
    public static boolean createFileExclusively(String path) throws IOException {
        String[] names = names(path);
        FileNode dir = parent(names);
        if (dir == null) {
            throw new IOException("No such file or directory");
        }
        if (!dir.isDirectory()) {
            throw new IOException("Not a directory");
        }
        String name = last(names);
        if (name == null || entries(dir).containsKey(name)) {
            return false;
        }
        if ((dir.access & FileNode.WRITE) == 0) {
            throw new IOException("Permission denied");
        }
        link(dir, name, FileNode.file(now()));
        return true;
    }

    public static boolean delete(File f) {
        String[] names = names(f.getPath());
        FileNode dir = parent(names);
        String name = last(names);
        if (dir == null || !dir.isDirectory() || name == null || (dir.access & FileNode.WRITE) == 0) {
            return false;
        }
        FileNode node = entries(dir).get(name);
        if (node == null || node.isDirectory() && !entries(node).isEmpty()) {
            return false;
        }
        unlink(dir, name);
        return true;
    }

    public static String[] list(File f) {
        FileNode node = find(f.getPath());
        if (node == null || !node.isDirectory() || (node.access & FileNode.READ) == 0) {
            return null;
        }
        return entries(node).keySet().toArray(new String[0]);
    }

    public static boolean createDirectory(File f) {
        String[] names = names(f.getPath());
        FileNode dir = parent(names);
        String name = last(names);
        if (dir == null || !dir.isDirectory() || name == null || entries(dir).containsKey(name)
                || (dir.access & FileNode.WRITE) == 0) {
            return false;
        }
        link(dir, name, FileNode.directory(now()));
        return true;
    }

    /** POSIX rename: replaces a file, or an empty directory with a directory; never moves a directory into itself. */
    public static boolean rename(File from, File to) {
        String[] fromNames = names(from.getPath());
        String[] toNames = names(to.getPath());
        FileNode fromDir = parent(fromNames);
        FileNode toDir = parent(toNames);
        String fromName = last(fromNames);
        String toName = last(toNames);
        if (fromDir == null || toDir == null || !fromDir.isDirectory() || !toDir.isDirectory() || fromName == null
                || toName == null || (fromDir.access & toDir.access & FileNode.WRITE) == 0) {
            return false;
        }
        FileNode node = entries(fromDir).get(fromName);
        if (node == null) {
            return false;
        }
        if (node.isDirectory() && toNames.length > fromNames.length
                && java.util.Arrays.equals(fromNames, 0, fromNames.length, toNames, 0, fromNames.length)) {
            return false;
        }
        FileNode replaced = entries(toDir).get(toName);
        if (replaced == node) {
            return true;
        }
        if (replaced != null && (replaced.isDirectory() != node.isDirectory()
                || replaced.isDirectory() && !entries(replaced).isEmpty())) {
            return false;
        }
        if (replaced != null) {
            unlink(toDir, toName);
        }
        link(toDir, toName, node);
        unlink(fromDir, fromName);
        return true;
    }

    public static long space(File f, int kind) {
        if (find(f.getPath()) == null) {
            return 0;
        }
        long total = fileSpace();
        return kind == SPACE_TOTAL ? total : Math.max(0, total - bytesUsed);
    }

    /** The path with {@code .} and {@code ..} resolved (there are no links), absolute. */
    public static String canonicalize(String path) {
        String[] names = names(path);
        if (names.length == 0) {
            return "/";
        }
        StringBuilder b = new StringBuilder();
        for (String n : names) {
            b.append('/').append(n);
        }
        return b.toString();
    }

    // ---- streams: FileInputStream, FileOutputStream, RandomAccessFile ----

    /**
     * Opens {@code path} with {@link #READ}, {@link #WRITE} and the other mode bits and gives {@code fd} the new
     * descriptor; FileNotFoundException with HotSpot's message when it cannot.
     */
    public static void open(FileDescriptor fd, String path, int mode) throws FileNotFoundException {
        String[] names = names(path);
        FileNode dir = parent(names);
        String name = last(names);
        FileNode node = name == null ? ROOT : dir == null || !dir.isDirectory() ? null : entries(dir).get(name);
        if (dir != null && !dir.isDirectory()) {
            throw new FileNotFoundException(path + " (Not a directory)");
        }
        if (node == null) {
            if ((mode & CREATE) == 0 || dir == null) {
                throw new FileNotFoundException(path + " (No such file or directory)");
            }
            if ((dir.access & FileNode.WRITE) == 0) {
                throw new FileNotFoundException(path + " (Permission denied)");
            }
            node = FileNode.file(now());
            link(dir, name, node);
        } else if (node.isDirectory()) {
            throw new FileNotFoundException(path + " (Is a directory)");
        } else if (bytes(node).jdkPath != null) {
            throw new FileNotFoundException(path + " (Permission denied)");
        } else if ((mode & READ) != 0 && (node.access & FileNode.READ) == 0
                || (mode & WRITE) != 0 && (node.access & FileNode.WRITE) == 0) {
            throw new FileNotFoundException(path + " (Permission denied)");
        } else if ((mode & TRUNCATE) != 0 && node.device == FileNode.NOT_A_DEVICE) {
            bytesUsed -= node.size;
            node.truncate(0);
            node.modified = now();
        }
        int number = FIRST_FD;
        while (number - FIRST_FD < open.length && open[number - FIRST_FD] != null) {
            number++;
        }
        if (number - FIRST_FD == open.length) {
            open = java.util.Arrays.copyOf(open, open.length * 2);
        }
        open[number - FIRST_FD] = new OpenFile(node, (mode & READ) != 0, (mode & WRITE) != 0, (mode & APPEND) != 0);
        setDescriptor(fd, number, (mode & APPEND) != 0);
    }

    /** One byte, or -1 at the end of the file. */
    public static int read(int fd) throws IOException {
        byte[] one = new byte[1];
        return read(fd, one, 0, 1) == 1 ? one[0] & 0xff : -1;
    }

    /** Up to {@code len} bytes into {@code b[off..]}: how many, or -1 at the end of the file. */
    public static int read(int fd, byte[] b, int off, int len) throws IOException {
        OpenFile f = readable(fd);
        if (len == 0) {
            return 0;
        }
        FileNode node = f.node;
        if (node.device == FileNode.NULL_DEVICE) {
            return -1;
        }
        if (node.device == FileNode.RANDOM_DEVICE) {
            randomBytes(b, off, len);
            return len;
        }
        if (f.position >= node.size) {
            return -1;
        }
        int n = (int) Math.min(len, node.size - f.position);
        System.arraycopy(node.bytes, (int) f.position, b, off, n);
        f.position += n;
        return n;
    }

    /** Like {@link #read(int, byte[], int, int)} at {@code position}, which the descriptor's position does not follow. */
    public static int readAt(int fd, byte[] b, int off, int len, long position) throws IOException {
        OpenFile f = readable(fd);
        long kept = f.position;
        f.position = position;
        try {
            return read(fd, b, off, len);
        } finally {
            f.position = kept;
        }
    }

    /** Like {@link #write(int, byte[], int, int)} at {@code position}, which the descriptor's position does not follow. */
    public static void writeAt(int fd, byte[] b, int off, int len, long position) throws IOException {
        OpenFile f = writable(fd);
        long kept = f.position;
        f.position = position;
        try {
            write(fd, b, off, len);
        } finally {
            f.position = kept;
        }
    }

    public static void write(int fd, int b) throws IOException {
        write(fd, new byte[] {(byte) b}, 0, 1);
    }

    /** Writes {@code b[off, off + len)} at the position (at the end when appending); all or nothing. */
    public static void write(int fd, byte[] b, int off, int len) throws IOException {
        OpenFile f = writable(fd);
        FileNode node = f.node;
        if (node.device != FileNode.NOT_A_DEVICE) {
            return;
        }
        long at = f.append ? node.size : f.position;
        long end = at + len;
        grow(node, end);
        System.arraycopy(b, off, node.bytes, (int) at, len);
        node.modified = now();
        f.position = end;
    }

    /** The inode number of the file open as {@code fd}. */
    static long inode(int fd) throws IOException {
        return file(fd).node.inode;
    }

    public static long position(int fd) throws IOException {
        return file(fd).position;
    }

    public static void seek(int fd, long position) throws IOException {
        if (position < 0) {
            throw new IOException("Negative seek offset");
        }
        file(fd).position = position;
    }

    public static long length(int fd) throws IOException {
        return file(fd).node.size;
    }

    /** {@code FileChannel.truncate}'s part: a shorter length only (a longer one changes nothing). */
    public static void truncate(int fd, long length) throws IOException {
        if (length < file(fd).node.size) {
            setLength(fd, length);
        }
    }

    /** Sets the file's length; the position is kept, unless past the new end, where it moves to the end. */
    public static void setLength(int fd, long length) throws IOException {
        OpenFile f = writable(fd);
        if (length < 0) {
            throw new IOException("Invalid argument");
        }
        if (f.node.device == FileNode.NOT_A_DEVICE) {
            grow(f.node, length);
            bytesUsed += length - f.node.size;
            f.node.truncate(length);
            f.node.modified = now();
        }
        if (f.position > length) {
            f.position = length;
        }
    }

    /** FileInputStream.skip: moves the position by {@code n} (not before the start), and says by how much. */
    public static long skip(int fd, long n) throws IOException {
        OpenFile f = readable(fd);
        long to = Math.max(0, f.position + n);
        long skipped = to - f.position;
        f.position = to;
        return skipped;
    }

    public static int available(int fd) throws IOException {
        OpenFile f = readable(fd);
        if (f.node.device != FileNode.NOT_A_DEVICE) {
            return 0;
        }
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, f.node.size - f.position));
    }

    /** Closes the descriptor (nothing when it is not open); a deleted file's bytes go once no descriptor names it. */
    public static void close(int fd) {
        int i = fd - FIRST_FD;
        if (i < 0 || i >= open.length || open[i] == null) {
            return;
        }
        FileNode node = open[i].node;
        open[i] = null;
        releaseIfGone(node);
    }

    // ---- paths ----

    /** The names of {@code path}'s components from the root, with {@code .} and {@code ..} resolved. */
    private static String[] names(String path) {
        String absolute = path.startsWith("/") ? path : System.getProperty("user.dir") + "/" + path;
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

    private static String last(String[] names) {
        return names.length == 0 ? null : names[names.length - 1];
    }

    /** The directory (or file: a caller checks) that holds the last name; null when a component is missing. */
    private static FileNode parent(String[] names) {
        FileNode node = ROOT;
        for (int i = 0; i < names.length - 1 && node != null; i++) {
            node = node.isDirectory() ? entries(node).get(names[i]) : null;
        }
        return node;
    }

    private static FileNode find(String path) {
        String[] names = names(path);
        FileNode dir = parent(names);
        if (names.length == 0) {
            return ROOT;
        }
        return dir == null || !dir.isDirectory() ? null : entries(dir).get(last(names));
    }

    private static FileNode mkdirs(String path) {
        FileNode node = ROOT;
        for (String n : names(path)) {
            FileNode next = entries(node).get(n);
            if (next == null) {
                next = FileNode.directory(now());
                link(node, n, next);
            }
            node = next;
        }
        return node;
    }

    // ---- open files and space ----

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
            throw new IOException("Bad file descriptor");
        }
        return f;
    }

    private static OpenFile writable(int fd) throws IOException {
        OpenFile f = file(fd);
        if (!f.writable) {
            throw new IOException("Bad file descriptor");
        }
        return f;
    }

    /** Makes {@code node} at least {@code end} bytes long, within the file space, or throws and changes nothing. */
    private static void grow(FileNode node, long end) throws IOException {
        if (end <= node.size) {
            return;
        }
        if (bytesUsed + end - node.size > fileSpace()) {
            throw new IOException("No space left on device");
        }
        node.ensureSize(end);
        bytesUsed += end - node.size;
        node.size = end;
    }

    private static boolean isOpen(FileNode node) {
        for (OpenFile f : open) {
            if (f != null && f.node == node) {
                return true;
            }
        }
        return false;
    }

    /** A directory's entries, listed from the JDK first when it is the JDK's and not listed yet. */
    private static java.util.TreeMap<String, FileNode> entries(FileNode dir) {
        if (dir.jdkPath != null) {
            String base = dir.jdkPath;
            String listing = jdkList(base);
            dir.jdkPath = null;
            if (listing != null) {
                for (String entry : listing.split("\n")) {
                    if (!entry.isEmpty()) {
                        boolean directory = entry.endsWith("/");
                        String name = directory ? entry.substring(0, entry.length() - 1) : entry;
                        FileNode node = FileNode.fromJdk(base.isEmpty() ? name : base + "/" + name, directory, dir.modified);
                        node.links = 1;
                        dir.entries.put(name, node);
                    }
                }
            }
        }
        return dir.entries;
    }

    /** A file's bytes, fetched from the JDK first when it is the JDK's and not fetched yet. */
    private static FileNode bytes(FileNode file) {
        if (file.jdkPath != null && !file.isDirectory()) {
            byte[] b = jdkRead(file.jdkPath);
            file.jdkPath = null;
            file.bytes = b == null ? new byte[0] : b;
            file.size = file.bytes.length;
        }
        return file;
    }

    private static void link(FileNode dir, String name, FileNode node) {
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
    private static void releaseIfGone(FileNode node) {
        if (node.links == 0 && !node.isDirectory() && !isOpen(node)) {
            bytesUsed -= node.size;
            node.size = 0;
            node.bytes = new byte[0];
        }
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    // ---- the device's part (registered by the VM's FileNatives) ----

    /** The number of a {@code FileDescriptor} (-1 once closed). */
    static native int number(FileDescriptor fd);

    /** Sets the descriptor's number (and append flag), as the JDK's native open does. */
    private static native void setDescriptor(FileDescriptor fd, int number, boolean append);

    /** The device's file space in bytes ({@code --file-space}). */
    private static native long fileSpace();

    /**
     * The entries of directory {@code path} of the device's JDK ({@code java.home}; "" is its top), one per line,
     * a directory's ending in {@code /}; null when it is not a directory there.
     */
    private static native String jdkList(String path);

    /** The bytes of file {@code path} of the device's JDK, or null when there is no such file. */
    private static native byte[] jdkRead(String path);

    /** Fills {@code b[off, off + len)} with the device's random bytes (/dev/random). */
    private static native void randomBytes(byte[] b, int off, int len);
}
