package org.vheap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The layout the store commands and benches print: padded columns, the last one not, no trailing blanks. */
class TextTableTest {
    private static final String LS = System.lineSeparator();

    @Test
    void padsEveryColumnButTheLastToItsWidestCellPlusTwo() {
        TextTable t = new TextTable("APP", "SIZE", "HOLDER").row("counter", 1024, "dev-a").row("x", "1.5 KiB", "");
        assertThat(t.lines()).containsExactly(
                "APP      SIZE     HOLDER",
                "counter  1024     dev-a",
                "x        1.5 KiB");
    }

    @Test
    void printsTheSameLinesToAStreamAndAWriter() {
        TextTable t = new TextTable("measure", "direct").row("p50", "12 \u00b5s");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        t.print(new PrintStream(bytes, false, StandardCharsets.UTF_8));
        StringWriter chars = new StringWriter();
        t.print(new PrintWriter(chars));
        String expected = "measure  direct" + LS + "p50      12 \u00b5s" + LS;
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
        assertThat(chars.toString()).isEqualTo(expected);
    }
}
