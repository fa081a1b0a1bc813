package org.vheap.device.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DeviceCliTest {
    private record Run(int exit, String out, String err) {
    }

    private static Run cli(String... args) {
        CommandLine cli = DeviceCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void badUsageIsOneLineWithExitTwo() {
        Run noStore = cli("run", "--app", "a", ".", "Main");
        assertThat(noStore.exit()).isEqualTo(2);
        assertThat(noStore.err().strip()).isEqualTo("vheap device run: give exactly one of --server HOST:PORT or --store memory");

        Run badMemory = cli("run", "--app", "a", "--store", "memory", "--memory", "lots", ".", "Main");
        assertThat(badMemory.exit()).isEqualTo(2);
        assertThat(badMemory.err().strip()).isEqualTo("vheap device run: --memory must be a positive size like 512k, 4m or 1g, got 'lots'");

        Run noClassPath = cli("run", "--app", "a", "--store", "memory", "/no/such/dir", "Main");
        assertThat(noClassPath.exit()).isEqualTo(2);
        assertThat(noClassPath.err().strip()).isEqualTo("vheap device run: class path entry /no/such/dir does not exist");

        Run missingMain = cli("run", "--app", "a", "--store", "memory");
        assertThat(missingMain.exit()).isEqualTo(2);
        assertThat(missingMain.err()).contains("Missing required parameters");
    }

    @Test
    void badUsageNamesTheCommandOnceAndPointsToItsHelp() {
        Run unknown = cli("frob");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err().strip()).isEqualTo("vheap device: Unmatched argument at index 0: 'frob' (see: ./vheap device --help)");

        Run badOption = cli("resume", "--frobnicate");
        assertThat(badOption.exit()).isEqualTo(2);
        assertThat(badOption.err().strip())
                .isEqualTo("vheap device resume: Unknown option: '--frobnicate' (see: ./vheap device resume --help)");
    }

    @Test
    void theVmBenchmarkRunsAndComparesOutputs() {
        Path samples = Path.of(System.getProperty("user.dir")).getParent().resolve("samples");
        Run r = cli("bench-vm", "--quick", "--only", "spectral-norm", "--samples", samples.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("spectral-norm 40").contains("same").contains("geometric mean:");
    }
}
