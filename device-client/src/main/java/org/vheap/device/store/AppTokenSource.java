package org.vheap.device.store;

/**
 * Where a device's store client gets each app's access token, and where it hands a token the server issued
 * when the device created an app. A {@link GrpcHeapStore} sends {@link #tokenFor} as
 * {@code authorization: Bearer} metadata on every call about that app.
 */
public interface AppTokenSource {
    /** No tokens: calls carry none, issued tokens are dropped. */
    AppTokenSource NONE = new AppTokenSource() {
        @Override
        public String tokenFor(String app) {
            return null;
        }

        @Override
        public void issued(String app, String token, boolean required) {
        }
    };

    /** The token to send with calls about {@code app}; {@code null}: none. */
    String tokenFor(String app);

    /**
     * The server issued {@code token} for {@code app}, which this device just created; it is shown only once.
     * {@code required}: the server checks tokens (else the token matters only once enforcement is switched on).
     */
    void issued(String app, String token, boolean required);
}
