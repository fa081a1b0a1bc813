package org.vheap.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the commands find the vheap checkout: the property, the environment, the module's classes; else a clear error. */
class VheapHomeTest {

    private static Path checkout(Path dir) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("vheap"), "#!/bin/sh\n");
        return dir;
    }

    @Test
    void thePropertyWinsThenTheEnvironmentThenTheModulesClasses(@TempDir Path tmp) throws Exception {
        Path a = checkout(tmp.resolve("a"));
        Path b = checkout(tmp.resolve("b"));
        Path c = checkout(tmp.resolve("c"));
        Path classes = Files.createDirectories(c.resolve("heap-server/target/classes"));
        assertThat(VheapHome.locate(a.toString(), b.toString(), classes).root()).isEqualTo(a);
        assertThat(VheapHome.locate(null, b.toString(), classes).root()).isEqualTo(b);
        assertThat(VheapHome.locate(" ", null, classes).root()).isEqualTo(c);
        assertThat(VheapHome.locate(tmp.resolve("nothing").toString(), b.toString(), classes).root()).isEqualTo(b);
        assertThat(VheapHome.locate(null, b.toString(), null).resolve("samples")).isEqualTo(b.resolve("samples"));
    }

    @Test
    void noCheckoutSaysWhatWasTriedAndHowToFixIt(@TempDir Path tmp) {
        assertThatThrownBy(() -> VheapHome.locate(null, null, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot find the vheap checkout (the directory of the vheap launcher): -Dvheap.home is not set,"
                        + " VHEAP_HOME is not set; run this through ./vheap, or set VHEAP_HOME to the checkout");
        assertThatThrownBy(() -> VheapHome.locate(null, tmp.toString(), tmp.resolve("x/target/classes")))
                .hasMessageContaining("VHEAP_HOME=" + tmp + " holds no vheap launcher");
    }

    @Test
    void aLauncherThatIsNotExecutableIsSaidSo(@TempDir Path tmp) throws Exception {
        VheapHome home = VheapHome.locate(checkout(tmp).toString(), null, null);
        assertThatThrownBy(home::launcher).hasMessage("the launcher " + tmp.resolve("vheap") + " is not executable (chmod +x it)");
        tmp.resolve("vheap").toFile().setExecutable(true);
        assertThat(home.launcher()).isEqualTo(tmp.resolve("vheap"));
    }
}
