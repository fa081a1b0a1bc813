package org.vheap.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay that injects network faults in user space (this kernel has no {@code netem}): it listens on loopback and
 * forwards every connection to one upstream address, and a test makes the path slow or broken while connections run.
 *
 * <ul>
 *   <li>{@link #delay}: each chunk of bytes is held this long from when it arrived, in each direction (a round trip
 *       gains twice it), order kept;</li>
 *   <li>{@link #bandwidth}: at most this many bytes a second in each direction, per connection;</li>
 *   <li>{@link #stall}: nothing moves, on any connection, old or new, until {@link #resume} (what a partition looks
 *       like to both ends: silence, no reset); bytes sent meanwhile are delivered after, as TCP would;
 *       {@link #stallAnswers}: the same for the bytes coming back from upstream alone (requests arrive and are
 *       carried out; their answers are held);</li>
 *   <li>{@link #cut}: every connection is reset now; new ones are forwarded.</li>
 * </ul>
 *
 * <p>Per connection, a reader and a writer thread in each direction, and a bounded queue of chunks between them (so a
 * stalled direction pushes back on its sender after {@link #QUEUED_CHUNKS} chunks). Only for tests: upstream is
 * loopback or an address in a network namespace the test created.
 */
public final class FaultRelay implements AutoCloseable {
    static final int QUEUED_CHUNKS = 256;
    private static final int CHUNK = 16 * 1024;

    private final ServerSocket listener;
    private final InetSocketAddress upstream;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private final Object gate = new Object();
    private volatile long delayNanos;
    private volatile long bytesPerSecond;
    private boolean stalled;   // guarded by gate
    private boolean answersStalled;   // guarded by gate
    private volatile boolean closed;

    private FaultRelay(ServerSocket listener, InetSocketAddress upstream) {
        this.listener = listener;
        this.upstream = upstream;
    }

    /** A relay on {@code 127.0.0.1} (an ephemeral port) to {@code host:port}, forwarding at once. */
    public static FaultRelay start(String host, int port) throws IOException {
        ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        FaultRelay relay = new FaultRelay(listener, new InetSocketAddress(host, port));
        daemon("relay-accept-" + listener.getLocalPort(), relay::accept).start();
        return relay;
    }

    /** {@code 127.0.0.1:PORT}: where clients connect. */
    public String target() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Holds each chunk {@code delay} from its arrival, in each direction; zero: none. */
    public void delay(Duration delay) {
        delayNanos = delay.toNanos();
    }

    /** At most {@code bytes} a second in each direction of each connection; 0: unlimited. */
    public void bandwidth(long bytes) {
        bytesPerSecond = bytes;
    }

    /** Nothing moves on any connection, new ones included, until {@link #resume()}. */
    public void stall() {
        synchronized (gate) {
            stalled = true;
        }
    }

    /** Nothing comes back from upstream, on any connection, until {@link #resume()}; requests still go through. */
    public void stallAnswers() {
        synchronized (gate) {
            answersStalled = true;
        }
    }

    /** Ends a {@link #stall()} or {@link #stallAnswers()}: what waited is delivered, in order. */
    public void resume() {
        synchronized (gate) {
            stalled = false;
            answersStalled = false;
            gate.notifyAll();
        }
    }

    /** Resets every connection open now (both ends see it closed); new connections are forwarded. */
    public void cut() {
        for (Socket s : sockets) {
            reset(s);
        }
        sockets.clear();
    }

    /** Bytes delivered so far, both directions. */
    public long bytesForwarded() {
        return forwarded.get();
    }

    /** Connections accepted so far. */
    public long connections() {
        return connections.get();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        resume();
        cut();
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;   // closed
            }
            connections.incrementAndGet();
            daemon("relay-connect-" + client.getPort(), () -> connect(client)).start();
        }
    }

    private void connect(Socket client) {
        Socket server = new Socket();
        try {
            server.connect(upstream, 10_000);
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
        } catch (IOException e) {
            reset(client);
            closeQuietly(server);
            return;
        }
        sockets.add(client);
        sockets.add(server);
        if (closed) {
            cut();
            return;
        }
        pump(client, server, false);
        pump(server, client, true);
    }

    /** One direction: a reader queueing timestamped chunks, a writer delivering them when delay, stall and rate allow. */
    private void pump(Socket from, Socket to, boolean answers) {
        BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
        Chunk end = new Chunk(new byte[0], 0);
        String name = "relay-" + (answers ? "down" : "up") + "-" + from.getPort();
        daemon(name + "-read", () -> {
            byte[] buffer = new byte[CHUNK];
            try (InputStream in = from.getInputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    queue.put(new Chunk(Arrays.copyOf(buffer, n), System.nanoTime()));
                }
            } catch (IOException | InterruptedException e) {
                // reset or closed: the writer ends the other side
            }
            try {
                queue.put(end);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }).start();
        daemon(name + "-write", () -> {
            try (OutputStream out = to.getOutputStream()) {
                while (true) {
                    Chunk chunk = queue.take();
                    if (chunk == end) {
                        break;
                    }
                    long wait = chunk.arrived() + delayNanos - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    awaitFlowing(answers);
                    long rate = bytesPerSecond;
                    if (rate > 0) {
                        TimeUnit.NANOSECONDS.sleep(chunk.bytes().length * 1_000_000_000L / rate);
                    }
                    out.write(chunk.bytes());
                    out.flush();
                    forwarded.addAndGet(chunk.bytes().length);
                }
                to.shutdownOutput();
            } catch (IOException | InterruptedException e) {
                reset(from);   // the other side is gone: so is this one
                reset(to);
            }
        }).start();
    }

    /** Bytes read from one side, and when ({@link System#nanoTime()}). */
    private record Chunk(byte[] bytes, long arrived) {
    }

    private void awaitFlowing(boolean answers) throws InterruptedException {
        synchronized (gate) {
            while ((stalled || answers && answersStalled) && !closed) {
                gate.wait();
            }
        }
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);   // an RST, as a broken path ends a connection
        } catch (IOException e) {
            // already closed
        }
        closeQuietly(s);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    private static Thread daemon(String name, Runnable run) {
        Thread t = new Thread(run, name);
        t.setDaemon(true);
        return t;
    }
}
