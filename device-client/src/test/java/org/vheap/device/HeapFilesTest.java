package org.vheap.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.device.store.HeapStore;
import org.vheap.device.store.MemoryHeapStore;
import org.vheap.server.testing.TestHeaps;

/**
 * The app's own files live in its heap: a checkpoint holds them exactly, with the app's open streams, and a
 * resume on another device finds them as they were at the checkpoint, not as the first device left them.
 */
class HeapFilesTest {
    @RegisterExtension
    static final TestStores.Server SERVER = new TestStores.Server();

    /**
     * Writes a journal, keeps a reader open in its middle, checkpoints, then writes another file and appends to
     * the journal. Every run and every resume from the checkpoint must print the same after it.
     */
    private static final String JOURNAL = """
            import java.io.*;
            import org.vheap.api.Checkpoint;
            public class Journal {
                public static void main(String[] a) throws Exception {
                    File journal = new File("journal.txt");
                    try (PrintWriter w = new PrintWriter(new FileWriter(journal))) {
                        for (int i = 0; i < 2000; i++) w.println("entry " + i);
                    }
                    byte[] blob = new byte[300_000];
                    for (int i = 0; i < blob.length; i++) blob[i] = (byte) (i * 7 + i / 1000);
                    try (FileOutputStream out = new FileOutputStream(new File(System.getProperty("java.io.tmpdir"), "blob.bin"))) {
                        out.write(blob);
                    }
                    RandomAccessFile reader = new RandomAccessFile(journal, "r");
                    reader.seek(journal.length() / 2);
                    reader.readLine();
                    long id = Checkpoint.now();
                    System.err.println("checkpoint " + id);
                    File after = new File("after.txt");
                    System.out.println("after.txt before writing it: " + after.exists());
                    try (FileWriter w = new FileWriter(after)) { w.write("written after the checkpoint"); }
                    System.out.println("journal length " + journal.length() + ", reader at " + reader.getFilePointer()
                            + ", next line [" + reader.readLine() + "]");
                    try (FileWriter w = new FileWriter(journal, true)) { w.write("appended after the checkpoint\\n"); }
                    System.out.println("journal length now " + journal.length());
                    byte[] back;
                    try (FileInputStream in = new FileInputStream(new File(System.getProperty("java.io.tmpdir"), "blob.bin"))) {
                        back = in.readAllBytes();
                    }
                    System.out.println("blob same " + java.util.Arrays.equals(blob, back));
                    reader.close();
                }
            }
            """;

    /** Fills the file space, then shows that the refused write changed nothing and that deleting frees space. */
    private static final String FILL = """
            import java.io.*;
            public class Fill {
                public static void main(String[] a) throws Exception {
                    File f = new File("fill.bin");
                    byte[] chunk = new byte[10_000];
                    int written = 0;
                    try (FileOutputStream out = new FileOutputStream(f)) {
                        while (true) {
                            out.write(chunk);
                            written++;
                        }
                    } catch (IOException e) {
                        System.out.println(e.getClass().getName() + ": " + e.getMessage());
                    }
                    System.out.println("chunks " + written + ", length " + f.length());
                    try (FileOutputStream other = new FileOutputStream("other.bin")) {
                        other.write(new byte[20_000]);
                    } catch (IOException e) {
                        System.out.println("other: " + e.getMessage() + ", its length " + new File("other.bin").length());
                    }
                    System.out.println("usable " + (f.getUsableSpace() < 10_000) + ", total " + f.getTotalSpace());
                    System.out.println("deleted " + f.delete());
                    try (FileOutputStream other = new FileOutputStream("other.bin")) {
                        other.write(new byte[20_000]);
                    }
                    System.out.println("other now " + new File("other.bin").length());
                }
            }
            """;

    @Test
    void filesWrittenBeforeACheckpointAreThereAfterAResumeElsewhereAndFilesWrittenAfterItAreNot() throws Exception {
        try (MemoryHeapStore store = new MemoryHeapStore()) {
            checkpointAndResumeElsewhere(store);
        }
    }

