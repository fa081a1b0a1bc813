package org.vheap.security;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Whether an address is this machine's loopback: a host given as text ({@code localhost}, an IPv4 or IPv6
 * literal; names are not resolved and count as not loopback) or a connection's peer (a socket address that is
 * not an IP one, such as an in-process transport's, counts as local).
 */
public final class LoopbackAddresses {
    /** An IPv4 or IPv6 literal (the heap server asks on every guarded call: compiled once). */
    private static final Pattern LITERAL = Pattern.compile("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.%a-zA-Z0-9]*");
    private LoopbackAddresses() {
    }

    /** Whether {@code host} names only the loopback interface (0.0.0.0 and :: are every interface). */
    public static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!isLiteral(host)) {
            return false;   // a name: not resolved here
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Whether {@code peer} is on this machine: a loopback IP, or no IP transport at all. */
    public static boolean isLocal(SocketAddress peer) {
        if (peer instanceof InetSocketAddress a) {
            return a.getAddress() != null && a.getAddress().isLoopbackAddress();
        }
        return true;
    }

    /** The IP address of {@code peer} as text; null for a peer without one (in-process). */
    public static String ipOf(SocketAddress peer) {
        if (peer instanceof InetSocketAddress a && a.getAddress() != null) {
            return a.getAddress().getHostAddress();
        }
        return null;
    }

    /**
     * Where a call comes from, given its connection's peer and the {@code vheap-forwarded-for} value a gateway
     * set (null: none). A peer on another machine is the caller, whatever the value says (its IP; its text when it
     * has none, which never reads as loopback); a peer on this machine, a gateway in front, forwards for whom the
     * value names, if it names anyone; else the caller is the peer itself (its IP; null in process). The gateway
     * stamps this on what it forwards and the heap server's protected mode judges it: one rule for both.
     */
    public static String caller(SocketAddress peer, String forwardedFor) {
        if (!isLocal(peer)) {
            String ip = ipOf(peer);
            return ip != null ? ip : "unresolved " + peer;
        }
        return forwardedFor != null ? forwardedFor : ipOf(peer);
    }

    private static boolean isLiteral(String host) {
        return LITERAL.matcher(host).matches();
    }
}
