// java.nio.file over the app's files: Files (write, read, lines, copy, move, createDirectories, walk, delete),
// directory streams, attributes and times, POSIX permissions, real paths, and the exceptions Files throws
// (NoSuchFileException, FileAlreadyExistsException, DirectoryNotEmptyException).
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

public class F04NioFiles {
    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("vheap-f04-");
        System.out.println("dir exists " + Files.exists(dir) + ", isDirectory " + Files.isDirectory(dir));
        Path f = dir.resolve("a.txt");
        Files.writeString(f, "hello\nworld\n");
        System.out.println("read [" + Files.readString(f).replace("\n", "|") + "], size " + Files.size(f)
                + ", lines " + Files.readAllLines(f));
        Files.write(f, List.of("x", "y"), StandardOpenOption.APPEND);
        try (Stream<String> lines = Files.lines(f)) {
            System.out.println("lines " + lines.collect(Collectors.joining(",")));
        }
        Path sub = Files.createDirectories(dir.resolve("s/t/u"));
        Files.copy(f, sub.resolve("b.txt"));
        Files.move(f, dir.resolve("c.txt"));
        System.out.println("moved: old " + Files.exists(f) + ", new " + Files.exists(dir.resolve("c.txt")));
        try (Stream<Path> walk = Files.walk(dir)) {
            System.out.println("walk " + walk.map(p -> dir.relativize(p).toString()).sorted().collect(Collectors.toList()));
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            List<String> names = new ArrayList<>();
            for (Path p : entries) {
                names.add(p.getFileName().toString());
            }
            Collections.sort(names);
            System.out.println("directory stream " + names);
        }
        failing(dir, () -> Files.delete(dir.resolve("s")));
        failing(dir, () -> Files.readString(dir.resolve("nope")));
        failing(dir, () -> Files.createDirectory(sub));
        failing(dir, () -> Files.copy(dir.resolve("c.txt"), sub.resolve("b.txt")));
        BasicFileAttributes attributes = Files.readAttributes(dir.resolve("c.txt"), BasicFileAttributes.class);
        System.out.println("attributes: size " + attributes.size() + ", regular " + attributes.isRegularFile()
                + ", directory " + attributes.isDirectory() + ", link " + attributes.isSymbolicLink());
        Files.setLastModifiedTime(dir.resolve("c.txt"), FileTime.fromMillis(1_600_000_000_000L));
        System.out.println("modified " + Files.getLastModifiedTime(dir.resolve("c.txt")).toMillis());
        System.out.println("permissions " + PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("c.txt"))));
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("d.txt"))) {
            w.write("buffered");
        }
        try (BufferedReader r = Files.newBufferedReader(dir.resolve("d.txt"))) {
            System.out.println("read back: " + r.readLine());
        }
        System.out.println("same file " + Files.isSameFile(dir.resolve("d.txt"), dir.resolve("s/../d.txt"))
                + ", real paths equal " + dir.resolve("s/../d.txt").toRealPath().equals(dir.resolve("d.txt").toRealPath()));
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        System.out.println("deleted " + Files.notExists(dir));
    }

    interface Io {
        void run() throws IOException;
    }

    static void failing(Path dir, Io io) {
        try {
            io.run();
            System.out.println("no exception");
        } catch (IOException e) {
            System.out.println(e.getClass().getSimpleName() + " " + e.getMessage().replace(dir.toString(), "DIR"));
        }
    }
}
