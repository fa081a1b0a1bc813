// The corners of files: zero-length reads and writes (at any position, on a closed stream), the empty path, a file
// deleted while open (still readable and writable through its descriptor, gone by name), renames a directory
// cannot make, transfers between channels, a file created with permissions, and threads writing files at once.
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

public class F06EdgeCases {
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("vheap-f06-");
        try {
            run(dir);
        } finally {
            for (File f : dir.toFile().listFiles()) {
                File[] inner = f.listFiles();
                if (inner != null) {
                    for (File g : inner) {
                        g.delete();
                    }
                }
                f.delete();
            }
            System.out.println("cleaned up " + dir.toFile().delete());
        }
    }

    static void run(Path dir) throws Exception {
        File f = dir.resolve("zero.bin").toFile();
        try (RandomAccessFile raf = new RandomAccessFile(f, "rw")) {
            raf.seek(100);
            raf.write(new byte[0]);
            System.out.println("zero-length write at 100: length " + raf.length() + ", read of 0 " + raf.read(new byte[4], 0, 0));
        }
        FileOutputStream closed = new FileOutputStream(f);
        closed.close();
        closed.write(new byte[0]);
        System.out.println("zero-length write to a closed stream: no exception");
        try {
            closed.write(new byte[1]);
        } catch (IOException e) {
            System.out.println("a byte to a closed stream: " + e.getMessage());
        }

        File empty = new File("");
        System.out.println("empty path: exists " + empty.exists() + ", isDirectory " + empty.isDirectory()
                + ", length " + empty.length() + ", absolute is user.dir "
                + empty.getAbsolutePath().equals(System.getProperty("user.dir")));
        try {
            new FileInputStream("");
        } catch (IOException e) {
            System.out.println("open the empty path: " + e.getMessage());
        }

        File doomed = dir.resolve("doomed.txt").toFile();
        try (RandomAccessFile raf = new RandomAccessFile(doomed, "rw")) {
            raf.write("still here".getBytes(StandardCharsets.UTF_8));
            System.out.println("deleted while open: " + doomed.delete() + ", exists " + doomed.exists());
            raf.write(", and more".getBytes(StandardCharsets.UTF_8));
            raf.seek(0);
            byte[] back = new byte[(int) raf.length()];
            raf.readFully(back);
            System.out.println("read through the descriptor: " + new String(back, StandardCharsets.UTF_8));
        }

        Path a = Files.createDirectories(dir.resolve("a/inner"));
        Files.writeString(a.resolve("x.txt"), "x");
        Path b = Files.createDirectory(dir.resolve("b"));
        Files.writeString(b.resolve("y.txt"), "y");
        System.out.println("rename a directory into itself: " + dir.resolve("a").toFile().renameTo(a.resolve("deeper").toFile()));
        System.out.println("rename onto a non-empty directory: " + dir.resolve("a").toFile().renameTo(b.toFile()));
        System.out.println("rename a file onto a directory: " + a.resolve("x.txt").toFile().renameTo(b.toFile()));
        System.out.println("rename a directory onto an empty one: " + a.toFile().renameTo(Files.createDirectory(dir.resolve("c")).toFile())
                + ", " + Files.readString(dir.resolve("c/x.txt")));

        Path source = dir.resolve("source.txt");
        Files.writeString(source, "0123456789abcdefghij".repeat(1000));
        try (FileChannel in = FileChannel.open(source);
             FileChannel out = FileChannel.open(dir.resolve("copy.txt"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            System.out.println("transferTo " + in.transferTo(5, 12_000, out) + ", copy size " + out.size());
            System.out.println("transferFrom " + out.transferFrom(in, 12_000, 20_000) + ", copy size " + out.size()
                    + ", source position " + in.position());
            System.out.println("to a stream " + in.transferTo(19_990, 100, Channels.newChannel(new java.io.ByteArrayOutputStream())));
        }
        Path secret = Files.createFile(dir.resolve("secret.txt"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        System.out.println("created with " + PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));

        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int id = t;
            threads.add(new Thread(() -> {
                for (int i = 0; i < 25; i++) {
                    try (FileOutputStream out = new FileOutputStream(dir.resolve("t" + id + "-" + i).toFile())) {
                        out.write(new byte[100 + id]);
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        long total = 0;
        int count = 0;
        for (File g : dir.toFile().listFiles()) {
            if (g.getName().startsWith("t")) {
                total += g.length();
                count++;
            }
        }
        System.out.println("threads wrote " + count + " files, " + total + " bytes");
    }
}
