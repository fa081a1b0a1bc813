package org.vheap.server.store;

import java.util.regex.Pattern;
import org.vheap.store.StoreException;

/** The rules for app and device names: short, printable, safe in logs, URLs and file names. */
public final class HeapNames {
    public static final int MAX_LENGTH = 128;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]*");

    private HeapNames() {
    }

    public static void checkApp(String app) {
        check("app", app);
    }

    public static void checkDevice(String device) {
        check("device", device);
    }

    private static void check(String what, String name) {
        if (name == null || name.isEmpty()) {
            throw StoreException.invalid(what + " name is empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw StoreException.invalid(what + " name is " + name.length() + " characters; at most " + MAX_LENGTH);
        }
        if (!NAME.matcher(name).matches()) {
            throw StoreException.invalid(what + " name '" + name + "' may hold only letters, digits and . _ : -"
                    + " and must start with a letter or digit");
        }
    }
}
