// Files with java.io: create, write, read back, append, list, rename, delete, sizes, a missing file's exception,
// and what File says of directories. Everything happens in a fresh directory under java.io.tmpdir, and only names
// relative to it are printed, so HotSpot (on the host's /tmp) and the device (in its heap) print the same.
import java.io.BufferedReader;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.FileReader;
import java.io.FileWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Scanner;

public class F01FileBasics {
    public static void main(String[] args) throws IOException {
        File dir = File.createTempFile("vheap-f01-", "");
        System.out.println("temp file made: " + dir.isFile() + ", length " + dir.length() + ", deleted " + dir.delete());
        System.out.println("mkdir " + dir.mkdir() + ", again " + dir.mkdir() + ", isDirectory " + dir.isDirectory()
                + ", isFile " + dir.isFile() + ", canRead " + dir.canRead() + ", canWrite " + dir.canWrite());
        try {
            run(dir);
        } finally {
            deleteTree(dir);
            System.out.println("cleaned up: " + !dir.exists());
        }
    }

    static void run(File dir) throws IOException {
        File notes = new File(dir, "notes.txt");
        System.out.println("before: exists " + notes.exists() + ", length " + notes.length());
        try (PrintWriter w = new PrintWriter(new FileWriter(notes))) {
            w.println("first line");
            w.println("second line, with ünïcödé");
            w.printf("%d squared is %d%n", 12, 144);
        }
        System.out.println("after: exists " + notes.exists() + ", isFile " + notes.isFile() + ", length " + notes.length());
        try (BufferedReader r = new BufferedReader(new FileReader(notes, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                System.out.println("  read [" + line + "]");
            }
        }
        try (FileOutputStream out = new FileOutputStream(notes, true)) {
            out.write("appended\n".getBytes(StandardCharsets.UTF_8));
            out.write('!');
        }
        System.out.println("appended: length " + notes.length());
        try (Scanner sc = new Scanner(new FileInputStream(notes), StandardCharsets.UTF_8)) {
            int n = 0;
            while (sc.hasNextLine()) {
                sc.nextLine();
                n++;
            }
            System.out.println("scanner counted " + n + " lines");
        }
        try (InputStream in = new FileInputStream(notes)) {
            System.out.println("available " + in.available() + ", skip 6 -> " + in.skip(6) + ", read " + (char) in.read()
                    + ", then " + new String(in.readNBytes(4), StandardCharsets.UTF_8) + ", available " + in.available());
            byte[] rest = in.readAllBytes();
            System.out.println("rest " + rest.length + " bytes, then read " + in.read());
        }

        byte[] data = new byte[100_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + i / 7);
        }
        File big = new File(dir, "big.bin");
        try (FileOutputStream out = new FileOutputStream(big)) {
            out.write(data, 0, 40_000);
            out.write(data, 40_000, data.length - 40_000);
        }
        byte[] back;
        try (FileInputStream in = new FileInputStream(big)) {
            back = in.readAllBytes();
        }
        System.out.println("big: length " + big.length() + ", same bytes " + Arrays.equals(data, back));
        try (FileOutputStream out = new FileOutputStream(big)) {
            out.write(1);
        }
        System.out.println("rewritten: length " + big.length());

        File sub = new File(dir, "sub/deeper");
        System.out.println("mkdir without parent " + sub.mkdir() + ", mkdirs " + sub.mkdirs() + ", exists " + sub.exists());
        File moved = new File(sub, "moved.txt");
        System.out.println("rename " + notes.renameTo(moved) + ", old exists " + notes.exists() + ", new length "
                + moved.length());
        String[] names = dir.list();
        Arrays.sort(names);
        System.out.println("list " + Arrays.toString(names));
        File[] files = sub.listFiles();
        System.out.println("listFiles of sub/deeper: " + files.length + " " + files[0].getName());
        System.out.println("list of a file: " + big.list() + ", of a missing one: " + new File(dir, "nope").list());
        System.out.println("delete non-empty directory: " + new File(dir, "sub").delete());
        System.out.println("createNewFile " + new File(dir, "empty").createNewFile() + ", again "
                + new File(dir, "empty").createNewFile());

        File missing = new File(dir, "missing.txt");
        try {
            new FileInputStream(missing);
        } catch (FileNotFoundException e) {
            System.out.println("FileNotFoundException " + e.getMessage().replace(dir.getPath(), "DIR"));
        }
        try {
            new FileInputStream(dir);
        } catch (FileNotFoundException e) {
            System.out.println("FileNotFoundException " + e.getMessage().replace(dir.getPath(), "DIR"));
        }
        try {
            new FileOutputStream(new File(dir, "no/such/dir.txt"));
        } catch (FileNotFoundException e) {
            System.out.println("FileNotFoundException " + e.getMessage().replace(dir.getPath(), "DIR"));
        }
        try {
            new File(dir, "no/such/file").createNewFile();
        } catch (IOException e) {
            System.out.println("IOException " + e.getMessage());
        }
        System.out.println("delete missing: " + missing.delete());
        File relative = new File(dir, "sub/../sub/./deeper/moved.txt");
        System.out.println("canonical: " + relative.getCanonicalPath().replace(dir.getCanonicalPath(), "DIR")
                + ", exists " + relative.exists());
        long stamp = 1_600_000_000_000L;
        System.out.println("setLastModified " + moved.setLastModified(stamp) + ", lastModified " + moved.lastModified());
    }

    static void deleteTree(File f) {
        File[] children = f.listFiles();
        if (children != null) {
            for (File c : children) {
                deleteTree(c);
            }
        }
        f.delete();
    }
}
