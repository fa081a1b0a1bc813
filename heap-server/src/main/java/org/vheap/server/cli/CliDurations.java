package org.vheap.server.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as the server's options take them: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h} or plain
 * seconds (as the gateway's {@code --health-interval}). A bad value is an IllegalArgumentException naming the
 * option and the value.
 */
final class CliDurations {
    private static final Pattern TIME = Pattern.compile("(\\d+)(ms|s|m|h)?");

    private CliDurations() {
    }

    static Duration parse(String option, String text) {
        Matcher m = TIME.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
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
