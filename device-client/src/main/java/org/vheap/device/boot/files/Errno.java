package org.vheap.device.boot.files;

/**
 * The POSIX error numbers the app's file system answers with (Linux's values, which the JDK's
 * {@code sun.nio.fs.UnixException} tests), and the messages the C library's {@code strerror} gives them: the text
 * HotSpot puts in its exceptions ("x.txt (No such file or directory)").
 */
final class Errno {
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EIO = 5;
    static final int EBADF = 9;
    static final int EACCES = 13;
    static final int EBUSY = 16;
    static final int EEXIST = 17;
    static final int EXDEV = 18;
    static final int ENOTDIR = 20;
    static final int EISDIR = 21;
    static final int EINVAL = 22;
    static final int ENOSPC = 28;
    static final int EROFS = 30;
    static final int ENOTEMPTY = 39;
    /** No medium found: on a vheap device, a path under a mount the device does not have. */
    static final int ENOMEDIUM = 123;

    private Errno() {
    }

    static String message(int errno) {
        switch (errno) {
            case EPERM: return "Operation not permitted";
            case ENOENT: return "No such file or directory";
            case EIO: return "Input/output error";
            case EBADF: return "Bad file descriptor";
            case EACCES: return "Permission denied";
            case EBUSY: return "Device or resource busy";
            case EEXIST: return "File exists";
            case EXDEV: return "Invalid cross-device link";
            case ENOTDIR: return "Not a directory";
            case EISDIR: return "Is a directory";
            case EINVAL: return "Invalid argument";
            case ENOSPC: return "No space left on device";
            case EROFS: return "Read-only file system";
            case ENOTEMPTY: return "Directory not empty";
            case ENOMEDIUM: return "No medium found: the mount " + Mounts.lastMissing + " is not on this device";
            default: return "Unknown error " + errno;
        }
    }
}