    @Test
    void overTheHeapServerTheFilesAreTheCheckpointsToo() throws Exception {
        checkpointAndResumeElsewhere(SERVER.store());
    }

    /**
     * Runs the journal to its end on device a, then resumes it from its checkpoint on b and c (b with a quarter of
     * the memory, so the files page): the first device wrote after.txt and appended to the journal after the
     * checkpoint; neither reaches a resumed app, which prints exactly what a did after the checkpoint.
     */
    private static void checkpointAndResumeElsewhere(HeapStore store) throws Exception {
        Path classes = ResumeTest.compile("Journal", JOURNAL);
        List<Path> cp = List.of(classes, ResumeTest.apiClasses());
        String app = TestHeaps.app("journal");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(new Device(new DeviceConfig().app(app).deviceName("a"), store, console(out, err))
                .run(cp, "Journal", List.of())).isZero();
        String first = out.toString(StandardCharsets.UTF_8);
        assertThat(first).isEqualTo("""
                after.txt before writing it: false
                journal length 20890, reader at 10451, next line [entry 1051]
                journal length now 20920
                blob same true
                """);
        long checkpoint = Long.parseLong(err.toString(StandardCharsets.UTF_8).strip().substring("checkpoint ".length()));
        for (String device : List.of("b", "c")) {
            ByteArrayOutputStream again = new ByteArrayOutputStream();
            Device resumed = new Device(new DeviceConfig().app(app).deviceName(device).memoryBytes(256 << 10), store,
                    console(again, new ByteArrayOutputStream()));
            assertThat(resumed.resume(checkpoint)).isZero();
            assertThat(again.toString(StandardCharsets.UTF_8)).as("resumed on %s", device).isEqualTo(first);
        }
    }

    @Test
    void theFileSpaceBoundsTheAppsFilesAndARefusedWriteChangesNothing() throws Exception {
        Path classes = ResumeTest.compile("Fill", FILL);
        try (MemoryHeapStore store = new MemoryHeapStore()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            DeviceConfig config = new DeviceConfig().app(TestHeaps.app("fill")).fileSpaceBytes(100_000);
            assertThat(new Device(config, store, console(out, new ByteArrayOutputStream())).run(List.of(classes), "Fill",
                    List.of())).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("""
                    java.io.IOException: No space left on device
                    chunks 10, length 100000
                    other: No space left on device, its length 0
                    usable true, total 100000
                    deleted true
                    other now 20000
                    """);
        }
    }

    /**
     * The JDK's data under java.home is read-only for good and never counts against the file space; a file deleted
     * while open keeps its bytes counted until its last descriptor closes.
     */
    private static final String SPACE = """
            import java.io.*;
            public class Space {
                public static void main(String[] a) throws Exception {
                    File security = new File(System.getProperty("java.home"), "conf/security/java.security");
                    long free = security.getUsableSpace();
                    try (FileInputStream in = new FileInputStream(security)) {
                        System.out.println("read the JDK's " + (in.readAllBytes().length == security.length()));
                    }
                    System.out.println("free unchanged " + (security.getUsableSpace() == free)
                            + ", setWritable " + security.setWritable(true) + ", canWrite " + security.canWrite()
                            + ", delete " + security.delete());
                    try {
                        new FileOutputStream(security);
                    } catch (FileNotFoundException e) {
                        System.out.println(e.getMessage().endsWith("(Permission denied)"));
                    }
                    File doomed = new File("doomed.bin");
                    RandomAccessFile raf = new RandomAccessFile(doomed, "rw");
                    raf.write(new byte[30_000]);
                    System.out.println("deleted " + doomed.delete() + ", still counted " + (free - new File(".").getUsableSpace()));
                    raf.write(new byte[10_000]);
                    System.out.println("grown, counted " + (free - new File(".").getUsableSpace()));
                    raf.close();
                    System.out.println("closed, counted " + (free - new File(".").getUsableSpace()));
                }
            }
            """;

