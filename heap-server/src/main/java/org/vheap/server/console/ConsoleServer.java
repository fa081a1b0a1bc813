package org.vheap.server.console;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
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
    /** A page of this console an action may go back to (no other host, no scheme, nothing a browser reads as one). */
    private static final Pattern BACK = Pattern.compile(
            "/(apps|devices|server|jobs)(/[A-Za-z0-9._:%-]*)*(\\?[A-Za-z0-9._:%=&-]*)?");
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
                config.routes.get("/", ctx -> ctx.redirect("/apps", HttpStatus.SEE_OTHER));
                access.routes(config.routes);
                new AppsPage(jobs, settings.maxUploadBytes()).routes(config.routes);
                new AppPage().routes(config.routes);
                new AppJobs(jobs).routes(config.routes);
                new DevicesPage().routes(config.routes);
                new HeapPages().routes(config.routes);
                new ServerPage(facts, history).routes(config.routes);
                new JobPages(jobs).routes(config.routes);
                config.routes.exception(ConsoleRefusal.class, (e, ctx) -> {
                    if (e.redirectTo != null) {
                        ctx.redirect(e.redirectTo, HttpStatus.SEE_OTHER);
                    } else {
                        refused(ctx, e.status, e.status == 401 || e.status == 403 || e.status == 413, e.getMessage());
                    }
                });
                config.routes.exception(StatusRuntimeException.class, (e, ctx) -> {
                    ConsoleRequest request = ConsoleRequest.of(ctx);
                    if (e.getStatus().getCode() == Status.Code.UNAUTHENTICATED && request != null
                            && request.session().adminToken != null) {
                        sessions.close(request.session());   // the admin token changed: log in with the new one
                        ctx.removeCookie(COOKIE, "/");
                        ctx.redirect("/login", HttpStatus.SEE_OTHER);
                        return;
                    }
                    refused(ctx, ConsoleErrors.httpStatus(e.getStatus().getCode()), false, ConsoleErrors.message(e));
                });
                config.routes.exception(Exception.class, (e, ctx) -> {
                    log.warn("console request {} {} failed", ctx.method(), ctx.path(), e);
                    refused(ctx, 500, true, "the console failed on this request; the server's log says why");
                });
            });
            try {
                if (settings.tls() != null) {
                    app.start();
                } else {
                    app.start(settings.host(), settings.port());
                }
            } catch (RuntimeException e) {
                app.stop();
                throw e;
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
        char[] password = UUID.randomUUID().toString().toCharArray();
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

    /**
     * The answer to a refused request. A POST the server refused (or whose input was wrong) goes back to the page it came
     * from, which says why; {@code page}: a page of its own instead (the console's own refusals: no session, no CSRF
     * token, an upload over the limit; and its failures), whose status tells clients too.
     */
    private static void refused(Context ctx, int status, boolean page, String message) {
        ConsoleRequest request = ConsoleRequest.of(ctx);
        ConsoleSession session = request == null ? null : request.session();
        if (session != null && ctx.method() == HandlerType.POST && !page) {
            session.flash(message, true);
            ctx.redirect(back(ctx), HttpStatus.SEE_OTHER);
            return;
        }
        Page refusal = new Page(status == 404 ? "Not found" : "Refused", session, "", "/apps");
        refusal.raw("<p class=\"flash error\" id=\"refusal\">").text(message).raw("</p><p><a href=\"/apps\">Apps</a></p>");
        ctx.status(status).html(refusal.finish());
    }

    /** Where an action goes back to: its form's {@code back}, a page of this console, else the apps page. */
    static String back(Context ctx) {
        String back;
        try {
            back = ctx.isMultipartFormData() ? null : ctx.formParam("back");   // an upload's body is not read again
        } catch (RuntimeException unreadable) {
            back = null;
        }
        return back != null && BACK.matcher(back).matches() && !back.contains("..") ? back : "/apps";
    }

    @Override
    public void close() {
        app.stop();
        jobs.close();
        history.close();
    }

}
