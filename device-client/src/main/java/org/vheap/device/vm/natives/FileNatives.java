package org.vheap.device.vm.natives;

import java.security.SecureRandom;
import org.vheap.device.boot.files.HeapFiles;
import org.vheap.device.vm.JavaError;
import org.vheap.device.vm.Vm;
import org.vheap.device.vm.net.HostSockets;
import org.vheap.device.vm.thread.VmThread;

/**
 * The natives of {@code java.io}'s files: {@code UnixFileSystem} (behind {@code File}), {@code FileInputStream},
 * {@code FileOutputStream}, {@code RandomAccessFile} and {@code FileDescriptor}. Descriptors 0-2 are the console
 * ({@link ConsoleNatives}); everything else is the app's own file system, which lives in its heap and is written in
 * Java: {@code org.vheap.device.boot.files.HeapFiles}, a boot class the VM interprets. Each native here checks what
 * HotSpot's C code checks before it calls the library (null arrays, bounds), then defers the call to the matching
 * {@code HeapFiles} method, whose result (or exception) becomes the native's, and whose state is heap objects that
 * checkpoints carry. {@code HeapFiles}' own natives (the descriptor's number, the file space, random bytes) are the
 * device's part.
 */
final class FileNatives {
    static final String HEAP_FILES = "org/vheap/device/boot/files/HeapFiles";
    private static final String FILE_TREE = "org/vheap/device/boot/files/FileTree";
    private static final String FS = "java/io/UnixFileSystem";
    private static final String FIS = "java/io/FileInputStream";
    private static final String FOS = "java/io/FileOutputStream";
    private static final String RAF = "java/io/RandomAccessFile";
    private static final String FD = "java/io/FileDescriptor";
    // RandomAccessFile's open mode bit for "rw"
    private static final int RAF_RDWR = 2;

    private final Vm vm;
    private final long fileSpace;
    private final SecureRandom random = new SecureRandom();
    private final BootCalls heapFiles;
    private final JdkData jdk = new JdkData(java.nio.file.Path.of(System.getProperty("java.home")));

    private FileNatives(Vm vm, long fileSpace) {
        this.vm = vm;
        this.fileSpace = fileSpace;
        this.heapFiles = new BootCalls(vm, HEAP_FILES);
    }

    /** Registers the file natives; the app's files together hold at most {@code fileSpace} bytes. */
    static void register(Natives n, Vm vm, long fileSpace) {
        FileNatives files = new FileNatives(vm, fileSpace);
        files.registerFileSystem(n);
        files.registerStreams(n);
        files.registerHeapFiles(n);
    }

    /** UnixFileSystem's native {@code name(descriptor)} as HeapFiles' {@code target}, which has no receiver. */
    private void forward(Natives n, String name, String descriptor, String target) {
        heapFiles.forward(n, FS, name, descriptor, target, descriptor, true);
    }

    private void registerFileSystem(Natives n) {
        String file = "(Ljava/io/File;)";
        forward(n, "getBooleanAttributes0", file + "I", "attributes");
        forward(n, "checkAccess", "(Ljava/io/File;I)Z", "checkAccess");
        forward(n, "getLastModifiedTime", file + "J", "lastModified");
        forward(n, "getLength", file + "J", "length");
        forward(n, "setPermission", "(Ljava/io/File;IZZ)Z", "setPermission");
        forward(n, "createFileExclusively", "(Ljava/lang/String;)Z", "createFileExclusively");
        forward(n, "delete0", file + "Z", "delete");
        forward(n, "list", file + "[Ljava/lang/String;", "list");
        forward(n, "createDirectory", file + "Z", "createDirectory");
        forward(n, "rename0", "(Ljava/io/File;Ljava/io/File;)Z", "rename");
        forward(n, "setLastModifiedTime", "(Ljava/io/File;J)Z", "setLastModified");
        forward(n, "setReadOnly", file + "Z", "setReadOnly");
        forward(n, "getSpace", "(Ljava/io/File;I)J", "space");
        forward(n, "canonicalize0", "(Ljava/lang/String;)Ljava/lang/String;", "canonicalize");
        n.register(FS, "getNameMax0", "(Ljava/lang/String;)J", (t, s, b) -> 255);
    }