    @Test
    void theJdksDataIsReadOnlyAndUncountedAndADeletedOpenFileCountsUntilItsLastClose() throws Exception {
        Path classes = ResumeTest.compile("Space", SPACE);
        try (MemoryHeapStore store = new MemoryHeapStore()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(new Device(new DeviceConfig().app(TestHeaps.app("space")), store, console(out, new ByteArrayOutputStream()))
                    .run(List.of(classes), "Space", List.of())).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("""
                    read the JDK's true
                    free unchanged true, setWritable false, canWrite false, delete false
                    true
                    deleted true, still counted 30000
                    grown, counted 40000
                    closed, counted 0
                    """);
        }
    }

    /** Fills a direct buffer (native memory), checkpoints, then reads it: every resume must read the same bytes. */
    private static final String DIRECT = """
            import java.nio.ByteBuffer;
            import org.vheap.api.Checkpoint;
            public class Direct {
                public static void main(String[] a) throws Exception {
                    ByteBuffer buffer = ByteBuffer.allocateDirect(100_000);
                    for (int i = 0; i < 25_000; i++) buffer.putInt(i * 31);
                    long id = Checkpoint.now();
                    System.err.println("checkpoint " + id);
                    long sum = 0;
                    for (int i = 0; i < 25_000; i++) sum += buffer.getInt(4 * i);
                    System.out.println("sum " + sum + ", position " + buffer.position());
                    buffer.putInt(0, -1);
                    System.out.println("first now " + buffer.getInt(0));
                }
            }
            """;

