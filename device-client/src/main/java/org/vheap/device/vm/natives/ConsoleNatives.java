package org.vheap.device.vm.natives;

import java.io.IOException;
import java.io.PrintStream;
import org.vheap.device.vm.JavaError;
import org.vheap.device.vm.Vm;

/**
 * The console behind descriptors 0, 1 and 2 ({@code System.in/out/err}), wired to the device's console. The stream
 * natives ({@link FileNatives}) come here for those descriptors; every other descriptor is a file of the app's own
 * file system.
 */
final class ConsoleNatives {
    static final int STDIN = 0;
    static final int STDOUT = 1;
    static final int STDERR = 2;

    private ConsoleNatives() {
    }

    /** Whether {@code fd} is the console's. */
    static boolean isConsole(int fd) {
        return fd >= STDIN && fd <= STDERR;
    }

    static void write(Vm vm, int fd, int array, int off, int len) {
        PrintStream out = out(vm, fd);
        out.write(vm.bytesOf(array, off, len), 0, len);
        out.flush();
    }

    static void write(Vm vm, int fd, int b) {
        PrintStream out = out(vm, fd);
        out.write(b);
        out.flush();
    }

    static int read(Vm vm, int fd, int array, int off, int len) {
        requireStdin(fd);
        if (len == 0) {
            return 0;
        }
        byte[] buf = new byte[len];
        int r = stdin(() -> vm.console().in().read(buf, 0, len));
        if (r > 0) {
            vm.putBytes(array, off, buf, r);
        }
        return r;
    }

    static int read(Vm vm, int fd) {
        requireStdin(fd);
        return stdin(() -> vm.console().in().read());
    }

    static int available(Vm vm, int fd) {
        requireStdin(fd);
        return stdin(() -> vm.console().in().available());
    }

    /** A read of the console's standard input. */
    private interface StdinRead {
        int read() throws IOException;
    }

    /** Reads standard input; an I/O error of the host's is the app's IOException. */
    private static int stdin(StdinRead read) {
        try {
            return read.read();
        } catch (IOException e) {
            throw new JavaError("java/io/IOException", e.getMessage());
        }
    }

    private static PrintStream out(Vm vm, int fd) {
        return switch (fd) {
            case STDOUT -> vm.console().out();
            case STDERR -> vm.console().err();
            default -> throw new JavaError("java/io/IOException", "Bad file descriptor");
        };
    }

    private static void requireStdin(int fd) {
        if (fd != STDIN) {
            throw new JavaError("java/io/IOException", "Bad file descriptor");
        }
    }
}
