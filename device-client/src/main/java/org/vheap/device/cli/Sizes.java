package org.vheap.device.cli;

import java.util.Locale;

/** Byte sizes as users write them: {@code 512k}, {@code 4K}, {@code 64m}, {@code 1g}, or plain bytes. */
final class Sizes {
    private Sizes() {
    }

    static long parse(String text, String what) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("b")) {
            t = t.substring(0, t.length() - 1);
        }
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'k' -> unit = 1L << 10;
                case 'm' -> unit = 1L << 20;
                case 'g' -> unit = 1L << 30;
                default -> unit = 1;
            }
            if (unit != 1) {
                t = t.substring(0, t.length() - 1);
            }
        }
        try {
            long v = Long.parseLong(t);
            if (v <= 0 || v > Long.MAX_VALUE / unit) {
                throw new NumberFormatException();
            }
            return v * unit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a positive size like 512k, 4m or 1g, got '" + text + "'");
        }
    }
}
