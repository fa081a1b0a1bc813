package org.vheap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private long now;

    @Test
    void onATerminalItRedrawsInPlaceAtMostEveryFifthOfASecondAndAlwaysTheEnd() {
        StringWriter text = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(text), true, "export", () -> now);
        bar.show("lines", 10, 100, 2048);
        now += ProgressBar.REDRAW_NANOS - 1;
        bar.show("lines", 20, 100, 4096);   // too soon: not drawn
        now += 1;
        bar.show("lines", 30, 100, 6144);
        bar.show("lines", 100, 100, 8192);  // the end: drawn at once
        bar.done();
        bar.done();
        String out = text.toString();
        assertThat(out.split("\r", -1)).hasSize(4);
        assertThat(out).contains("export [###       ").contains("10/100 lines").doesNotContain("20/100")
                .contains("30/100").contains("[##############################] 100/100 lines, 8.0 KiB (lines)");
        assertThat(out).endsWith("   " + System.lineSeparator());
    }

    @Test
    void offATerminalItPrintsNothing() {
        StringWriter text = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(text), false, "import", () -> now);
        bar.show("lines", 1, 2, 3);
        bar.done();
        assertThat(text.toString()).isEmpty();
    }
}
