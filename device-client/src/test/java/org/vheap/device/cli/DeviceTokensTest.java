package org.vheap.device.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vheap.security.AccessTokens;

/** A device keeps the app tokens a server issues private: directories it makes are 700, token files 600. */
class DeviceTokensTest {
    @TempDir
    Path dir;

    @Test
    void aTokenIssuedForANewAppIsWrittenPrivatelyIntoTheTokensDirectory() throws IOException {
        Path tokens = dir.resolve("home").resolve("tokens");   // neither exists yet
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        DeviceTokens source = DeviceTokens.of(null, null, tokens, new PrintStream(log, true, StandardCharsets.UTF_8));
        String token = AccessTokens.generate();

        source.issued("counter", token, true);

        assertThat(AccessTokens.read(tokens.resolve("counter.token"), "--tokens")).isEqualTo(token);
        assertThat(mode(tokens.getParent())).isEqualTo("rwx------");
        assertThat(mode(tokens)).isEqualTo("rwx------");
        assertThat(mode(tokens.resolve("counter.token"))).isEqualTo("rw-------");
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("token written to").doesNotContain(token);
    }

    @Test
    void aTokenFileInADirectoryNotYetThereIsWrittenPrivately() throws IOException {
        Path file = dir.resolve("keys").resolve("counter.token");
        DeviceTokens source = DeviceTokens.of(null, file, null, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));

        source.issued("counter", AccessTokens.generate(), true);

        assertThat(mode(file.getParent())).isEqualTo("rwx------");
        assertThat(mode(file)).isEqualTo("rw-------");
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