    private void registerStreams(Natives n) {
        // opening: the JDK passes the path as given (a relative one is the app's user.dir's)
        n.register(FIS, "open0", "(Ljava/lang/String;)V", (t, s, b) ->
                open(t, (int) s[b], FIS, (int) s[b + 1], HeapFiles.O_RDONLY));
        n.register(FOS, "open0", "(Ljava/lang/String;Z)V", (t, s, b) -> open(t, (int) s[b], FOS, (int) s[b + 1],
                HeapFiles.O_WRONLY | HeapFiles.O_CREAT | (s[b + 2] != 0 ? HeapFiles.O_APPEND : HeapFiles.O_TRUNC)));
        n.register(RAF, "open0", "(Ljava/lang/String;I)V", (t, s, b) -> open(t, (int) s[b], RAF, (int) s[b + 1],
                (s[b + 2] & RAF_RDWR) != 0 ? HeapFiles.O_RDWR | HeapFiles.O_CREAT : HeapFiles.O_RDONLY));

        // FileInputStream
        n.register(FIS, "readBytes", "([BII)I", (t, s, b) -> readBytes(t, fd((int) s[b], FIS), s, b));
        n.register(FIS, "read0", "()I", (t, s, b) -> read(t, fd((int) s[b], FIS)));
        n.register(FIS, "available0", "()I", (t, s, b) -> {
            int fd = fd((int) s[b], FIS);
            return ConsoleNatives.isConsole(fd) ? ConsoleNatives.available(vm, fd) : heapFiles.call(t, "available", "(I)I", fd);
        });
        n.register(FIS, "skip0", "(J)J", (t, s, b) -> heapFiles.call(t, "skip", "(IJ)J", fd((int) s[b], FIS), s[b + 1], 0));
        n.register(FIS, "length0", "()J", (t, s, b) -> heapFiles.call(t, "length", "(I)J", fd((int) s[b], FIS)));
        n.register(FIS, "position0", "()J", (t, s, b) -> heapFiles.call(t, "position", "(I)J", fd((int) s[b], FIS)));

        // FileOutputStream (the append flag is the descriptor's, kept by HeapFiles)
        n.register(FOS, "writeBytes", "([BIIZ)V", (t, s, b) -> writeBytes(t, fd((int) s[b], FOS), s, b));
        n.register(FOS, "write", "(IZ)V", (t, s, b) -> write(t, fd((int) s[b], FOS), (int) s[b + 1]));

        // RandomAccessFile
        n.register(RAF, "readBytes", "([BII)I", (t, s, b) -> readBytes(t, fd((int) s[b], RAF), s, b));
        n.register(RAF, "read0", "()I", (t, s, b) -> read(t, fd((int) s[b], RAF)));
        n.register(RAF, "writeBytes", "([BII)V", (t, s, b) -> writeBytes(t, fd((int) s[b], RAF), s, b));
        n.register(RAF, "write0", "(I)V", (t, s, b) -> write(t, fd((int) s[b], RAF), (int) s[b + 1]));
        n.register(RAF, "getFilePointer", "()J", (t, s, b) -> heapFiles.call(t, "position", "(I)J", fd((int) s[b], RAF)));
        n.register(RAF, "seek0", "(J)V", (t, s, b) -> heapFiles.call(t, "seek", "(IJ)V", fd((int) s[b], RAF), s[b + 1], 0));
        n.register(RAF, "length", "()J", (t, s, b) -> heapFiles.call(t, "length", "(I)J", fd((int) s[b], RAF)));
        n.register(RAF, "setLength", "(J)V", (t, s, b) -> heapFiles.call(t, "setLength", "(IJ)V", fd((int) s[b], RAF), s[b + 1], 0));

        // FileDescriptor: closing a file's descriptor (the console's stay open, as the JVM keeps them)
        n.register(FD, "getHandle", "(I)J", (t, s, b) -> -1);
        n.register(FD, "getAppend", "(I)Z", (t, s, b) -> 0);
        n.register(FD, "sync", "()V", Natives.nothing());
        n.register(FD, "close0", "()V", (t, s, b) -> {
            int self = (int) s[b];
            int fd = number(vm, self);
            if (fd < 0 || ConsoleNatives.isConsole(fd)) {
                return 0;
            }
            setNumber(vm, self, -1);
            if (HostSockets.isSocket(fd)) {
                vm.sockets().close(fd);
                return 0;
            }
            return heapFiles.call(t, "close", "(I)V", fd);
        });
        // the Cleaner's close of a descriptor no stream reaches any more
        n.register("java/io/FileCleanable", "cleanupClose0", "(IJ)V", (t, s, b) -> {
            int fd = (int) s[b];
            if (HostSockets.isSocket(fd)) {
                vm.sockets().close(fd);
                return 0;
            }
            return fd < 0 || ConsoleNatives.isConsole(fd) ? 0 : heapFiles.call(t, "close", "(I)V", fd);
        });
    }

