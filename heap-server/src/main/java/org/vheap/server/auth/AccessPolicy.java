package org.vheap.server.auth;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.vheap.security.AccessTokens;
import org.vheap.security.BearerToken;
import org.vheap.server.store.AppTokens;
import org.vheap.server.store.DeviceTokens;
import org.vheap.server.store.OpenGuard;

/**
 * The heap server's access rules. The {@link #interceptor()} takes the caller's token from the
 * {@code authorization: Bearer <token>} header into the call's context; the services then ask
 * {@link #requireApp} (a call on one app's heap: that app's token or the admin token), {@link #requireAdmin}
 * (store management, the control plane's commands), {@link #openGuard} (OpenHeap, checked inside the store's
 * transaction) or {@link #attachGuard} (a device's control stream: that device's token or the admin token).
 *
 * <p><b>Contract</b> (when {@linkplain #required() required}; otherwise everything is allowed): the admin token
 * may do everything. Otherwise, a call without a token is {@code UNAUTHENTICATED}, decided before anything is
 * looked up, so it learns nothing about the app. A call with a token that is not the app's is
 * {@code PERMISSION_DENIED} with one message, {@code the token given is not app 'X''s (...)}, whether the app
 * exists, has no token yet (made before tokens: the admin's until the admin resets its token) or has another:
 * only the admin token or the app's own token learns {@code NOT_FOUND}. This holds for the system-blob calls
 * too, though their blobs are store-wide: they need the named app's token (or the admin's) even when that app
 * does not exist. The one call open to anybody is an OpenHeap with {@code create} of an app that does not exist:
 * it creates the app and answers with its new token (an OpenHeap with {@code create} of an existing app needs
 * its token like any other call, and changes nothing when refused; so its answer shows whether the name is
 * taken, which creating names cannot avoid). A device's Attach needs that device name's token (issued by the
 * admin, {@code vheap token --device NAME}) or the admin token: none is {@code UNAUTHENTICATED}, any other
 * {@code PERMISSION_DENIED} with one message whether or not the name has a token. Comparisons are of SHA-256
 * hashes, in constant time; tokens are never logged.
 *
 * <p><b>Risks.</b> Each checked call reads the app's (or device's) token hash from the database (one indexed
 * lookup), so a reset takes effect at once on every server of the store. Tokens are bearer secrets: use TLS
 * beyond loopback. A device's token admits its control stream only; the heap calls a device makes are checked
 * by the apps' tokens, and the device name an OpenHeap takes a lease under is not checked against it.
 */
public final class AccessPolicy {
    private static final Context.Key<String> TOKEN = Context.key("vheap-access-token");

    private final boolean required;
    private final byte[] adminSha256;
    private final AppTokens tokens;
    private final DeviceTokens deviceTokens;
    private final boolean remoteWithoutTokens;

    /**
     * @param required     whether calls must carry tokens
     * @param adminToken   the admin token ({@code null}: none; then no call can be made as admin)
     * @param tokens       the apps' token hashes
     * @param deviceTokens the devices' token hashes
     */
    public AccessPolicy(boolean required, String adminToken, AppTokens tokens, DeviceTokens deviceTokens) {
        this(required, adminToken == null ? null : AccessTokens.sha256(adminToken), tokens, deviceTokens, false);
    }

    private AccessPolicy(boolean required, byte[] adminSha256, AppTokens tokens, DeviceTokens deviceTokens,
                         boolean remoteWithoutTokens) {
        if (required && adminSha256 == null) {
            throw new IllegalArgumentException("requiring tokens needs an admin token (--admin-token-file FILE)");
        }
        this.required = required;
        this.adminSha256 = adminSha256;
        this.tokens = tokens;
        this.deviceTokens = deviceTokens;
        this.remoteWithoutTokens = remoteWithoutTokens;
    }

    /**
     * This policy, with calls from other machines taken while tokens are not required
     * ({@code --allow-remote-without-tokens}); by default they are refused ({@link #remoteGuard()}).
     */
    public AccessPolicy allowingRemoteWithoutTokens() {
        return new AccessPolicy(required, adminSha256, tokens, deviceTokens, true);
    }

