package org.vheap.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes ({@code 256m}, {@code 64k}, {@code 1g}, plain bytes) and durations ({@code 60s}, {@code 500ms},
 * {@code 2m}, {@code 1h}, plain seconds) as the heap server's and the gateway's options take them. A bad value is an IllegalArgumentException
 * naming the option and the value.
 */
public final class CliValues {
    private static final Pattern SIZE = Pattern.compile("(\\d+)([kmg]?)(i?b)?");
    private static final Pattern TIME = Pattern.compile("(\\d+)(ms|s|m|h)?");

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
}
