package org.vheap.security;

import java.util.Optional;

/**
 * The warning a server or gateway logs when it listens beyond loopback without protection: plaintext and
 * no access tokens are the defaults (for development on one machine), and an operator who exposes the port
 * on a network should hear, once at start, what that means and which options close it. Pure: host names
 * other than {@code localhost} are not resolved (taken as reaching beyond loopback).
 */
public final class InsecureExposure {
    private InsecureExposure() {
    }

    /**
     * @param what           what is listening ("heap server", "gateway")
     * @param host           the address it listens on ({@code --host})
     * @param tls            whether it serves TLS
     * @param tokensRequired whether access tokens are required; null where the listener does not check
     *                       tokens itself (the gateway: the heap servers behind it do)
     * @return the warning, or empty when the host is loopback or nothing is missing
     */
    public static Optional<String> warning(String what, String host, boolean tls, Boolean tokensRequired) {
        boolean noTokens = tokensRequired != null && !tokensRequired;
        if ((tls && !noTokens) || LoopbackAddresses.isLoopback(host)) {
            return Optional.empty();
        }
        String missing = !tls && noTokens ? "without TLS and without access tokens"
                : !tls ? "without TLS" : "without access tokens";
        String fix = !tls && noTokens ? "--tls-cert/--tls-key (or --tls-self-signed DIR) and --require-tokens"
                : !tls ? "--tls-cert/--tls-key (or --tls-self-signed DIR)" : "--require-tokens";
        String risk = noTokens ? "any client that reaches it can read, change and delete every app's heap"
                : "heap lines and tokens cross the network in clear text";
        return Optional.of("the " + what + " listens on " + host + " " + missing + ": " + risk
                + "; on a network, start it with " + fix);
    }
}
