package org.vheap.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Option values as the command lines of the heap server, the gateway and the device take them: sizes
 * ({@code 256m}, {@code 64k}, {@code 1g}, {@code 4kb}, {@code 1MiB}, plain bytes), durations ({@code 60s},
 * {@code 500ms}, {@code 2m}, {@code 1h}, plain seconds) and addresses ({@code HOST:PORT}). A bad value is an
 * IllegalArgumentException naming the option and the value (the command then exits with 2).
 */
public final class CliValues {
    private static final Pattern SIZE = Pattern.compile("(\\d+)([kmg]?)(i?b)?");
    private static final Pattern TIME = Pattern.compile("(\\d+)(ms|s|m|h)?");
    private static final Pattern HOST_PORT = Pattern.compile("[^:\\s]+:\\d{1,5}");

    private CliValues() {
    }

    public static long bytes(String option, String text) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(option + " '" + text + "' is not a size (e.g. 65536, 64k, 256m, 1g)");
        }
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        try {
            long n = Long.parseLong(m.group(1));
            if (n > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " '" + text + "' is too large");
        }
    }

    /** As {@link #bytes}, and more than 0: a size that must hold something ({@code --memory}, {@code --line-size}). */
    public static long positiveBytes(String option, String text) {
        long n = bytes(option, text);
        if (n <= 0) {
            throw new IllegalArgumentException(option + " must be more than 0 bytes, got '" + text + "'");
        }
        return n;
    }

    /** {@code value} if it is {@code min..max}; else {@code OPTION must be MIN..MAX, got VALUE}. */
    public static int range(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + " must be " + min + ".." + max + ", got " + value);
        }
        return value;
    }

    /** {@code value} if it is a power of two from {@code min} to {@code max} (a line size); else a line saying so. */
    public static int powerOfTwo(String option, int value, int min, int max) {
        if (value < min || value > max || Integer.bitCount(value) != 1) {
            throw new IllegalArgumentException(option + " must be a power of two from " + min + " to " + max + ", got " + value);
        }
        return value;
    }

    /** A server's address, {@code HOST:PORT} (a name or an IPv4 address, no spaces); returned as given. */
    public static String hostPort(String option, String text) {
        if (text == null || !HOST_PORT.matcher(text).matches()) {
            throw new IllegalArgumentException(option + " must be HOST:PORT, got '" + text + "'");
        }
        return text;
    }

    public static Duration duration(String option, String text) {
        Matcher m = TIME.matcher((text == null ? "" : text).trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(option + " '" + text + "' is not a duration (e.g. 500ms, 5s, 2m)");
        }
        try {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            };
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(option + " '" + text + "' is too large");
        }
    }

    /** {@code d} as the commands print a duration: whole seconds as "30 s", else milliseconds ("250 ms"). */
    public static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
