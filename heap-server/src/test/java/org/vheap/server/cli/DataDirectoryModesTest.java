package org.vheap.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
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
import org.vheap.server.testing.TestHeaps;

/**
 * Nothing the heap server and the secure demo write under a fresh data directory is open to other local users:
 * every directory is 700 (or 750), nothing is writable by group or others, and files holding keys and tokens
 * are 600. The server is started the way {@code ./vheap demo --secure} starts it (self-signed TLS pair, admin
 * token), then a device token is saved as the demo saves it and an app token as a device saves one
 * ({@code --tokens DIR}), so every kind of file is there when the tree is walked.
 */
class DataDirectoryModesTest {
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
        try (HeapServerInstance server = start(data, security)) {
            assertThat(server.port()).isPositive();
            security.saveDeviceToken("device-a", AccessTokens.generate());
            AccessTokens.write(security.appTokens().resolve("demo-counter.token"), AccessTokens.generate());
            assertThat(Files.exists(security.adminTokenFile())).isTrue();
            assertThat(Files.exists(data.resolve("tls").resolve("key.pem"))).isTrue();
            assertThat(Files.isDirectory(data.resolve("pg-runtime"))).isTrue();
            assertThat(openToOthers(data)).isEmpty();
        }
        assertThat(openToOthers(data)).isEmpty();
    }

    @Test
    void aRestartClosesTheRuntimeDirectoryAnEarlierVersionLeftWorldWritable() throws Exception {
        Path data = dir.resolve("data");
        DemoSecurity security = DemoSecurity.under(data);
        try (HeapServerInstance server = start(data, security)) {
            assertThat(server.port()).isPositive();
        }
        // what earlier versions left: the binaries' directory world-writable, without sticky bit
        Path runtime = data.resolve("pg-runtime");
        Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwxrwxrwx"));
        try (HeapServerInstance server = start(data, security)) {
            assertThat(server.port()).isPositive();
            assertThat(openToOthers(data)).isEmpty();
        }
    }

    @Test
    void aDataDirectoryOthersMayWriteIsRefusedWithWhatToDo() throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxr-x"));
        assertThatThrownBy(() -> start(data, DemoSecurity.off()).close())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("writable by other users").hasMessageContaining("chmod 700 " + data.toAbsolutePath());
        assertThat(Files.exists(data.resolve("pg-runtime"))).isFalse();
    }

    private static HeapServerInstance start(Path data, DemoSecurity security) throws IOException {
        HeapServerConfig config = new HeapServerConfig().setHost("127.0.0.1").setPort(0).setDataDir(data);
        return HeapServerInstance.start(security.on() ? config.setSecurity(security.server()) : config, Clock.systemUTC());
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
