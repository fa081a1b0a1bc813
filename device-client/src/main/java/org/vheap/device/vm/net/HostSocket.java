package org.vheap.device.vm.net;

import java.net.InetSocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.Map;

/**
 * One socket of the app on the device's host: a non-blocking NIO channel (a listening one once bound, a connection
 * once connecting or accepted), the lease it is open under, and the options the app set. A socket the app merely
 * created has no channel yet: the host's channel kind is known only when it binds or connects.
 */
final class HostSocket {
    final int fd;
    final long lease;
    /** A server socket's (it listens from its bind on), not a connection's. */
    final boolean serverSocket;
    /** Bound: the address the app asked for, or the listening channel's. */
    InetSocketAddress local;
    InetSocketAddress remote;
    ServerSocketChannel server;
    SocketChannel channel;
    /** Options by (level << 16 | name), as the JDK's setIntOption0 passes them. */
    final Map<Integer, Integer> options = new HashMap<>();
    /** The poller's registration, once a thread waited on the socket. */
    SelectionKey key;

    HostSocket(int fd, long lease, boolean serverSocket) {
        this.fd = fd;
        this.lease = lease;
        this.serverSocket = serverSocket;
    }

    boolean listening() {
        return server != null;
    }

    /** The channel a poller waits on, or null before a bind or connect. */
    SelectableChannel selectable() {
        return server != null ? server : channel;
    }

    /** How the app's messages name it: "connection to /127.0.0.1:5000", "listening socket on /0.0.0.0:8080". */
    String describe() {
        if (listening()) {
            return "listening socket on " + local;
        }
        return remote == null ? "unconnected socket" + (local == null ? "" : " on " + local) : "connection to " + remote;
    }
}
