package org.vheap.client;

import io.grpc.Status;
import java.net.ConnectException;
import java.util.Locale;
import java.util.Optional;

/**
 * The one sentence every client of the tree (the store commands, {@code vheap health}, a device's store and
 * control stream, the gateway towards its backends) gives when nothing answers at a server's address, instead
 * of gRPC's {@code UNAVAILABLE: io exception}:
 * {@code nothing answers at HOST:PORT (connection refused): start a heap server with ./vheap server, or point
 * to one that runs}.
 *
 * <p>A call failed that way when its status is UNAVAILABLE caused by a connection that could not be made (a
 * {@link ConnectException} among its causes: refused, timed out, no route) or DEADLINE_EXCEEDED while the call
 * was still waiting for a connection ({@code waiting_for_connection} in gRPC's description). The channels'
 * status hints ({@link org.vheap.security.ClientTls#mismatchHints()}, on every channel the tree builds) put the
 * sentence into the status description; the code stays, so retries that go by the code are unchanged.
 */
public final class ServerUnreachable {
    private ServerUnreachable() {
    }

    /** The sentence for a call to {@code target} that ended with {@code status}; empty for any other failure. */
    public static Optional<String> explain(Status status, String target) {
        String why = why(status);
        return why == null ? Optional.empty() : Optional.of(sentence(target, why));
    }

    /** {@code nothing answers at TARGET (WHY): ...} and how to start a server. */
    public static String sentence(String target, String why) {
        return "nothing answers at " + target + " (" + why + "): start a heap server with ./vheap server,"
                + " or point to one that runs";
    }

    /** Why nothing answered ({@code connection refused}, {@code connection timed out}, ...), or null. */
    private static String why(Status status) {
        if (status.getCode() == Status.Code.UNAVAILABLE) {
            for (Throwable t = status.getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof ConnectException) {
                    return reason(t);
                }
            }
        }
        String d = status.getDescription();
        if (status.getCode() == Status.Code.DEADLINE_EXCEEDED && d != null && d.contains("waiting_for_connection")) {
            return "no connection within the call's deadline";
        }
        return null;
    }

    /** The connect failure in a few words: Netty's and the JDK's messages start with them ("Connection refused: /ADDR"). */
    private static String reason(Throwable connect) {
        String m = connect.getMessage();
        if (connect.getClass().getSimpleName().equals("ConnectTimeoutException") || (m != null && m.contains("timed out"))) {
            return "connection timed out";
        }
        if (m == null || m.isBlank()) {
            return "connection refused";
        }
        int colon = m.indexOf(':');
        return (colon > 0 ? m.substring(0, colon) : m).strip().toLowerCase(Locale.ROOT);
    }
}
