package org.vheap.server.console;

import io.javalin.http.Context;

/** A request's parameters read for a handler; one that is missing or malformed is refused (400) naming it. */
final class ConsoleParams {
    private ConsoleParams() {
    }

    /** A form or query value that must be there and not blank. */
    static String required(Context ctx, String name, String what) {
        String v = ctx.formParam(name);
        if (v == null) {
            v = ctx.queryParam(name);
        }
        if (v == null || v.isBlank()) {
            throw new ConsoleRefusal(400, "say " + what);
        }
        return v.strip();
    }

    /** A device's or an app's name as the store takes them (letters, digits, {@code . _ : -}), else refused. */
    static String name(Context ctx, String field, String what) {
        String v = required(ctx, field, what);
        if (!v.matches("[A-Za-z0-9._:-]{1,128}")) {
            throw new ConsoleRefusal(400, "a name is 1 to 128 letters, digits and . _ : -, not '" + v + "'");
        }
        return v;
    }

    /** A checkpoint id: a positive number; {@code zeroMeansNewest} also takes 0 (and nothing: 0). */
    static long checkpoint(String raw, boolean zeroMeansNewest) {
        if ((raw == null || raw.isBlank()) && zeroMeansNewest) {
            return 0;
        }
        try {
            long id = Long.parseLong(raw == null ? "" : raw.strip());
            if (id > 0 || (id == 0 && zeroMeansNewest)) {
                return id;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new ConsoleRefusal(400, "a checkpoint id is a positive number, not '" + raw + "'");
    }

    /** An object's address: 0x1f08 or decimal. */
    static long address(String raw) {
        try {
            String s = raw.strip();
            long a = s.startsWith("0x") || s.startsWith("0X") ? Long.parseUnsignedLong(s.substring(2), 16)
                    : Long.parseLong(s);
            if (a > 0) {
                return a;
            }
        } catch (RuntimeException e) {
            // said below
        }
        throw new ConsoleRefusal(400, "an object's address is a number such as 0x1f08, not '" + raw + "'");
    }
}