    private void registerHeapFiles(Natives n) {
        n.register(HEAP_FILES, "number", "(Ljava/io/FileDescriptor;)I", (t, s, b) -> number(vm, (int) s[b]));
        n.register(HEAP_FILES, "setDescriptor", "(Ljava/io/FileDescriptor;IZ)V", (t, s, b) -> {
            int fd = (int) s[b];
            setNumber(vm, fd, (int) s[b + 1]);
            vm.putByteField(fd, vm.field(FD, "append"), (byte) s[b + 2]);
            return 0;
        });
        n.register(FILE_TREE, "fileSpace", "()J", (t, s, b) -> fileSpace);
        n.register(FILE_TREE, "jdkList", "(Ljava/lang/String;)Ljava/lang/String;", (t, s, b) -> {
            String listing = jdk.list(vm.strings().hostString((int) s[b]));
            return listing == null ? 0 : vm.strings().newString(listing);
        });
        n.register(FILE_TREE, "jdkRead", "(Ljava/lang/String;)[B", (t, s, b) -> {
            byte[] bytes = jdk.read(vm.strings().hostString((int) s[b]));
            return bytes == null ? 0 : vm.newByteArray(bytes);
        });
        n.register(FILE_TREE, "classPathFiles", "()Ljava/lang/String;", (t, s, b) -> {
            StringBuilder listing = new StringBuilder();
            for (var dir : vm.source().appDirectories()) {
                listing.append("D ").append(dir.path()).append('\n');
                dir.files().forEach(f -> listing.append("F ").append(f).append('\n'));
            }
            return vm.strings().newString(listing.toString());
        });
        n.register(FILE_TREE, "classPathRead", "(Ljava/lang/String;)[B", (t, s, b) -> {
            byte[] bytes = vm.source().findResource(vm.strings().hostString((int) s[b]), null);
            return bytes == null ? 0 : vm.newByteArray(bytes);
        });
        n.register(HEAP_FILES, "randomBytes", "([BII)V", (t, s, b) -> {
            int array = (int) s[b];
            int off = (int) s[b + 1];
            int len = (int) s[b + 2];
            byte[] bytes = new byte[len];
            random.nextBytes(bytes);
            vm.putBytes(array, off, bytes, len);
            return 0;
        });
    }

    // ---- the shared steps ----

    private long open(VmThread t, int stream, String owner, int path, int mode) {
        if (path == 0) {
            throw new JavaError("java/lang/NullPointerException", null);
        }
        int descriptor = vm.getIntField(stream, vm.field(owner, "fd"));
        return heapFiles.call(t, "open", "(Ljava/io/FileDescriptor;Ljava/lang/String;I)V", descriptor, path, mode);
    }

    private long readBytes(VmThread t, int fd, long[] s, int b) {
        int array = (int) s[b + 1];
        int off = (int) s[b + 2];
        int len = (int) s[b + 3];
        checkRange(array, off, len);
        if (len == 0) {
            return 0;   // as HotSpot's readBytes: before it looks at the descriptor
        }
        if (ConsoleNatives.isConsole(fd)) {
            return ConsoleNatives.read(vm, fd, array, off, len);
        }
        return heapFiles.call(t, "read", "(I[BII)I", fd, array, off, len);
    }

    private long read(VmThread t, int fd) {
        return ConsoleNatives.isConsole(fd) ? ConsoleNatives.read(vm, fd) : heapFiles.call(t, "read", "(I)I", fd);
    }

    private long writeBytes(VmThread t, int fd, long[] s, int b) {
        int array = (int) s[b + 1];
        int off = (int) s[b + 2];
        int len = (int) s[b + 3];
        checkRange(array, off, len);
        if (len == 0) {
            return 0;   // as HotSpot's writeBytes: before it looks at the descriptor
        }
        if (ConsoleNatives.isConsole(fd)) {
            ConsoleNatives.write(vm, fd, array, off, len);
            return 0;
        }
        return heapFiles.call(t, "write", "(I[BII)V", fd, array, off, len);
    }

    private long write(VmThread t, int fd, int value) {
        if (ConsoleNatives.isConsole(fd)) {
            ConsoleNatives.write(vm, fd, value);
            return 0;
        }
        return heapFiles.call(t, "write", "(II)V", fd, value);
    }

    /** The descriptor number of {@code stream}'s {@code fd} field (-1 once closed). */
    private int fd(int stream, String owner) {
        return number(vm, vm.getIntField(stream, vm.field(owner, "fd")));
    }

    /** The number a {@code java.io.FileDescriptor} holds (-1 once closed). */
    static int number(Vm vm, int fileDescriptor) {
        return vm.getIntField(fileDescriptor, vm.field(FD, "fd"));
    }

    /** Sets a {@code FileDescriptor}'s number, as the JDK's natives do when they open or accept. */
    static void setNumber(Vm vm, int fileDescriptor, int number) {
        vm.putIntField(fileDescriptor, vm.field(FD, "fd"), number);
    }

    /** {@code off} and {@code len} must lie within the byte array (NullPointerException, IndexOutOfBoundsException). */
    private void checkRange(int array, int off, int len) {
        if (array == 0) {
            throw new JavaError("java/lang/NullPointerException", null);
        }
        if (off < 0 || len < 0 || (long) off + len > vm.arrayLength(array)) {
            throw new JavaError("java/lang/IndexOutOfBoundsException", null);
        }
    }
}
