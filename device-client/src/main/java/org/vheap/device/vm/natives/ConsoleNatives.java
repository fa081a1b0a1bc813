package org.vheap.device.vm.natives;

import java.io.IOException;
import java.io.PrintStream;
import org.vheap.device.vm.JavaError;
import org.vheap.device.vm.Vm;
import org.vheap.device.vm.loader.VmField;

/**
 * The file-descriptor natives behind System.in/out/err, wired to the device's console. Other files are
 * device resources that an app reaches only through leases (a later issue): opening one fails with
 * FileNotFoundException.
 */
final class ConsoleNatives {
    private ConsoleNatives() {
    }

    static void register(Natives n, Vm vm) {
        n.register("java/io/FileDescriptor", "getHandle", "(I)J", (t, s, b) -> -1);
        n.register("java/io/FileDescriptor", "getAppend", "(I)Z", (t, s, b) -> 0);
        n.register("java/io/FileDescriptor", "close0", "()V", Natives.nothing());
        n.register("java/io/FileDescriptor", "sync", "()V", Natives.nothing());
        String fos = "java/io/FileOutputStream";
        n.register(fos, "writeBytes", "([BIIZ)V", (t, s, b) -> {
            PrintStream out = stream(vm, (int) s[b], "java/io/FileOutputStream");
            int array = (int) s[b + 1];
            int off = (int) s[b + 2];
            int len = (int) s[b + 3];
            checkRange(vm, array, off, len);
            out.write(vm.bytesOf(array, off, len), 0, len);
            out.flush();
            return 0;
        });
        n.register(fos, "write", "(IZ)V", (t, s, b) -> {
            PrintStream out = stream(vm, (int) s[b], "java/io/FileOutputStream");
            out.write((int) s[b + 1]);
            out.flush();
            return 0;
        });
        n.register(fos, "open0", "(Ljava/lang/String;Z)V", (t, s, b) -> {
            throw notOnThisDevice(vm, (int) s[b + 1]);
        });
        String fis = "java/io/FileInputStream";
        n.register(fis, "readBytes", "([BII)I", (t, s, b) -> {
            requireStdin(vm, (int) s[b]);
            int array = (int) s[b + 1];
            int off = (int) s[b + 2];
            int len = (int) s[b + 3];
            checkRange(vm, array, off, len);
            if (len == 0) {
                return 0;
            }
            byte[] buf = new byte[len];
            int r = stdin(() -> vm.console().in().read(buf, 0, len));
            for (int i = 0; i < r; i++) {
                vm.memory().putByte(Vm.elementAddress(array, off + i, 0), buf[i]);
            }
            return r;
        });
        n.register(fis, "read0", "()I", (t, s, b) -> {
            requireStdin(vm, (int) s[b]);
            return stdin(() -> vm.console().in().read());
        });
        n.register(fis, "available0", "()I", (t, s, b) -> {
            requireStdin(vm, (int) s[b]);
            return stdin(() -> vm.console().in().available());
        });
        n.register(fis, "open0", "(Ljava/lang/String;)V", (t, s, b) -> {
            throw notOnThisDevice(vm, (int) s[b + 1]);
        });
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

    /** {@code off} and {@code len} must lie within the byte array (NullPointerException, IndexOutOfBoundsException). */
    private static void checkRange(Vm vm, int array, int off, int len) {
        if (array == 0) {
            throw new JavaError("java/lang/NullPointerException", null);
        }
        if (off < 0 || len < 0 || (long) off + len > vm.arrayLength(array)) {
            throw new JavaError("java/lang/IndexOutOfBoundsException", null);
        }
    }

    /** Opening a file: files are device resources, which an app reaches only through leases. */
    private static JavaError notOnThisDevice(Vm vm, int path) {
        return new JavaError("java/io/FileNotFoundException", vm.strings().hostString(path)
                + " (files are device resources; not available to this app)");
    }

    private static int fd(Vm vm, int stream, String owner) {
        VmField fdField = vm.field(owner, "fd");
        int descriptor = vm.getIntField(stream, fdField);
        return vm.getIntField(descriptor, vm.field("java/io/FileDescriptor", "fd"));
    }

    private static PrintStream stream(Vm vm, int stream, String owner) {
        return switch (fd(vm, stream, owner)) {
            case 1 -> vm.console().out();
            case 2 -> vm.console().err();
            default -> throw new JavaError("java/io/IOException", "Stream Closed");
        };
    }

    private static void requireStdin(Vm vm, int stream) {
        if (fd(vm, stream, "java/io/FileInputStream") != 0) {
            throw new JavaError("java/io/IOException", "Stream Closed");
        }
    }
}
