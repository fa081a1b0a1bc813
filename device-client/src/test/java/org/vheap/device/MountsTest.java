package org.vheap.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vheap.device.store.MemoryHeapStore;
import org.vheap.device.vm.mount.Mount;
import org.vheap.server.testing.TestHeaps;

/**
 * A device's host directories mounted into its apps' file systems: the app reads and writes the host's files in
 * place (none of them goes into the heap or a checkpoint), a read-only mount refuses changes, an open stream keeps its
 * position across a move to a device with the mount, and on a device without it the app's lease listeners hear of the
 * lost mount and every use of it fails with an IOException naming it.
 */
class MountsTest {
    /** Reads part of a host file, checkpoints, reads on, then uses the mount by name. */
    private static final String READER = """
            import java.io.*;
            import java.nio.file.*;
            import java.util.concurrent.*;
            import org.vheap.api.*;
            public class Reader {
                public static void main(String[] a) throws Exception {
                    CountDownLatch heard = new CountDownLatch(1);
                    String[] news = new String[1];
                    Leases.addListener(lease -> {
                        news[0] = "listener: lost a lease on " + lease.resource();
                        heard.countDown();
                    });
                    FileInputStream in = new FileInputStream("/data/in.txt");
                    byte[] first = new byte[6];
                    System.out.println("read [" + new String(first, 0, in.read(first)) + "]");
                    Files.writeString(Path.of("/data/before.txt"), "written before the checkpoint");
                    System.out.println("checkpoint " + Checkpoint.now());
                    try {
                        System.out.println("rest [" + new String(in.readAllBytes()).strip() + "]");
                    } catch (IOException e) {
                        System.out.println(e);
                        heard.await(30, TimeUnit.SECONDS);
                        System.out.println(news[0]);
                    }
                    try {
                        System.out.println("listing " + String.join(",", new java.util.TreeSet<>(java.util.Arrays.asList(new File("/data").list()))));
                        System.out.println("again [" + Files.readString(Path.of("/data/before.txt")) + "]");
                    } catch (IOException e) {
                        System.out.println(e);
                    }
                    try {
                        Files.writeString(Path.of("/data/after.txt"), "x");
                        System.out.println("wrote after.txt");
                    } catch (IOException e) {
                        System.out.println(e);
                    }
                }
            }
            """;

    @Test
    void anOpenStreamOnAMountGoesOnWhereTheMountIsAndFailsNamingItWhereItIsNot(@TempDir Path dir) throws Exception {
        Path host = Files.createDirectories(dir.resolve("host"));
        Files.writeString(host.resolve("in.txt"), "hello from the host\n");
        Path classes = ResumeTest.compile("Reader", READER);
        List<Path> cp = List.of(classes, ResumeTest.apiClasses());
        Mount data = Mount.parse(host + ":/data");
        try (MemoryHeapStore store = new MemoryHeapStore()) {
            String app = TestHeaps.app("reader");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(device("a", List.of(data), store, out, app).run(cp, "Reader", List.of())).isZero();
            String first = out.toString(StandardCharsets.UTF_8);
            long checkpoint = ResumeTest.checkpointIn(first);
            assertThat(first).isEqualTo("read [hello ]\ncheckpoint " + checkpoint + "\nrest [from the host]\n"
                    + "listing before.txt,in.txt\nagain [written before the checkpoint]\nwrote after.txt\n");
            assertThat(Files.readString(host.resolve("after.txt"))).isEqualTo("x");

            // the files are the host's: what device a wrote after the checkpoint is still there for b
            ByteArrayOutputStream again = new ByteArrayOutputStream();
            assertThat(device("b", List.of(data), store, again, app).resume(checkpoint)).isZero();
            assertThat(again.toString(StandardCharsets.UTF_8)).isEqualTo("checkpoint " + checkpoint
                    + "\nrest [from the host]\nlisting after.txt,before.txt,in.txt\nagain [written before the checkpoint]\n"
                    + "wrote after.txt\n");

            ByteArrayOutputStream without = new ByteArrayOutputStream();
            assertThat(device("c", List.of(), store, without, app).resume(checkpoint)).isZero();
            String missing = "No medium found: the mount /data is not on this device";
            assertThat(without.toString(StandardCharsets.UTF_8)).isEqualTo("checkpoint " + checkpoint
                    + "\njava.io.IOException: " + missing + "\nlistener: lost a lease on mount:/data\n"
                    + "listing \njava.nio.file.FileSystemException: /data/before.txt: " + missing + "\n"
                    + "java.nio.file.FileSystemException: /data/after.txt: " + missing + "\n");
        }
    }

