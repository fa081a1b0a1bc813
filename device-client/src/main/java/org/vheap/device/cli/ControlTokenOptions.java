package org.vheap.device.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.vheap.security.AccessTokens;
import picocli.CommandLine.Option;

/**
 * The token {@code vheap device start} sends on its control stream ({@code DeviceControl.Attach}), which a
 * server requiring tokens checks: {@code --device-token-file FILE} or {@code --device-token TOKEN} (or
 * {@code VHEAP_DEVICE_TOKEN}), this device's own token as issued by {@code vheap token --device NAME}; without
 * them, the single token of {@code --token}/{@code --token-file} if there is one (the admin token, typically);
 * else none. A server that requires no tokens ignores it.
 */
final class ControlTokenOptions {
    @Option(names = "--device-token-file", paramLabel = "FILE",
            description = "Read this device's token for its control stream from FILE (issued by: vheap token --device NAME --out FILE). Without it or --device-token, the --token/--token-file token is sent (e.g. the admin token).")
    Path file;

    @Option(names = "--device-token", paramLabel = "TOKEN", defaultValue = "${env:VHEAP_DEVICE_TOKEN}",
            description = "This device's token for its control stream (or set VHEAP_DEVICE_TOKEN).")
    String token;

    /**
     * The token to attach with, or {@code null}. {@code single} and {@code singleFile} are the device's
     * {@code --token} and {@code --token-file} (a token file that does not exist yet is skipped). Throws
     * IllegalArgumentException, one line naming the option, for both device options at once, an unreadable
     * file or a malformed token.
     */
    String resolve(String single, Path singleFile) {
        boolean given = token != null && !token.isEmpty();
        if (given && file != null) {
            throw new IllegalArgumentException("give --device-token or --device-token-file, not both");
        }
        if (file != null) {
            if (!Files.exists(file)) {
                throw new IllegalArgumentException("--device-token-file " + file + ": no such file (the admin issues the"
                        + " token with: vheap token --device NAME --out FILE)");
            }
            return AccessTokens.read(file, "--device-token-file");
        }
        if (given) {
            return AccessTokens.check(token, "--device-token");
        }
        if (single != null && !single.isEmpty()) {
            return AccessTokens.check(single, "--token");
        }
        return singleFile != null && Files.exists(singleFile) ? AccessTokens.read(singleFile, "--token-file") : null;
    }
}
