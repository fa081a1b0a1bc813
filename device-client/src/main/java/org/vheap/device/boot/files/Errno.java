package org.vheap.device.boot.files;

/**
 * The POSIX error numbers the app's file system answers with (Linux's values, which the JDK's
 * {@code sun.nio.fs.UnixException} tests), and the messages the C library's {@code strerror} gives them: the text
 * HotSpot puts in its exceptions ("x.txt (No such file or directory)").
 */
final class Errno {
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EBADF = 9;
    static final int EACCES = 13;
    static final int EEXIST = 17;
    static final int ENOTDIR = 20;
    static final int EISDIR = 21;
    static final int EINVAL = 22;
    static final int ENOSPC = 28;
    static final int ENOTEMPTY = 39;

    private Errno() {
    }

    static String message(int errno) {
        switch (errno) {
            case EPERM: return "Operation not permitted";
            case ENOENT: return "No such file or directory";
            case EBADF: return "Bad file descriptor";
            case EACCES: return "Permission denied";
            case EEXIST: return "File exists";
            case ENOTDIR: return "Not a directory";
            case EISDIR: return "Is a directory";
            case EINVAL: return "Invalid argument";
            case ENOSPC: return "No space left on device";
            case ENOTEMPTY: return "Directory not empty";
            default: return "Unknown error " + errno;
        }
    }
}