    /** The protected mode: on while tokens are not required, unless remote calls were allowed without them. */
    public RemoteCallGuard remoteGuard() {
        return new RemoteCallGuard(!required && !remoteWithoutTokens);
    }

    /** Nothing enforced; new apps still get tokens. */
    public static AccessPolicy open(AppTokens tokens, DeviceTokens deviceTokens) {
        return new AccessPolicy(false, null, tokens, deviceTokens);
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

    /**
     * A call on one app's heap (whether or not it exists): its token or the admin's. No token: UNAUTHENTICATED
     * before the app is looked up; any other token: PERMISSION_DENIED, the same for an app that does not exist.
     */
    public void requireApp(String app) {
        if (!required || isAdmin()) {
            return;
        }
        String presented = TOKEN.get();
        if (presented == null) {
            throw noAppToken(app);   // before the lookup: a call without a token learns nothing
        }
        AppTokens.Lookup l = tokens.lookup(app);
        checkAppToken(app, l.appExists() ? l.tokenSha256() : null, presented);
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
        throw Status.PERMISSION_DENIED.withDescription(what + " needs the admin token; an app's token is not enough"
                + " (nor a device's)")
                .asRuntimeException();
    }

    /**
     * The guard of one OpenHeap: checks the token for an existing heap, and for a missing one that the call
     * does not create (so the store's NOT_FOUND reaches only the admin), and gives a heap it creates the hash
     * of {@code newToken}.
     */
    public OpenGuard openGuard(String newToken) {
        byte[] newHash = AccessTokens.sha256(newToken);
        boolean admin = isAdmin();
        String presented = TOKEN.get();
        return new OpenGuard() {
            @Override
            public void checkExisting(String app, byte[] tokenSha256) {
                if (required && !admin) {
                    checkAppToken(app, tokenSha256, presented);
                }
            }

            @Override
            public void checkMissing(String app) {
                if (required && !admin) {
                    checkAppToken(app, null, presented);
                }
            }

            @Override
            public byte[] newTokenSha256() {
                return newHash;
            }
        };
    }

    /**
     * The guard of one Attach stream, from the current call's token (call it when the stream starts): the
     * admin token attaches any device; otherwise the device name's own token is needed.
     */
    public AttachGuard attachGuard() {
        boolean admin = isAdmin();
        String presented = TOKEN.get();
        return device -> {
            if (!required || admin) {
                return;
            }
            if (presented == null) {
                throw Status.UNAUTHENTICATED.withDescription("device '" + device + "' attaches with its device token or"
                        + " the admin token (authorization: Bearer <token>; vheap device start: --device-token-file FILE;"
                        + " the admin issues one with: vheap token --device " + device + ")").asRuntimeException();
            }
            byte[] hash = deviceTokens.lookup(device);
            if (!AccessTokens.matches(hash, presented)) {
                throw Status.PERMISSION_DENIED.withDescription("the token given is not device '" + device + "''s (a device"
                        + " attaches with the token from: vheap token --device " + device + ", or the admin token)")
                        .asRuntimeException();
            }
        };
    }

    /**
     * The one rule for an app's token: none presented is UNAUTHENTICATED; one that does not hash to
     * {@code tokenSha256} (null for an app that does not exist or has no token yet) is PERMISSION_DENIED.
     */
    private static void checkAppToken(String app, byte[] tokenSha256, String presented) {
        if (presented == null) {
            throw noAppToken(app);
        }
        if (!AccessTokens.matches(tokenSha256, presented)) {
            throw notTheAppsToken(app);
        }
    }

    private static StatusRuntimeException noAppToken(String app) {
        return Status.UNAUTHENTICATED.withDescription("app '" + app + "' needs its access token (authorization: Bearer"
                + " <token>; devices: --token or --token-file)").asRuntimeException();
    }

    /** One answer for a missing app, an app without a token and another app's token: it tells no more. */
    private static StatusRuntimeException notTheAppsToken(String app) {
        return Status.PERMISSION_DENIED.withDescription("the token given is not app '" + app + "''s (only its own"
                + " token or the admin token opens it; an app without a token yet gets one with: vheap token --app "
                + app + " --reset)").asRuntimeException();
    }
}
