package org.vheap.server.auth;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import org.vheap.security.AccessTokens;
import org.vheap.security.BearerToken;
import org.vheap.server.store.AppTokens;
import org.vheap.server.store.OpenGuard;

/**
 * The heap server's access rules. The {@link #interceptor()} takes the caller's token from the
 * {@code authorization: Bearer <token>} header into the call's context; the services then ask
 * {@link #requireApp} (a call on one app's heap: that app's token or the admin token) or
 * {@link #requireAdmin} (store management, the control plane's commands).
 *
 * <p><b>Contract</b> (when {@linkplain #required() required}): no token on a call that needs one:
 * {@code UNAUTHENTICATED}; a token that is neither the app's nor the admin's: {@code PERMISSION_DENIED};
 * both with a message. A call naming an app that does not exist needs no token (creating an app is open;
 * the store then answers {@code NOT_FOUND} where the call needs an existing app). An app without a token
 * (made before tokens existed) is reachable with the admin token only, until the admin resets its token.
 * Comparisons are of SHA-256 hashes, in constant time; tokens are never logged.
 *
 * <p><b>Risks.</b> Each checked call reads the app's token hash from the database (one indexed lookup), so
 * a reset takes effect at once on every server of the store. Whether an app exists can be learnt without a
 * token (NOT_FOUND against UNAUTHENTICATED). Tokens are bearer secrets: use TLS beyond loopback.
 */
public final class AccessPolicy {
    private static final Context.Key<String> TOKEN = Context.key("vheap-access-token");

    private final boolean required;
    private final byte[] adminSha256;
    private final AppTokens tokens;

    /**
     * @param required   whether calls must carry tokens
     * @param adminToken the admin token ({@code null}: none; then no call can be made as admin)
     * @param tokens     the apps' token hashes
     */
    public AccessPolicy(boolean required, String adminToken, AppTokens tokens) {
        if (required && adminToken == null) {
            throw new IllegalArgumentException("requiring tokens needs an admin token (--admin-token-file FILE)");
        }
        this.required = required;
        this.adminSha256 = adminToken == null ? null : AccessTokens.sha256(adminToken);
        this.tokens = tokens;
    }

    /** Nothing enforced; new apps still get tokens. */
    public static AccessPolicy open(AppTokens tokens) {
        return new AccessPolicy(false, null, tokens);
    }

    public boolean required() {
        return required;
    }

    /** Puts the caller's bearer token into the call's context; refuses a malformed authorization header. */
    public ServerInterceptor interceptor() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                               ServerCallHandler<Q, R> next) {
                String h = headers.get(BearerToken.AUTHORIZATION);
                if (h == null) {
                    return next.startCall(call, headers);
                }
                if (!h.regionMatches(true, 0, BearerToken.SCHEME, 0, BearerToken.SCHEME.length())
                        || h.length() == BearerToken.SCHEME.length()) {
                    call.close(Status.UNAUTHENTICATED.withDescription("the authorization header must be 'Bearer <token>'"),
                            new Metadata());
                    return new ServerCall.Listener<>() {
                    };
                }
                Context ctx = Context.current().withValue(TOKEN, h.substring(BearerToken.SCHEME.length()).trim());
                return Contexts.interceptCall(ctx, call, headers, next);
            }
        };
    }

    /** Whether the current call carries the admin token. */
    public boolean isAdmin() {
        return AccessTokens.matches(adminSha256, TOKEN.get());
    }

    /** A call on one app's heap: its token or the admin's. */
    public void requireApp(String app) {
        if (!required || isAdmin()) {
            return;
        }
        AppTokens.Lookup l = tokens.lookup(app);
        if (l.appExists()) {
            check(app, l.tokenSha256());
        }
    }

    /** Store management and device commands: the admin token. */
    public void requireAdmin(String what) {
        if (!required || isAdmin()) {
            return;
        }
        if (TOKEN.get() == null) {
            throw Status.UNAUTHENTICATED.withDescription(what + " needs the admin token (authorization: Bearer <token>;"
                    + " vheap commands: --token-file FILE)").asRuntimeException();
        }
        throw Status.PERMISSION_DENIED.withDescription(what + " needs the admin token; an app's token is not enough")
                .asRuntimeException();
    }

    /**
     * The guard of one OpenHeap: checks an existing heap's token, and gives a heap it creates the hash of
     * {@code newToken}.
     */
    public OpenGuard openGuard(String newToken) {
        byte[] newHash = AccessTokens.sha256(newToken);
        boolean admin = isAdmin();
        String presented = TOKEN.get();
        return new OpenGuard() {
            @Override
            public void checkExisting(String app, byte[] tokenSha256) {
                if (required && !admin) {
                    check(app, tokenSha256, presented);
                }
            }

            @Override
            public byte[] newTokenSha256() {
                return newHash;
            }
        };
    }

    private void check(String app, byte[] tokenSha256) {
        check(app, tokenSha256, TOKEN.get());
    }

    private static void check(String app, byte[] tokenSha256, String presented) {
        if (presented == null) {
            throw Status.UNAUTHENTICATED.withDescription("app '" + app + "' needs its access token (authorization: Bearer"
                    + " <token>; devices: --token or --token-file)").asRuntimeException();
        }
        if (tokenSha256 == null) {
            throw Status.PERMISSION_DENIED.withDescription("app '" + app + "' has no access token yet: only the admin"
                    + " token opens it (give it one with: vheap token --app " + app + " --reset)").asRuntimeException();
        }
        if (!AccessTokens.matches(tokenSha256, presented)) {
            throw Status.PERMISSION_DENIED.withDescription("the token given is not app '" + app + "''s")
                    .asRuntimeException();
        }
    }
}
