package org.vheap.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Bad usage: exit code 2 and one line saying what to fix. */
class GatewayCliTest {

    private record Result(int exit, String err) {
    }

    private static Result run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = GatewayCli.commandLine();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        return new Result(cli.execute(args), err.toString());
    }

    private static void assertOneLine(Result r, String expected) {
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("vheap gateway: ").contains(expected);
    }

    @Test
    void aBackendThatIsNotHostPort() {
        assertOneLine(run("--backend", "foo"), "--backend 'foo' is not HOST:PORT");
    }

    @Test
    void noBackend() {
        assertOneLine(run("--port", "7801"), "Missing required option: '--backend=HOST:PORT'");
    }

    @Test
    void aPortOutOfRange() {
        assertOneLine(run("--backend", "127.0.0.1:7700", "--port", "70000"), "--port must be 0..65535, got 70000");
        assertOneLine(run("--backend", "127.0.0.1:7700", "--port", "x"), "--port");
    }

    @Test
    void anUnknownOption() {
        assertOneLine(run("--backend", "127.0.0.1:7700", "--bogus"), "--bogus");
    }
}
