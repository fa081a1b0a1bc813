package org.vheap.server.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * A heap server address where nothing answers, and what every command pointed there must say: one fixture for the
 * command-line tests of the heap server, the device and the gateway, so the sentence users read is written down once.
 */
public final class UnreachableServer {
    private UnreachableServer() {
    }

    /** {@code 127.0.0.1:PORT} of a loopback port nothing listens on (something did a moment ago). */
    public static String address() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "127.0.0.1:" + s.getLocalPort();
        }
    }

    /** What a client says of {@code address} when nothing answers there (after the status name it reports). */
    public static String nothingAnswers(String address) {
        return "nothing answers at " + address + " (connection refused): start a heap server with ./vheap server,"
                + " or point to one that runs";
    }
}
