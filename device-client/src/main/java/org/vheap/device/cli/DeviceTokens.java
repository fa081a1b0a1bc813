package org.vheap.device.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.vheap.device.store.AppTokenSource;
import org.vheap.security.AccessTokens;

/**
 * A device process's access tokens, from its options:
 * <ul>
 *   <li>{@code --token TOKEN} or {@code --token-file FILE}: one token for every app (an app's own, or the
 *       admin token); a token issued when the device creates an app is written to {@code --token-file};</li>
 *   <li>{@code --tokens DIR}: one file per app, {@code DIR/APP.token} (a device running several apps); a
 *       token issued for a new app is written there (mode 600), so a later resume finds it;</li>
 * </ul>
 * A token the server issues is also remembered for the rest of the process, and announced once on stderr:
 * {@code vheap: app X token: T} when it is kept nowhere else and the server requires tokens (a server that
 * checks none gets no such line), {@code vheap: app X token written to FILE} when it went to a file (so tokens
 * do not end up in the logs of long-running devices).
 */
final class DeviceTokens implements AppTokenSource {
    static final String SUFFIX = ".token";

    private final String single;
    private final Path singleFile;
    private final Path dir;
    private final PrintStream log;
    private final Map<String, String> issued = new ConcurrentHashMap<>();

    private DeviceTokens(String single, Path singleFile, Path dir, PrintStream log) {
        this.single = single;
        this.singleFile = singleFile;
        this.dir = dir;
        this.log = log;
    }

    /** From the options; at most one of them. {@code tokenFile} may not exist yet (a run that creates the app). */
    static DeviceTokens of(String token, Path tokenFile, Path dir, PrintStream log) {
        int given = (token != null && !token.isEmpty() ? 1 : 0) + (tokenFile != null ? 1 : 0) + (dir != null ? 1 : 0);
        if (given > 1) {
            throw new IllegalArgumentException("give one of --token, --token-file and --tokens");
        }
        if (dir != null && Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--tokens takes a directory (one APP.token file per app), got the file " + dir);
        }
        String single = null;
        if (token != null && !token.isEmpty()) {
            single = AccessTokens.check(token, "--token");
        } else if (tokenFile != null && Files.exists(tokenFile)) {
            single = AccessTokens.read(tokenFile, "--token-file");
        }
        return new DeviceTokens(single, tokenFile, dir, log);
    }

    @Override
    public String tokenFor(String app) {
        String t = issued.get(app);
        if (t != null) {
            return t;
        }
        if (dir != null) {
            Path f = dir.resolve(app + SUFFIX);
            return Files.exists(f) ? AccessTokens.read(f, "--tokens") : null;
        }
        return single;
    }

    @Override
    public void issued(String app, String token, boolean required) {
        issued.put(app, token);
        Path file = dir != null ? dir.resolve(app + SUFFIX) : singleFile;
        if (file != null) {
            AccessTokens.write(file, token);
            log.println("vheap: app " + app + " token written to " + file);
        } else if (required) {
            log.println("vheap: app " + app + " token: " + token);
        }
        // else: a server that checks no tokens; the admin can give the app a token later (vheap token --reset)
    }
}
