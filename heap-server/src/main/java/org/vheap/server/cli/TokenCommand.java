package org.vheap.server.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.vheap.proto.v1.ResetAppTokenRequest;
import org.vheap.security.AccessTokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "token", mixinStandardHelpOptions = true,
        description = {"Give an app a new access token (the old one stops working); needs the admin token.",
                "Also for apps made before tokens existed. Prints the token, or writes it to --out (mode 600)."})
final class TokenCommand implements Callable<Integer> {
    @Mixin
    StoreTarget target;

    @Spec
    CommandSpec spec;

    @Option(names = "--app", required = true, paramLabel = "NAME")
    String app;

    @Option(names = "--reset", required = true, description = "issue a new token for the app")
    boolean reset;

    @Option(names = "--out", paramLabel = "FILE", description = "write the token to FILE instead of printing it")
    Path out;

    @Override
    public Integer call() {
        return target.call(stub -> {
            String token = stub.resetAppToken(ResetAppTokenRequest.newBuilder().setApp(app).build()).getAppToken();
            if (out != null) {
                AccessTokens.write(out, token);
                spec.commandLine().getOut().println("app '" + app + "': new token written to " + out);
            } else {
                spec.commandLine().getOut().println(token);
            }
            return 0;
        });
    }
}
