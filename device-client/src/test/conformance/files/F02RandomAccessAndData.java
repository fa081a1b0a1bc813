// RandomAccessFile (seek, read and write in place, setLength, the file pointer), Data streams over files,
// temp files in a directory, SecureRandom (which reads /dev/urandom on both), and /dev/null.
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.security.SecureRandom;

public class F02RandomAccessAndData {
    public static void main(String[] args) throws IOException {
        File dir = File.createTempFile("vheap-f02-", "");
        dir.delete();
        dir.mkdir();
        try {
            run(dir);
        } finally {
            for (File f : dir.listFiles()) {
                f.delete();
            }
            System.out.println("cleaned up: " + dir.delete());
        }
    }

    static void run(File dir) throws IOException {
        File f = new File(dir, "table.dat");
        try (RandomAccessFile raf = new RandomAccessFile(f, "rw")) {
            System.out.println("new: length " + raf.length() + ", pointer " + raf.getFilePointer());
            for (int i = 0; i < 10; i++) {
                raf.writeInt(i * i);
            }
            raf.writeUTF("tail");
            System.out.println("written: length " + raf.length() + ", pointer " + raf.getFilePointer());
            raf.seek(12);
            System.out.println("at 12: " + raf.readInt() + ", pointer " + raf.getFilePointer());
            raf.seek(20);
            raf.writeInt(-1);
            raf.seek(16);
            System.out.println("after overwrite: " + raf.readInt() + " " + raf.readInt() + " " + raf.readInt());
            raf.seek(40);
            System.out.println("utf: " + raf.readUTF() + ", read at end " + raf.read());
            raf.seek(100);
            raf.write(7);
            System.out.println("written past the end: length " + raf.length());
            raf.seek(60);
            System.out.println("the gap reads zeros: " + raf.read() + " " + raf.read());
            raf.setLength(8);
            System.out.println("truncated: length " + raf.length() + ", pointer " + raf.getFilePointer());
            raf.setLength(16);
            raf.seek(8);
            System.out.println("grown: length " + raf.length() + ", reads " + raf.readLong());
            try {
                raf.seek(-1);
            } catch (IOException e) {
                System.out.println("seek -1: " + e.getMessage());
            }
        }
        try (RandomAccessFile ro = new RandomAccessFile(f, "r")) {
            ro.seek(4);
            System.out.println("read-only: " + ro.readInt());
            try {
                ro.write(1);
            } catch (IOException e) {
                System.out.println("write to a read-only RandomAccessFile: " + e.getClass().getName());
            }
        }
        try {
            new RandomAccessFile(new File(dir, "absent"), "r");
        } catch (IOException e) {
            System.out.println(e.getClass().getSimpleName() + " " + e.getMessage().replace(dir.getPath(), "DIR"));
        }

        File data = new File(dir, "data.bin");
        try (DataOutputStream out = new DataOutputStream(new FileOutputStream(data))) {
            out.writeLong(Long.MIN_VALUE);
            out.writeDouble(Math.PI);
            out.writeUTF("données");
            out.writeBoolean(true);
        }
        try (DataInputStream in = new DataInputStream(new FileInputStream(data))) {
            System.out.println("data: " + in.readLong() + " " + in.readDouble() + " " + in.readUTF() + " " + in.readBoolean());
            in.readByte();
        } catch (EOFException e) {
            System.out.println("EOFException at the end");
        }

        File t1 = File.createTempFile("part", ".tmp", dir);
        File t2 = File.createTempFile("part", ".tmp", dir);
        System.out.println("temp files: " + t1.getName().startsWith("part") + " " + t1.getName().endsWith(".tmp")
                + ", distinct " + !t1.equals(t2) + ", in dir " + t1.getParentFile().equals(dir) + ", exist " + t1.exists());
        t2.deleteOnExit();

        SecureRandom random = new SecureRandom();
        byte[] bytes = new byte[64];
        random.nextBytes(bytes);
        int nonZero = 0;
        for (byte b : bytes) {
            nonZero += b != 0 ? 1 : 0;
        }
        System.out.println("secure random: " + (nonZero > 40) + ", int in range " + (random.nextInt(10) < 10));
        try (FileOutputStream nul = new FileOutputStream("/dev/null")) {
            nul.write(new byte[1000]);
        }
        try (FileInputStream nul = new FileInputStream("/dev/null")) {
            System.out.println("/dev/null reads " + nul.read());
        }
    }
}
