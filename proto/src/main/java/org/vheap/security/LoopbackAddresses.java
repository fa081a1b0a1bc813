package org.vheap.security;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;

/**
 * Whether an address is this machine's loopback: a host given as text ({@code localhost}, an IPv4 or IPv6
 * literal; names are not resolved and count as not loopback) or a connection's peer (a socket address that is
 * not an IP one, such as an in-process transport's, counts as local).
 */
public final class LoopbackAddresses {
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

    private static boolean isLiteral(String host) {
        return host.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.%a-zA-Z0-9]*");
    }
}
