package org.vheap.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's protected mode, seen from another machine: a heap server in a network namespace of its own
 * ({@link NetNamespace}), its console asked from this host over the veth pair, so the browser's address is not
 * loopback. Without tokens the console refuses it, saying the two ways out; with {@code --allow-remote-without-tokens}
 * it serves it; with {@code --require-tokens} it asks it to log in.
 */
class ConsoleProtectedModeTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void aBrowserOnAnotherMachineIsRefusedUnlessTokensAreRequiredOrTheNetworkIsTrusted(@TempDir Path work) throws Exception {
        NetNamespace.requireAvailable();
        try (NetNamespace ns = NetNamespace.create("cp"); VheapProcesses vheap = new VheapProcesses(work)) {
            HttpResponse<String> refused = apps(vheap, ns, work, "protected");
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("takes requests from other machines only with access tokens")
                    .contains("this one came from " + ns.hostAddress()).contains("--require-tokens")
                    .contains("--allow-remote-without-tokens");

            assertThat(apps(vheap, ns, work, "trusted", "--allow-remote-without-tokens").statusCode()).isEqualTo(200);

            HttpResponse<String> login = apps(vheap, ns, work, "tokens", "--require-tokens",
                    "--admin-token-file", work.resolve("admin.token").toString());
            assertThat(login.statusCode()).isEqualTo(303);
            assertThat(login.headers().firstValue("Location")).hasValue("/login");
        }
    }

    /** Starts a heap server in {@code ns} with {@code extra}, asks its console for /apps from this host, stops it. */
    private static HttpResponse<String> apps(VheapProcesses vheap, NetNamespace ns, Path work, String name, String... extra)
            throws Exception {
        int port = VheapProcesses.freePort();
        int console = VheapProcesses.freePort();
        List<String> args = new ArrayList<>(List.of("server", "--host", "0.0.0.0", "--port", Integer.toString(port),
                "--console-port", Integer.toString(console), "--data", work.resolve("data-" + name).toString()));
        args.addAll(List.of(extra));
        VheapProcesses.Started server = vheap.startIn(ns, args.toArray(new String[0]));
        try {
            server.awaitLogged("web console on http://0.0.0.0:" + console, Duration.ofMinutes(5));   // started in the namespace
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + ns.address() + ":" + console + "/apps")).build(),
                    HttpResponse.BodyHandlers.ofString());
        } finally {
            server.process().destroy();
            server.awaitExit(Duration.ofSeconds(60));
        }
    }
}
