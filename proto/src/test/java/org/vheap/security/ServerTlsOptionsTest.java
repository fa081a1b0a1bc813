package org.vheap.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The shared --tls-cert/--tls-key/--tls-self-signed options: parsing, the combinations, the self-signed pair. */
class ServerTlsOptionsTest {
    @Command(name = "serve")
    static final class Serve {
        @Mixin
        ServerTlsOptions tls = new ServerTlsOptions();
    }

    private static ServerTlsSource parse(String... args) {
        Serve serve = new Serve();
        new CommandLine(serve).parseArgs(args);
        return serve.tls.source();
    }

    @Test
    void noOptionsIsPlaintext() {
        ServerTlsSource s = parse().validate();
        assertThat(s.enabled()).isFalse();
        assertThat(s.load()).isNull();
    }

    @Test
    void badCombinationsSayWhatToFix(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> parse("--tls-cert", "c.pem").validate())
                .hasMessage("TLS needs both --tls-cert FILE and --tls-key FILE");
        assertThatThrownBy(() -> parse("--tls-cert", "c.pem", "--tls-key", "k.pem", "--tls-self-signed", dir.toString()).validate())
                .hasMessage("give either --tls-cert/--tls-key or --tls-self-signed DIR, not both");
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        assertThatThrownBy(() -> parse("--tls-self-signed", file.toString()))
                .hasMessage("--tls-self-signed takes a directory, got the file " + file);
    }

    @Test
    void aSelfSignedDirectoryGetsAPair(@TempDir Path dir) {
        ServerTlsSource s = parse("--tls-self-signed", dir.resolve("tls").toString()).validate();
        assertThat(s.enabled()).isTrue();
        assertThat(s.load().certFile()).isEqualTo(dir.resolve("tls").resolve(SelfSignedTls.CERT_FILE));
    }

    @Test
    void theReloadIntervalIsADuration(@TempDir Path dir) {
        assertThat(parse("--tls-self-signed", dir.toString(), "--tls-reload", "5m").validate().reload())
                .isEqualTo(java.time.Duration.ofMinutes(5));
        assertThat(parse("--tls-self-signed", dir.toString()).reload()).isNull();
        assertThatThrownBy(() -> parse("--tls-reload", "soon")).hasMessage("--tls-reload 'soon' is not a duration (e.g. 500ms, 5s, 2m)");
        assertThatThrownBy(() -> parse("--tls-reload", "1h").validate())
                .hasMessage("--tls-reload needs TLS: --tls-cert/--tls-key or --tls-self-signed DIR");
    }
}
