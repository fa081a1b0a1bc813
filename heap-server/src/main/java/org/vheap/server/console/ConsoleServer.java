package org.vheap.server.console;

import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HandlerType;
import io.javalin.http.SameSite;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vheap.security.LoopbackAddresses;

/**
 * The heap server's web console: pages over its own RPCs, served by Javalin on Jetty. Each request's RPCs go in
 * process with the browser's session token and address ({@link ConsoleCalls}), so the console can do exactly what
 * the CLI can with the admin token, and the server refuses it what it refuses the CLI, with the same message.
 *
 * <p>Security: with tokens required a browser logs in with the admin token and holds a session cookie (HttpOnly,
 * SameSite=Strict, Secure when served over TLS); every POST carries the session's CSRF token; in protected mode
 * a browser on another machine is refused outright. Pages send a Content-Security-Policy allowing only the
 * server's own stylesheet and script: nothing is fetched from elsewhere, and markup from the store cannot run.
 *
 * <p>{@link #close} stops taking requests, then ends the jobs (a running migration goes on in the server; the
 * console just stops watching it) and the call history.
 */
public final class ConsoleServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConsoleServer.class);
    static final String COOKIE = "vheap-console";
    private static final Map<String, String> ASSETS = Map.of("console.css", "text/css; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8");

    private final Javalin app;
    private final ConsoleJobs jobs;
    private final CallHistory history;

    private ConsoleServer(Javalin app, ConsoleJobs jobs, CallHistory history) {
        this.app = app;
        this.jobs = jobs;
        this.history = history;
    }

    /**
     * Starts the console on {@code settings}' host and port.
     *
     * @param server   a channel to the heap server's services (in process), shared; the caller closes it
     * @param registry the server's meters, for the calls chart
     * @param facts    the server's facts for its page (database, pool), asked on each visit
     */
    public static ConsoleServer start(ConsoleSettings settings, Channel server, MeterRegistry registry,
                                      Supplier<Map<String, String>> facts, Clock clock) {
        ConsoleSessions sessions = new ConsoleSessions(clock);
        ConsoleJobs jobs = new ConsoleJobs();
        CallHistory history = CallHistory.start(registry, clock);
        ConsoleAccess access = new ConsoleAccess(settings, sessions, server);
        try {
            Javalin app = Javalin.create(config -> {
                config.startup.showJavalinBanner = false;
                config.jetty.multipartConfig.maxFileSize(settings.maxUploadBytes(), SizeUnit.BYTES);
                config.jetty.multipartConfig.maxTotalRequestSize(settings.maxUploadBytes() + ConsoleAccess.FORM_BYTES, SizeUnit.BYTES);
                config.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);
                config.http.maxRequestSize = 1 << 20;
                if (settings.tls() != null) {
                    config.jetty.addConnector((jetty, http) -> tlsConnector(jetty, http, settings));
                }
                config.routes.before(ctx -> {
                    secureHeaders(ctx);
                    access.check(ctx);
                });
                config.routes.get("/static/{file}", ConsoleServer::asset);
                config.routes.get("/", ctx -> ctx.redirect("/apps"));
                access.routes(config.routes);
                new AppsPage(jobs, settings.maxUploadBytes()).routes(config.routes);
                new AppPage(jobs).routes(config.routes);
                new DevicesPage().routes(config.routes);
                new HeapPages().routes(config.routes);
                new ServerPage(facts, history).routes(config.routes);
                new JobPages(jobs).routes(config.routes);
                config.routes.exception(ConsoleRefusal.class, (e, ctx) -> refused(ctx, e.status, e.redirectTo, e.getMessage()));
                config.routes.exception(StatusRuntimeException.class, (e, ctx) -> refused(ctx,
                        ConsoleErrors.httpStatus(e.getStatus().getCode()), null, ConsoleErrors.message(e)));
                config.routes.exception(Exception.class, (e, ctx) -> {
                    log.warn("console request {} {} failed", ctx.method(), ctx.path(), e);
                    refused(ctx, 500, null, "the console failed: " + e);
                });
            });
            if (settings.tls() != null) {
                app.start();
            } else {
                app.start(settings.host(), settings.port());
            }
            ConsoleServer console = new ConsoleServer(app, jobs, history);
            log.info("web console on {}://{}:{}/{}", settings.tls() == null ? "http" : "https", settings.host(), app.port(),
                    settings.tokensRequired() ? " (log in with the admin token)" : "");
            return console;
        } catch (RuntimeException e) {
            jobs.close();
            history.close();
            throw e;
        }
    }

    public int port() {
        return app.port();
    }

    /** The one connector of a console served over TLS, with the server's certificate (no SNI host check: a browser may use an IP). */
    private static Connector tlsConnector(Server jetty, HttpConfiguration http, ConsoleSettings settings) {
        char[] password = java.util.UUID.randomUUID().toString().toCharArray();
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(settings.tls().keyStore(password));
        ssl.setKeyStorePassword(new String(password));
        HttpConfiguration https = new HttpConfiguration(http);
        https.addCustomizer(new SecureRequestCustomizer(false));
        ServerConnector connector = new ServerConnector(jetty, new SslConnectionFactory(ssl, "http/1.1"),
                new HttpConnectionFactory(https));
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        return connector;
    }

    static Cookie sessionCookie(ConsoleSession s, boolean secure) {
        Cookie c = new Cookie(COOKIE, s.id, "/", -1, secure, true);
        c.setSameSite(SameSite.STRICT);
        return c;
    }

    private static void secureHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("Cache-Control", "no-store");
    }

    private static void asset(Context ctx) throws IOException {
        String name = ctx.pathParam("file");
        String type = ASSETS.get(name);
        if (type == null) {
            throw new ConsoleRefusal(404, "no such file: /static/" + name);
        }
        try (InputStream in = ConsoleServer.class.getResourceAsStream(name)) {
            ctx.contentType(type).result(in.readAllBytes());
        }
    }

    /** The page of a refusal: its message, a way back; or the redirect it asks for. */
    private static void refused(Context ctx, int status, String redirectTo, String message) {
        if (redirectTo != null) {
            ctx.redirect(redirectTo, io.javalin.http.HttpStatus.SEE_OTHER);
            return;
        }
        ConsoleRequest request = ConsoleRequest.of(ctx);
        ConsoleSession session = request == null ? null : request.session();
        if (session != null && ctx.method() == HandlerType.POST && status != 403 && status != 401) {
            // an action the server refused: back to the page it came from, which says why
            session.flash(message, true);
            String back = ctx.isMultipartFormData() ? "/apps" : ctx.formParam("back");   // an upload's body is not read again
            ctx.redirect(back != null && back.startsWith("/") && !back.startsWith("//") ? back : "/apps",
                    io.javalin.http.HttpStatus.SEE_OTHER);
            return;
        }
        Page page = new Page(status == 404 ? "Not found" : "Refused", session, "", "/apps");
        page.raw("<p class=\"flash error\" id=\"refusal\">").text(message).raw("</p><p><a href=\"/apps\">Apps</a></p>");
        ctx.status(status).html(page.finish());
    }

    @Override
    public void close() {
        app.stop();
        jobs.close();
        history.close();
    }

    static boolean loopback(String ip) {
        return LoopbackAddresses.isLoopback(ip);
    }
}
