package org.vheap.cli;

import java.util.Locale;

/**
 * How the command lines print a size in bytes, in their tables and lines (the store commands' SIZE columns, the
 * store bench's checkpoint label): below 1 KiB in bytes ({@code 512 B}), then in the largest binary unit it
 * reaches, with one decimal up to MiB and two for GiB ({@code 1.5 KiB}, {@code 16.0 MiB}, {@code 1.25 GiB}),
 * a decimal point whatever the locale. The inverse of {@link CliValues#bytes}, which reads sizes.
 */
public final class SizeFormat {
    private SizeFormat() {
    }

    /** {@code n} bytes as above. */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1 << 20) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        if (n < 1L << 30) {
            return String.format(Locale.ROOT, "%.1f MiB", n / 1048576.0);
        }
        return String.format(Locale.ROOT, "%.2f GiB", n / 1073741824.0);
    }
}