    @Test
    void aDirectBuffersNativeMemoryIsCarriedByTheCheckpoint() throws Exception {
        Path classes = ResumeTest.compile("Direct", DIRECT);
        List<Path> cp = List.of(classes, ResumeTest.apiClasses());
        try (MemoryHeapStore store = new MemoryHeapStore()) {
            String app = TestHeaps.app("direct");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertThat(new Device(new DeviceConfig().app(app).deviceName("a"), store, console(out, err))
                    .run(cp, "Direct", List.of())).isZero();
            String expected = "sum " + 31L * 24_999 * 25_000 / 2 + ", position 100000\nfirst now -1\n";
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
            long checkpoint = Long.parseLong(err.toString(StandardCharsets.UTF_8).strip().substring("checkpoint ".length()));
            ByteArrayOutputStream again = new ByteArrayOutputStream();
            assertThat(new Device(new DeviceConfig().app(app).deviceName("b"), store, console(again, new ByteArrayOutputStream()))
                    .resume(checkpoint)).isZero();
            assertThat(again.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
        }
    }

    /** Reads a data file shipped beside its classes, by the relative path HotSpot would find it at. */
    private static final String DATA_READER = """
            import java.io.*;
            import java.nio.file.*;
            import org.vheap.api.Checkpoint;
            public class DataReader {
                public static void main(String[] a) throws Exception {
                    long id = Checkpoint.now();
                    System.err.println("checkpoint " + id);
                    int sum = 0;
                    try (BufferedReader r = new BufferedReader(new FileReader(a[0] + "/data/numbers.txt"))) {
                        for (String l; (l = r.readLine()) != null; ) sum += Integer.parseInt(l.trim());
                    }
                    Path notes = Path.of(a[0], "notes.md");
                    System.out.println("sum " + sum + ", notes " + Files.readString(notes).strip());
                    Files.writeString(notes, "changed on the device");
                    System.out.println("now " + Files.readString(notes));
                }
            }
            """;

    @Test
    void theClassPathsDataFilesAreWhereHotSpotFindsThemOnEveryDeviceAndTheAppsToChange() throws Exception {
        // the class directory given relative to where the device starts (the module's directory here): the app finds
        // its files by the same relative path, as HotSpot started there would
        Path classes = classDirectoryWithData("DataReader", DATA_READER);
        Files.writeString(classes.resolve("data/numbers.txt"), "1\n2\n3\n40\n");
        Files.writeString(classes.resolve("notes.md"), "# notes\n");
        List<Path> cp = List.of(classes, ResumeTest.apiClasses());
        String expected = "sum 46, notes # notes\nnow changed on the device\n";
        try (MemoryHeapStore store = new MemoryHeapStore()) {
            String app = TestHeaps.app("data-reader");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertThat(new Device(new DeviceConfig().app(app).deviceName("a"), store, console(out, err))
                    .run(cp, "DataReader", List.of(classes.toString()))).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
            assertThat(Files.readString(classes.resolve("notes.md"))).as("the host's file is not the app's").isEqualTo("# notes\n");
            long checkpoint = Long.parseLong(err.toString(StandardCharsets.UTF_8).strip().substring("checkpoint ".length()));
            // another device, with no class path of its own, reads them from the store
            ByteArrayOutputStream again = new ByteArrayOutputStream();
            assertThat(new Device(new DeviceConfig().app(app).deviceName("b"), store, console(again, new ByteArrayOutputStream()))
                    .resume(checkpoint)).isZero();
            assertThat(again.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
        }
    }

    /** Reads bytes at the edges of the class path's big data file (its chunks, in the store). */
    private static final String BIG_READER = """
            import java.io.*;
            import org.vheap.api.Checkpoint;
            public class BigReader {
                public static void main(String[] a) throws Exception {
                    long id = Checkpoint.now();
                    System.err.println("checkpoint " + id);
                    try (RandomAccessFile f = new RandomAccessFile(a[0] + "/data/big.bin", "r")) {
                        StringBuilder s = new StringBuilder("length " + f.length() + ":");
                        for (long at : new long[] {0, (4 << 20) - 1, 4 << 20, (8 << 20) + 1, f.length() - 1}) {
                            f.seek(at);
                            s.append(' ').append(f.read());
                        }
                        System.out.println(s);
                    }
                }
            }
            """;

    /**
     * A class path file larger than a call to the heap server may carry (16 MiB) goes to the store's system blobs in
     * chunks: the app checkpoints, and another device with no class path reads the file whole.
     */
    @Test
    void aClassPathFileLargerThanACallReachesAnotherDeviceInChunks() throws Exception {
        Path classes = classDirectoryWithData("BigReader", BIG_READER);
        byte[] big = new byte[(20 << 20) + 3];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + (i >>> 20));
        }
        Files.write(classes.resolve("data/big.bin"), big);
        String expected = "length " + big.length + ": " + (big[0] & 0xFF) + " " + (big[(4 << 20) - 1] & 0xFF) + " "
                + (big[4 << 20] & 0xFF) + " " + (big[(8 << 20) + 1] & 0xFF) + " " + (big[big.length - 1] & 0xFF) + "\n";
        List<Path> cp = List.of(classes, ResumeTest.apiClasses());
        String app = TestHeaps.app("big-reader");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(new Device(new DeviceConfig().app(app).deviceName("a"), SERVER.store(), console(out, err))
                .run(cp, "BigReader", List.of(classes.toString()))).as("stderr: %s", err).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
        long checkpoint = Long.parseLong(err.toString(StandardCharsets.UTF_8).strip().substring("checkpoint ".length()));
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        assertThat(new Device(new DeviceConfig().app(app).deviceName("b"), SERVER.store(),
                console(again, new ByteArrayOutputStream())).resume(checkpoint)).isZero();
        assertThat(again.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    /**
     * A fresh class directory under the module's {@code target} (given relatively, as a user would), holding the
     * compiled {@code mainClass} and an empty {@code data} directory.
     */
    private static Path classDirectoryWithData(String mainClass, String source) throws Exception {
        Path compiled = ResumeTest.compile(mainClass, source);
        Path classes = Files.createDirectories(Path.of("target", "heap-files-" + Long.toHexString(System.nanoTime())));
        Files.copy(compiled.resolve(mainClass + ".class"), classes.resolve(mainClass + ".class"));
        Files.createDirectories(classes.resolve("data"));
        return classes;
    }

    private static DeviceConsole console(ByteArrayOutputStream out, ByteArrayOutputStream err) {
        return new DeviceConsole(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
