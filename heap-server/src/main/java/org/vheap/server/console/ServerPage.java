package org.vheap.server.console;

import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code /server}: the server's health as its gRPC health service reports it (it follows the database), its facts
 * (database, pool, version) and a chart, drawn by the page, of its calls per second and their mean latency over the
 * last ten minutes ({@code /server/calls.json}, from {@link CallHistory}).
 */
final class ServerPage {
    private final Supplier<Map<String, String>> facts;
    private final CallHistory history;

    ServerPage(Supplier<Map<String, String>> facts, CallHistory history) {
        this.facts = facts;
        this.history = history;
    }

    void routes(RoutesConfig routes) {
        routes.get("/server", this::show);
        routes.get("/server/calls.json", ctx -> ctx.contentType("application/json").result(history.json()));
    }

    private void show(Context ctx) {
        ConsoleRequest r = ConsoleRequest.of(ctx);
        String health;
        try {
            health = HealthGrpc.newBlockingStub(r.calls().channel()).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance()).getStatus().toString();
        } catch (StatusRuntimeException e) {
            health = "no answer: " + ConsoleErrors.message(e);
        }
        Page page = r.page("Server", "server");
        page.raw("<dl class=\"facts\" id=\"server-facts\"><dt>Health</dt><dd id=\"health\" class=\"")
                .raw(health.equals("SERVING") ? "ok" : "error").raw("\">").text(health).raw("</dd>");
        facts.get().forEach((k, v) -> page.raw("<dt>").text(k).raw("</dt><dd>").text(v).raw("</dd>"));
        page.raw("</dl><h2>Calls</h2><p class=\"hint\">gRPC calls to this server, per second and their mean latency, every ")
                .raw(Integer.toString(CallHistory.EVERY_SECONDS)).raw(" seconds over the last ten minutes.</p>")
                .raw("<figure id=\"calls-chart\" data-source=\"/server/calls.json\"></figure>");
        ctx.html(page.finish());
    }
}
