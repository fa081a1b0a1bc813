package org.vheap.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace this test made ({@code ip netns add}), joined to the host by a veth pair: the host's end is
 * {@link #hostAddress()} and the namespace's {@link #address()}, a /30 of 10.231.0.0/16 no other network uses; the
 * namespace's loopback is up. {@link #partition()} takes the namespace's end down, so the kernel drops everything
 * between them (a real partition); {@link #heal()} brings it back. {@link #command} runs a command inside. Closing
 * deletes the pair and the namespace. Needs root ({@code CAP_NET_ADMIN}) and iproute2: without them the test that
 * asks is skipped with one line, and with {@code VHEAP_NETNS_TESTS=required} (CI) that is a failure.
 */
final class NetNamespace implements AutoCloseable {
    private static final java.util.concurrent.atomic.AtomicInteger MADE = new java.util.concurrent.atomic.AtomicInteger();
    private final String name;
    private final String hostLink;
    private final String peerLink;
    private final int subnet;

    private NetNamespace(String name, String hostLink, String peerLink, int subnet) {
        this.name = name;
        this.hostLink = hostLink;
        this.peerLink = peerLink;
        this.subnet = subnet;
    }

    /** Skips the calling test (fails it under {@code VHEAP_NETNS_TESTS=required}) unless it may make namespaces. */
    static void requireAvailable() {
        String why = null;
        if (!"root".equals(System.getProperty("user.name"))) {
            why = "network namespaces need root (CAP_NET_ADMIN)";
        } else {
            try {
                if (run("ip", "netns", "list") != 0) {
                    why = "ip netns does not work here";
                }
            } catch (IOException e) {
                why = "no ip tool (iproute2)";
            }
        }
        if (why != null) {
            if ("required".equals(System.getenv("VHEAP_NETNS_TESTS"))) {
                throw new AssertionError("VHEAP_NETNS_TESTS=required, but " + why);
            }
            org.junit.jupiter.api.Assumptions.abort(why);
        }
    }

    /** A new namespace and its veth pair; {@code tag} (two or three letters) names them. */
    static NetNamespace create(String tag) throws IOException {
        int made = MADE.getAndIncrement();
        int subnet = (int) ((ProcessHandle.current().pid() * 8 + made) % 16384) * 4;   // a /30 per namespace of the run
        String suffix = tag + (ProcessHandle.current().pid() % 100000) + made;
        String peer = "vp" + suffix;
        NetNamespace ns = new NetNamespace("vheap-" + suffix, "vh" + suffix, peer, subnet);
        ns.must("ip", "netns", "add", ns.name);
        try {
            ns.must("ip", "netns", "exec", ns.name, "ip", "link", "set", "lo", "up");
            ns.must("ip", "link", "add", ns.hostLink, "type", "veth", "peer", "name", peer);
            ns.must("ip", "link", "set", peer, "netns", ns.name);
            ns.must("ip", "addr", "add", ns.hostAddress() + "/30", "dev", ns.hostLink);
            ns.must("ip", "link", "set", ns.hostLink, "up");
            ns.must("ip", "netns", "exec", ns.name, "ip", "addr", "add", ns.address() + "/30", "dev", peer);
            ns.must("ip", "netns", "exec", ns.name, "ip", "link", "set", peer, "up");
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** The namespace's address on the pair. */
    String address() {
        return "10.231." + (subnet >> 8) + "." + ((subnet & 0xff) + 2);
    }

    /** The host's address on the pair. */
    String hostAddress() {
        return "10.231." + (subnet >> 8) + "." + ((subnet & 0xff) + 1);
    }

    /** {@code command} run inside the namespace. */
    List<String> command(List<String> command) {
        List<String> inside = new ArrayList<>(List.of("ip", "netns", "exec", name));
        inside.addAll(command);
        return inside;
    }

    /**
     * The namespace's end of the pair down: nothing passes between the host and the namespace. The host keeps its route
     * to the namespace (on a link without carrier), so what it sends there is dropped, never sent another way: silence,
     * then "no route to host" once its neighbour entry for the namespace's address expires, as a LAN partition looks.
     */
    void partition() throws IOException {
        must("ip", "netns", "exec", name, "ip", "link", "set", peerLink, "down");
    }

    /** The namespace's end up again (its address stays). */
    void heal() throws IOException {
        must("ip", "netns", "exec", name, "ip", "link", "set", peerLink, "up");
    }

    @Override
    public void close() throws IOException {
        run("ip", "link", "del", hostLink);   // takes the peer with it
        run("ip", "netns", "del", name);
    }

    private void must(String... command) throws IOException {
        if (run(command) != 0) {
            throw new IOException("failed: " + String.join(" ", command));
        }
    }

    private static int run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            if (p.exitValue() != 0 && !output.isBlank()) {
                System.err.println(String.join(" ", command) + ": " + output.strip());
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
