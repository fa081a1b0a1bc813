package org.vheap.server.torture;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vheap.cli.VheapHome;

/**
 * The gateway the matrix crashes when devices reach the heap server through one: {@code ./vheap gateway} on 127.0.0.1
 * in front of the matrix's server, its backend checked every second (so that it sees a restarted server soon), started
 * again on the same port after each {@link #crash}, so that devices that retried through it go on.
 */
final class TortureGateway implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("gateway listening on (\\S+):(\\d{1,5})\\b");
    /** The first start may build the gateway module. */
    private static final Duration START = Duration.ofMinutes(10);

    private final VheapHome home;
    private final String backend;
    private ChildProcess process;
    private int port;
    private int starts;

    private TortureGateway(VheapHome home, String backend) {
        this.home = home;
        this.backend = backend;
    }

    /** Starts a gateway on a free port in front of the heap server at {@code backend}. */
    static TortureGateway start(VheapHome home, String backend) throws IOException, InterruptedException {
        TortureGateway g = new TortureGateway(home, backend);
        g.startProcess();
        return g;
    }

    /** HOST:PORT, the same after every restart. */
    String address() {
        return "127.0.0.1:" + port;
    }

    /** SIGKILL to the gateway, then a start on the same port; returns once it listens again. */
    void crash() throws IOException, InterruptedException {
        process.kill();
        startProcess();
    }

    private void startProcess() throws IOException, InterruptedException {
        starts++;
        process = ChildProcess.start("gateway" + (starts > 1 ? " (start " + starts + ")" : ""),
                List.of(home.launcher().toString(), "gateway", "--host", "127.0.0.1", "--port", Integer.toString(port),
                        "--backend", backend, "--health-interval", "1s"), home.root());
        int at = process.awaitErr("it listened", 0, l -> LISTENING.matcher(l).find(), START);
        Matcher m = LISTENING.matcher(process.err().get(at));
        if (!m.find()) {
            throw new IllegalStateException("no address in " + process.err().get(at));
        }
        port = Integer.parseInt(m.group(2));
    }

    /** SIGTERM, the gateway's graceful stop; SIGKILL if it does not end in a minute. */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive() && !process.stop(Duration.ofMinutes(1))) {
            process.kill();
        }
    }
}
