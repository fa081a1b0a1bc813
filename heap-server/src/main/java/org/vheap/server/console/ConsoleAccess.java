package org.vheap.server.console;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vheap.proto.v1.ListAppsRequest;
import org.vheap.security.LoopbackAddresses;

/**
 * Who may use the console, checked before every request but for the stylesheet and script:
 * <ol>
 * <li>protected mode: while the server requires no tokens and is not told the network is trusted, a browser on
 *     another machine is refused (403), as its gRPC calls would be;</li>
 * <li>a session: with tokens required, a browser without one is sent to {@code /login} (a page) or refused (401:
 *     an action, an event stream); without, a session is opened for it on its first page;</li>
 * <li>a POST must carry the session's CSRF token (403 otherwise): another site's form cannot act through a
 *     logged-in browser.</li>
 * </ol>
 * Logging in proves the admin token by listing the apps with it, so the server's own token check decides.
 */
final class ConsoleAccess {
    private static final Logger log = LoggerFactory.getLogger(ConsoleAccess.class);
    /** What a form may add to an upload's file (its other fields, the multipart framing). */
    static final long FORM_BYTES = 64 * 1024;

    private final ConsoleSettings settings;
    private final ConsoleSessions sessions;
    private final Channel server;

    ConsoleAccess(ConsoleSettings settings, ConsoleSessions sessions, Channel server) {
        this.settings = settings;
        this.sessions = sessions;
        this.server = server;
    }

    void routes(RoutesConfig routes) {
        routes.get("/login", this::loginPage);
        routes.post("/login", this::login);
        routes.post("/logout", ctx -> {
            sessions.close(ConsoleRequest.of(ctx).session());
            ctx.removeCookie(ConsoleServer.COOKIE, "/");
            ctx.redirect(settings.tokensRequired() ? "/login" : "/apps", HttpStatus.SEE_OTHER);
        });
    }

    void check(Context ctx) {
        String path = ctx.path();
        if (path.startsWith("/static/")) {
            return;
        }
        String ip = ctx.ip();
        if (settings.refuseRemote() && !LoopbackAddresses.isLoopback(ip)) {
            throw new ConsoleRefusal(403, "this heap server's console takes requests from other machines only with"
                    + " access tokens (this one came from " + ip + "): start the server with --require-tokens, or with"
                    + " --allow-remote-without-tokens on a network you trust");
        }
        if (path.equals("/login")) {
            return;
        }
        boolean post = ctx.method() == HandlerType.POST;
        ConsoleSession session = sessions.find(ctx.cookie(ConsoleServer.COOKIE));
        if (session == null) {
            if (settings.tokensRequired()) {
                if (post || path.endsWith("/events") || path.endsWith("/file") || path.endsWith(".json")) {
                    throw new ConsoleRefusal(401, "log in first: this console needs the admin token (a session that"
                            + " ended logs in again at /login)");
                }
                throw ConsoleRefusal.redirect("/login");
            }
            session = sessions.open(null);
            ctx.cookie(ConsoleServer.sessionCookie(session, settings.secureCookies()));
        }
        String here = ctx.queryString() == null ? path : path + "?" + ctx.queryString();
        new ConsoleRequest(session, ConsoleCalls.as(server, session.adminToken, ip), here).attachTo(ctx);
        if (post && ctx.isMultipartFormData() && ctx.req().getContentLengthLong() > settings.maxUploadBytes() + FORM_BYTES) {
            throw new ConsoleRefusal(413, tooBig(ctx.req().getContentLengthLong()));
        }
        String csrf;
        try {
            csrf = post ? csrfOf(ctx) : null;
        } catch (RuntimeException e) {   // a body Jetty will not parse: beyond the limits, or not a form
            throw new ConsoleRefusal(ctx.isMultipartFormData() ? 413 : 400, ctx.isMultipartFormData()
                    ? tooBig(ctx.req().getContentLengthLong()) : "the form could not be read: " + e.getMessage());
        }
        if (post && !ConsoleSessions.csrfMatches(session, csrf)) {
            throw new ConsoleRefusal(403, "this form's CSRF token is missing or stale: reload the page and try again");
        }
    }

    private String tooBig(long length) {
        return "an upload may be at most " + Html.bytes(settings.maxUploadBytes()) + (length > 0 ? ", this one is "
                + Html.bytes(length) : "") + " (the server's --console-max-upload): nothing was imported";
    }

    /** The CSRF token of a POST: its form field, or the X-CSRF-Token header for a script's request. */
    private static String csrfOf(Context ctx) {
        String header = ctx.header("X-CSRF-Token");
        return header != null ? header : ctx.formParam("csrf");
    }

    private void loginPage(Context ctx) {
        loginForm(ctx, 200, null);
    }

    private void loginForm(Context ctx, int status, String error) {
        Page page = new Page("Log in", null, "", "/login");
        if (error != null) {
            page.raw("<p class=\"flash error\" id=\"refusal\">").text(error).raw("</p>");
        }
        page.raw("<form method=\"post\" action=\"/login\" class=\"login\"><label>Admin token <input type=\"password\""
                + " name=\"token\" id=\"token\" autocomplete=\"current-password\" autofocus required></label>"
                + "<button id=\"login\">Log in</button></form><p class=\"hint\">The admin token is in the server's"
                + " admin token file (<code>--admin-token-file</code>; printed at start).</p>");
        ctx.status(status).html(page.finish());
    }

    private void login(Context ctx) {
        if (!settings.tokensRequired()) {
            ctx.redirect("/apps", HttpStatus.SEE_OTHER);
            return;
        }
        String token = ctx.formParam("token");
        if (token == null || token.isBlank()) {
            loginForm(ctx, 400, "type the admin token");
            return;
        }
        try {
            ConsoleCalls.as(server, token.strip(), ctx.ip()).store().listApps(ListAppsRequest.getDefaultInstance());
        } catch (IllegalArgumentException e) {   // not even shaped like a token
            loginForm(ctx, 401, "that is not this server's admin token (" + e.getMessage() + ")");
            return;
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            if (code == Status.Code.UNAUTHENTICATED || code == Status.Code.PERMISSION_DENIED) {
                log.info("console login from {} refused: {}", ctx.ip(), ConsoleErrors.message(e));
                loginForm(ctx, 401, "that is not this server's admin token");
                return;
            }
            throw e;
        }
        ConsoleSession earlier = sessions.find(ctx.cookie(ConsoleServer.COOKIE));
        if (earlier != null) {
            sessions.close(earlier);   // a login starts a session of its own, never continues one it was handed
        }
        ConsoleSession session = sessions.open(token.strip());
        ctx.cookie(ConsoleServer.sessionCookie(session, settings.secureCookies()));
        ctx.redirect("/apps", HttpStatus.SEE_OTHER);
    }
}
