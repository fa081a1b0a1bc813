package org.vheap.device.vm.natives;

import org.vheap.device.vm.Vm;
import org.vheap.device.vm.loader.VmClass;
import org.vheap.device.vm.thread.DeferredCall;
import org.vheap.device.vm.thread.VmThread;

/**
 * {@code java.nio.file} over the app's files: the JDK's Unix file system provider runs unmodified, and the POSIX calls
 * it makes through {@code sun.nio.fs.UnixNativeDispatcher} (whose own methods copy paths into native memory first)
 * are substituted, method by method, with {@code org.vheap.device.boot.files.PosixFiles}, the heap file system's
 * POSIX face. The dispatcher reports no optional capability ({@code openat}, {@code futimens}, extended attributes),
 * so the provider takes its plain paths. Here too: the two natives that reach into the JDK's objects (an error's
 * {@code UnixException} and the fields of the attribute classes).
 */
final class PathNatives {
    private static final String DISPATCHER = "sun/nio/fs/UnixNativeDispatcher";
    private static final String POSIX = "org/vheap/device/boot/files/PosixFiles";
    private static final String PATH = "Lsun/nio/fs/UnixPath;";
    private static final String ATTRS = "Lsun/nio/fs/UnixFileAttributes;";
    private static final String OBJ = "Ljava/lang/Object;";
    private static final long BLOCK = 4096;

    private PathNatives() {
    }

    static void register(Natives n, Vm vm) {
        BootCalls posix = new BootCalls(vm, POSIX);
        forward(posix, n, "open", "(" + PATH + "II)I", "open");
        forward(posix, n, "close", "(I)V", "close");
        forward(posix, n, "mkdir", "(" + PATH + "I)V", "mkdir");
        forward(posix, n, "rmdir", "(" + PATH + ")V", "rmdir");
        forward(posix, n, "unlink", "(" + PATH + ")V", "unlink");
        forward(posix, n, "rename", "(" + PATH + PATH + ")V", "rename");
        forward(posix, n, "realpath", "(" + PATH + ")[B", "realpath");
        forward(posix, n, "readlink", "(" + PATH + ")[B", "readlink");
        forward(posix, n, "stat", "(" + PATH + ATTRS + ")V", "stat");
        forward(posix, n, "lstat", "(" + PATH + ATTRS + ")V", "stat");
        forward(posix, n, "stat", "(" + PATH + ")I", "stat");
        forward(posix, n, "fstat", "(I" + ATTRS + ")V", "fstat");
        forward(posix, n, "chmod", "(" + PATH + "I)V", "chmod");
        forward(posix, n, "utimes", "(" + PATH + "JJ)V", "utimes");
        forward(posix, n, "fchmod", "(II)V", "fchmod");
        n.register(DISPATCHER, "fchown", "(III)V", Natives.nothing());   // the one user owns every file
        n.register(DISPATCHER, "flistxattr", "(IJI)I", (t, s, b) -> 0);   // no extended attributes
        forward(posix, n, "lutimes", "(" + PATH + "JJ)V", "utimes");
        forward(posix, n, "access", "(" + PATH + "I)V", "access");
        forward(posix, n, "exists", "(" + PATH + ")Z", "exists");
        forward(posix, n, "opendir", "(" + PATH + ")J", "opendir");
        forward(posix, n, "readdir", "(J)[B", "readdir");
        forward(posix, n, "closedir", "(J)V", "closedir");
        forward(posix, n, "statvfs", "(" + PATH + "Lsun/nio/fs/UnixFileStoreAttributes;)V", "statvfs");
        forward(posix, n, "getcwd", "()[B", "getcwd");
        forward(posix, n, "strerror", "(I)[B", "strerror");
        forward(posix, n, "getpwuid", "(I)[B", "userName");
        forward(posix, n, "getgrgid", "(I)[B", "userName");
        n.register(DISPATCHER, "init", "()I", (t, s, b) -> 0);
        posix.forward(n, "sun/nio/fs/UnixCopyFile", "transfer", "(IIJ)V", "transfer", "(IIJ)V", false);

        n.register(POSIX, "raise", "(I)Ljava/lang/RuntimeException;", (t, s, b) -> raise(vm, t, (int) s[b]));
        n.register(POSIX, "setAttributes", "(" + OBJ + "IJIJJ)V", (t, s, b) -> {
            int a = (int) s[b];
            String owner = "sun/nio/fs/UnixFileAttributes";
            vm.putIntField(a, vm.field(owner, "st_mode"), (int) s[b + 1]);
            vm.putLongField(a, vm.field(owner, "st_ino"), s[b + 2]);
            vm.putLongField(a, vm.field(owner, "st_dev"), 1);
            vm.putIntField(a, vm.field(owner, "st_nlink"), (int) s[b + 4]);
            vm.putLongField(a, vm.field(owner, "st_size"), s[b + 5]);
            long millis = s[b + 7];
            for (String time : new String[] {"atime", "mtime", "ctime"}) {
                vm.putLongField(a, vm.field(owner, "st_" + time + "_sec"), Math.floorDiv(millis, 1000));
                vm.putLongField(a, vm.field(owner, "st_" + time + "_nsec"), Math.floorMod(millis, 1000) * 1_000_000L);
            }
            return 0;
        });
        n.register(POSIX, "setStoreAttributes", "(" + OBJ + "JJ)V", (t, s, b) -> {
            int a = (int) s[b];
            String owner = "sun/nio/fs/UnixFileStoreAttributes";
            vm.putLongField(a, vm.field(owner, "f_frsize"), BLOCK);
            vm.putLongField(a, vm.field(owner, "f_blocks"), s[b + 1] / BLOCK);
            vm.putLongField(a, vm.field(owner, "f_bfree"), s[b + 3] / BLOCK);
            vm.putLongField(a, vm.field(owner, "f_bavail"), s[b + 3] / BLOCK);
            return 0;
        });
    }

    /** The dispatcher's {@code name(descriptor)} as PosixFiles' {@code target}, every JDK-internal type an Object. */
    private static void forward(BootCalls posix, Natives n, String name, String descriptor, String target) {
        String targetDescriptor = descriptor.replaceAll("Lsun/nio/fs/\\w+;", OBJ);
        posix.forward(n, DISPATCHER, name, descriptor, target, targetDescriptor, false);
    }

    /**
     * Throws {@code new UnixException(errno)} from the caller of {@code PosixFiles.raise}: constructs it, then has
     * {@code PosixFiles.rethrow} throw it, both as calls that run right after this native returns.
     */
    private static long raise(Vm vm, VmThread t, int errno) {
        VmClass exception = vm.classes().load("sun/nio/fs/UnixException");
        int e = vm.newObject(exception);
        t.defer(new DeferredCall(exception.declaredMethod("<init>", "(I)V"), new long[] {e, errno}, VmThread.RETURN_DISCARD));
        t.defer(new DeferredCall(vm.classes().load(POSIX).declaredMethod("rethrow", "(Ljava/lang/Throwable;)V"),
                new long[] {e}, VmThread.RETURN_REPLACE));
        t.deferredInit.add(exception);
        return 0;
    }
}
