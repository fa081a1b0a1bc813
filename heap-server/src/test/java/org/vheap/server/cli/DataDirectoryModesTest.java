package org.vheap.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vheap.security.AccessTokens;
import org.vheap.server.HeapServerConfig;
import org.vheap.server.HeapServerInstance;
import org.vheap.server.testing.ServerProcess;
import org.vheap.server.testing.TestHeaps;

/**
 * Everything a heap server, the demo and the devices make under a data directory is private to their user:
 * directories 700 (or 750), nothing writable by group or others, key and token files readable by their owner only.
 * The servers whose files are walked run in JVMs of their own, so that their embedded PostgreSQL unpacks its
 * binaries into this data directory (zonky does that once per JVM, where the JVM's first start puts them).
 */
class DataDirectoryModesTest {
    private static final Duration START = Duration.ofMinutes(3);
    private static final Set<PosixFilePermission> GROUP_OR_OTHER_WRITE =
            EnumSet.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
    private static final Set<PosixFilePermission> GROUP_OR_OTHER = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final Path dir = TestHeaps.tempDir("vheap-modes");

    @AfterEach
    void delete() {
        TestHeaps.deleteRecursively(dir);
    }

    @Test
    void everythingUnderAFreshDataDirectoryIsPrivate() throws Exception {
        Path data = dir.resolve("data");   // absent: the server makes it
        DemoSecurity security = DemoSecurity.under(data);
        try (ServerProcess server = ServerProcess.start(data, START, "--require-tokens", "--admin-token-file",
                security.adminTokenFile().toString(), "--tls-self-signed", data.resolve("tls").toString())) {
            // what the demo and the devices write there
            security.saveDeviceToken("device-a", AccessTokens.generate());
            AccessTokens.write(security.appTokens().resolve("demo-counter.token"), AccessTokens.generate());
            assertThat(Files.exists(security.adminTokenFile())).isTrue();
            assertThat(Files.exists(data.resolve("tls").resolve("key.pem"))).isTrue();
            assertThat(postgresBinary(data)).as("PostgreSQL unpacked under DATA/pg-runtime/binaries").isTrue();
            assertThat(openToOthers(data)).isEmpty();
        }
        assertThat(openToOthers(data)).isEmpty();
    }

    @Test
    void aRestartUnpacksAgainTheBinariesAnEarlierVersionLeftWorldWritable() throws Exception {
        Path data = dir.resolve("data");
        try (ServerProcess server = ServerProcess.start(data, START)) {
            assertThat(postgresBinary(data)).isTrue();
        }
        // what earlier versions left: the binaries' directory world-writable, without sticky bit
        Path runtime = data.resolve("pg-runtime");
        Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwxrwxrwx"));
        try (ServerProcess server = ServerProcess.start(data, START)) {
            assertThat(server.output()).contains(runtime + " was open to other users").contains("unpacked again");
            assertThat(postgresBinary(data)).isTrue();
            assertThat(openToOthers(data)).isEmpty();
        }
    }

    @Test
    void aDataDirectoryOfOursThatOthersMayWriteIsClosedToThem() throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxr-x"));   // umask 002
        try (HeapServerInstance server = start(data)) {
            assertThat(server.port()).isPositive();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwxr-x---");
        }
    }

    @Test
    void aDataDirectoryBehindASymbolicLinkIsJudgedByTheDirectoryItStandsFor() throws Exception {
        Path real = Files.createDirectory(dir.resolve("disk"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Path data = Files.createSymbolicLink(dir.resolve("data"), real);
        try (HeapServerInstance server = start(data)) {
            assertThat(server.port()).isPositive();
            assertThat(Files.isDirectory(real.resolve("postgres"))).isTrue();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(real))).isEqualTo("rwx------");
        }
    }

    private static HeapServerInstance start(Path data) throws IOException {
        return HeapServerInstance.start(new HeapServerConfig().setHost("127.0.0.1").setPort(0).setDataDir(data),
                Clock.systemUTC());
    }

    /** Whether a {@code bin/postgres} was unpacked under {@code DATA/pg-runtime/binaries}. */
    private static boolean postgresBinary(Path data) throws IOException {
        Path binaries = data.resolve("pg-runtime").resolve("binaries");
        if (!Files.isDirectory(binaries)) {
            return false;
        }
        try (Stream<Path> walk = Files.walk(binaries)) {
            return walk.anyMatch(p -> p.getFileName().toString().equals("postgres")
                    && p.getParent().getFileName().toString().equals("bin") && Files.isRegularFile(p));
        }
    }

    /**
     * Every path under {@code root} (and root) that another user could use: a directory that is not 700 or 750,
     * anything writable by group or others, a key or token file readable by group or others. Symbolic links are
     * not followed (their own mode means nothing).
     */
    private static List<String> openToOthers(Path root) throws IOException {
        List<String> open = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isSymbolicLink(p)) {
                    continue;
                }
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
                String name = p.getFileName().toString();
                String m = PosixFilePermissions.toString(mode);
                boolean secret = name.endsWith(".token") || name.equals("key.pem");
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && !m.equals("rwx------") && !m.equals("rwxr-x---")) {
                    open.add("directory " + m + " " + root.relativize(p));
                } else if (mode.stream().anyMatch(GROUP_OR_OTHER_WRITE::contains)) {
                    open.add("writable by others " + m + " " + root.relativize(p));
                } else if (secret && mode.stream().anyMatch(GROUP_OR_OTHER::contains)) {
                    open.add("secret readable by others " + m + " " + root.relativize(p));
                }
            }
        }
        return open;
    }
}
