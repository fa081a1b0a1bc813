package org.vheap.cli;

import java.io.PrintWriter;
import java.util.function.LongSupplier;

/**
 * A progress bar on one terminal line, redrawn in place ({@code \r}) at most every {@link #REDRAW_NANOS} (and at the
 * last line, always): for the long commands (export, import). Off when the output is not a terminal, so logs and pipes
 * get no control characters.
 */
public final class ProgressBar {
    static final long REDRAW_NANOS = 200_000_000L;
    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final boolean on;
    private final String label;
    private final LongSupplier nanoClock;
    private long lastDrawn = Long.MIN_VALUE;
    private boolean drawn;

    /**
     * @param on        whether to draw at all (the command's output is a terminal: {@code System.console() != null})
     * @param nanoClock the monotonic clock the redraws are spaced on
     */
    public ProgressBar(PrintWriter out, boolean on, String label, LongSupplier nanoClock) {
        this.out = out;
        this.on = on;
        this.label = label;
        this.nanoClock = nanoClock;
    }

    /** Shows {@code done} of {@code total} lines and {@code bytes} of the file so far. */
    public void show(String phase, long done, long total, long bytes) {
        long now = nanoClock.getAsLong();
        if (!on || drawn && now - lastDrawn < REDRAW_NANOS && done < total) {
            return;
        }
        lastDrawn = now;
        drawn = true;
        int filled = total <= 0 ? 0 : (int) Math.min(WIDTH, done * WIDTH / total);
        out.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + done + "/" + total
                + " lines, " + SizeFormat.bytes(bytes) + " (" + phase + ")   ");
        out.flush();
    }

    /** Ends the bar's line, when one was drawn (once: a second call does nothing). */
    public void done() {
        if (drawn) {
            drawn = false;
            out.println();
            out.flush();
        }
    }
}
