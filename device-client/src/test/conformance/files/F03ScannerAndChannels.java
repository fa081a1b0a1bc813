// Scanner on a file and FileChannel (read, write at the end, positional reads, truncate, lock), which the JDK runs
// over a file descriptor: on the device the descriptor is a file of the app's heap.
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.util.Scanner;

public class F03ScannerAndChannels {
    public static void main(String[] args) throws IOException {
        File f = File.createTempFile("vheap-f03-", ".txt");
        try {
            try (PrintWriter w = new PrintWriter(f, StandardCharsets.UTF_8)) {
                for (int i = 0; i < 500; i++) {
                    w.println("line " + i + " " + (long) i * i * i);
                }
            }
            try (Scanner sc = new Scanner(f, StandardCharsets.UTF_8)) {
                long sum = 0;
                int n = 0;
                while (sc.hasNext()) {
                    sc.next();
                    sum += sc.nextInt() + sc.nextLong();
                    n++;
                }
                System.out.println("scanner: " + n + " records, sum " + sum);
            }
            try (FileChannel ch = new RandomAccessFile(f, "rw").getChannel()) {
                System.out.println("size " + ch.size() + ", position " + ch.position());
                ByteBuffer bb = ByteBuffer.allocate(16);
                int n = ch.read(bb);
                System.out.println("read " + n + ", position " + ch.position() + " ["
                        + new String(bb.array(), 0, bb.position(), StandardCharsets.UTF_8).replace('\n', '|') + "]");
                ch.position(ch.size());
                System.out.println("wrote " + ch.write(ByteBuffer.wrap("tail\n".getBytes(StandardCharsets.UTF_8)))
                        + ", size " + ch.size());
                ByteBuffer at = ByteBuffer.allocate(6);
                System.out.println("positional read " + ch.read(at, 5) + " [" + new String(at.array(), StandardCharsets.UTF_8)
                        + "], position still " + ch.position());
                ByteBuffer[] parts = {ByteBuffer.allocate(3), ByteBuffer.allocate(4)};
                ch.position(0);
                System.out.println("scattering read " + ch.read(parts) + ": " + new String(parts[0].array(), StandardCharsets.UTF_8)
                        + "/" + new String(parts[1].array(), StandardCharsets.UTF_8));
                ch.truncate(100);
                System.out.println("truncated: size " + ch.size() + ", position " + ch.position());
                try (FileLock lock = ch.lock()) {
                    System.out.println("locked " + lock.isValid() + ", shared " + lock.isShared());
                }
                ch.position(200);
                System.out.println("read past the end " + ch.read(ByteBuffer.allocate(4)));
            }
            try (FileInputStream in = new FileInputStream(f)) {
                FileChannel ch = in.getChannel();
                in.read(new byte[10]);
                System.out.println("a stream's channel shares its position: " + ch.position() + ", size " + ch.size());
            }
        } finally {
            System.out.println("deleted " + f.delete());
        }
    }
}
