package org.vheap.server.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.vheap.proto.v1.ResetAppTokenRequest;
import org.vheap.proto.v1.ResetDeviceTokenRequest;
import org.vheap.security.AccessTokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vheap token}: the admin issues a token, printed or written to {@code --out} (mode 600), replacing the
 * old one (which stops working at once, on every server of the store). {@code --app NAME --reset}: an app's
 * token (also for apps made before tokens); {@code --device NAME}: a device's token for its control stream
 * ({@code vheap device start --device-token-file FILE}). Exactly one of {@code --app} and {@code --device}.
 */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = {"Issue a new access token (the old one stops working); needs the admin token.",
                "--app NAME --reset: an app's token (also for apps made before tokens existed).",
                "--device NAME: a device's token, for its control stream (vheap device start --device-token-file FILE).",
                "Prints the token, or writes it to --out (mode 600)."})
final class TokenCommand implements Callable<Integer> {
    @Mixin
    StoreTarget target;


    @Option(names = "--app", paramLabel = "NAME", description = "the app whose token to reset (with --reset)")
    String app;

    @Option(names = "--device", paramLabel = "NAME", description = "the device to issue a token for (replacing its old one)")
    String device;

    @Option(names = "--reset", description = "issue a new token (required with --app; implied with --device)")
    boolean reset;

    @Option(names = "--out", paramLabel = "FILE", description = "write the token to FILE instead of printing it")
    Path out;

    @Override
    public Integer call() {
        if ((app == null) == (device == null)) {
            throw new IllegalArgumentException("give exactly one of --app NAME (with --reset) and --device NAME");
        }
        if (app != null && !reset) {
            throw new IllegalArgumentException("--app " + app + " needs --reset: it replaces the app's token, and the"
                    + " old one stops working");
        }
        String token;
        String whose;
        if (app != null) {
            whose = "app '" + app + "'";
            token = target.call(app, stub -> stub.resetAppToken(ResetAppTokenRequest.newBuilder().setApp(app).build())
                    .getAppToken());
        } else {
            whose = "device '" + device + "'";
            token = target.control(stub -> stub.resetDeviceToken(ResetDeviceTokenRequest.newBuilder().setDevice(device)
                    .build()).getDeviceToken());
        }
        if (out != null) {
            AccessTokens.write(out, token);
            target.out().println(whose + ": new token written to " + out);
        } else {
            target.out().println(token);
        }
        return 0;
    }
}