    @Test
    void aReadOnlyMountRefusesChangesAndTheHostsFilesStayAsTheyWere(@TempDir Path dir) throws Exception {
        Path host = Files.createDirectories(dir.resolve("ro"));
        Files.writeString(host.resolve("in.txt"), "read only\n");
        Path classes = ResumeTest.compile("Writer", """
                import java.io.*;
                import java.nio.file.*;
                public class Writer {
                    public static void main(String[] a) throws Exception {
                        System.out.println(Files.readString(Path.of("/ro/in.txt")).strip());
                        try { new FileOutputStream("/ro/in.txt"); } catch (IOException e) { System.out.println(e); }
                        try { Files.delete(Path.of("/ro/in.txt")); } catch (IOException e) { System.out.println(e); }
                        System.out.println("mkdir " + new File("/ro/d").mkdir() + ", delete " + new File("/ro/in.txt").delete());
                        Files.createDirectories(Path.of("/ro"));
                        System.out.println("canWrite " + new File("/ro/in.txt").canWrite() + ", isWritable "
                                + Files.isWritable(Path.of("/ro/in.txt")) + ", canRead " + new File("/ro/in.txt").canRead());
                    }
                }
                """);
        try (MemoryHeapStore store = new MemoryHeapStore()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(device("a", List.of(Mount.parse(host + ":/ro:ro")), store, out, TestHeaps.app("writer"))
                    .run(List.of(classes), "Writer", List.of())).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("read only\n"
                    + "java.io.FileNotFoundException: /ro/in.txt (Read-only file system)\n"
                    + "java.nio.file.FileSystemException: /ro/in.txt: Read-only file system\nmkdir false, delete false\n"
                    + "canWrite false, isWritable false, canRead true\n");
            assertThat(Files.readString(host.resolve("in.txt"))).isEqualTo("read only\n");
            assertThat(host.resolve("d")).doesNotExist();
        }
    }

    @Test
    void aMountPointStaysAndNoPathLeavesTheHostDirectory(@TempDir Path dir) throws Exception {
        Path host = Files.createDirectories(dir.resolve("host"));
        Files.writeString(dir.resolve("secret.txt"), "outside");
        Files.createSymbolicLink(host.resolve("escape"), dir);
        Path classes = ResumeTest.compile("Edges", """
                import java.io.*;
                import java.nio.file.*;
                public class Edges {
                    public static void main(String[] a) throws Exception {
                        System.out.println("delete the mount point: " + new File("/data").delete());
                        try { Files.delete(Path.of("/data")); } catch (IOException e) { System.out.println(e); }
                        try { Files.move(Path.of("/data"), Path.of("/elsewhere")); } catch (IOException e) { System.out.println(e); }
                        try { Files.readString(Path.of("/data/escape/secret.txt")); } catch (IOException e) { System.out.println(e); }
                        try { Files.readString(Path.of("/data/../secret.txt")); } catch (IOException e) { System.out.println(e); }
                        Files.createDirectories(Path.of("/data/a/b"));
                        Files.writeString(Path.of("/data/a/b/f.txt"), "deep");
                        try (InputStream in = new FileInputStream("/data/a/b/f.txt")) {
                            Files.move(Path.of("/data/a"), Path.of("/data/z"));
                            System.out.println("open across a rename of its directory: " + new String(in.readAllBytes()));
                        }
                        System.out.println("listing " + Files.list(Path.of("/data")).map(p -> p.getFileName().toString()).sorted().toList());
                    }
                }
                """);
        try (MemoryHeapStore store = new MemoryHeapStore()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(device("a", List.of(Mount.parse(host + ":/data")), store, out, TestHeaps.app("edges"))
                    .run(List.of(classes), "Edges", List.of())).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("""
                    delete the mount point: false
                    java.nio.file.FileSystemException: /data: Device or resource busy
                    java.nio.file.FileSystemException: /data -> /elsewhere: Device or resource busy
                    java.nio.file.NoSuchFileException: /data/escape/secret.txt
                    java.nio.file.NoSuchFileException: /data/../secret.txt
                    open across a rename of its directory: deep
                    listing [z]
                    """);
            assertThat(host.resolve("z/b/f.txt")).hasContent("deep");
        }
    }

    @Test
    void aMountIsAHostDirectoryAtAnAbsolutePathAndTwoAtOnePathAreRefused(@TempDir Path dir) {
        assertThatThrownBy(() -> Mount.parse(dir + "/none:/data")).hasMessageContaining("is not a directory on this host");
        assertThatThrownBy(() -> Mount.parse(dir + ":data")).hasMessageContaining("absolute path");
        assertThatThrownBy(() -> Mount.parse(dir + ":/")).hasMessageContaining("other than /");
        assertThatThrownBy(() -> Mount.parse("/data")).hasMessageContaining("HOSTDIR:/PATH");
        assertThatThrownBy(() -> new DeviceConfig().mounts(List.of(Mount.parse(dir + ":/d"), Mount.parse(dir + ":/d"))))
                .hasMessageContaining("two mounts at /d");
        assertThatThrownBy(() -> new DeviceConfig().mounts(List.of(Mount.parse(dir + ":/d"), Mount.parse(dir + ":/d/e"))))
                .hasMessageContaining("mount /d/e is inside mount /d");
        assertThat(new DeviceConfig().resources(List.of("net")).mounts(List.of(Mount.parse(dir + ":/d:ro"))).resources())
                .containsExactly("net", "mount:/d");
    }

    private static Device device(String name, List<Mount> mounts, MemoryHeapStore store, ByteArrayOutputStream out, String app) {
        return new Device(new DeviceConfig().app(app).deviceName(name).mounts(mounts), store, ResumeTest.console(out));
    }
}
