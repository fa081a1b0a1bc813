package org.vheap.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain text table, as the store commands and the benches print them: a header row, then rows; every
 * column but the last padded to its widest cell plus two spaces, the last one not, and trailing white space
 * stripped from each line. Every row has as many cells as the header (a cell is {@code String.valueOf} of
 * what is given). Not thread-safe: one command builds and prints it.
 */
public final class TextTable {
    private final List<String[]> rows = new ArrayList<>();

    public TextTable(String... header) {
        rows.add(header.clone());
    }

    /** Adds a row of {@code String.valueOf} of each cell; returns this table. */
    public TextTable row(Object... cells) {
        String[] r = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            r[i] = String.valueOf(cells[i]);
        }
        rows.add(r);
        return this;
    }

    /** The table's lines, the header first, without line separators. */
    public List<String> lines() {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        List<String> lines = new ArrayList<>(rows.size());
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                sb.append(i == cols - 1 ? r[i] : String.format("%-" + (width[i] + 2) + "s", r[i]));
            }
            lines.add(sb.toString().stripTrailing());
        }
        return lines;
    }

    /** Prints {@link #lines()}, one {@code println} each, and flushes. */
    public void print(PrintStream out) {
        lines().forEach(out::println);
        out.flush();
    }

    /** Prints {@link #lines()}, one {@code println} each, and flushes. */
    public void print(PrintWriter out) {
        lines().forEach(out::println);
        out.flush();
    }
}
