package org.vheap.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace this test made ({@code ip netns add}), joined to the host by a veth pair: the host's end is
 * {@link #hostAddress()} and the namespace's {@link #address()}, a /30 of 10.231.0.0/16 no other network uses; the
 * namespace's loopback is up. {@link #partition()} takes the host's end down, so the kernel drops everything between
 * them (a real partition: no reset, silence); {@link #heal()} brings it back. {@link #command} runs a command inside.
 * Closing deletes the pair and the namespace. Needs root ({@code CAP_NET_ADMIN}), as CI runs.
 */
final class NetNamespace implements AutoCloseable {
    private static final java.util.concurrent.atomic.AtomicInteger MADE = new java.util.concurrent.atomic.AtomicInteger();
    private final String name;
    private final String hostLink;
    private final int subnet;

    private NetNamespace(String name, String hostLink, int subnet) {
        this.name = name;
        this.hostLink = hostLink;
        this.subnet = subnet;
    }

    /** Whether this machine lets the test make namespaces (root, and the {@code ip} tool). */
    static boolean available() {
        try {
            return run("ip", "netns", "list") == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** A new namespace and its veth pair; {@code tag} (two or three letters) names them. */
    static NetNamespace create(String tag) throws IOException {
        int made = MADE.getAndIncrement();
        int subnet = (int) ((ProcessHandle.current().pid() * 8 + made) % 16384) * 4;   // a /30 per namespace of the run
        String suffix = tag + (ProcessHandle.current().pid() % 100000) + made;
        NetNamespace ns = new NetNamespace("vheap-" + suffix, "vh" + suffix, subnet);
        String peer = "vp" + suffix;
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

    /** The host's end of the pair down: nothing passes between the host and the namespace. */
    void partition() throws IOException {
        must("ip", "link", "set", hostLink, "down");
    }

    /** The host's end up again (its address stays). */
    void heal() throws IOException {
        must("ip", "link", "set", hostLink, "up");
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
