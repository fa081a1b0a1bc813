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
import java.util.concurrent.atomic.AtomicInteger;
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
 * stalled direction pushes back on its sender after {@link #QUEUED_CHUNKS} chunks). An end of one direction is passed
 * on as a half-close; a failure of either side resets both; the threads of a connection end with it. Only for tests: upstream is
 * loopback or an address in a network namespace the test created.
 */
public final class FaultRelay implements AutoCloseable {
    static final int QUEUED_CHUNKS = 256;
    private static final int CHUNK = 16 * 1024;

    private final ServerSocket listener;
    private final InetSocketAddress upstream;
    private final List<Link> links = new CopyOnWriteArrayList<>();
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
        for (Link link : List.copyOf(links)) {
            link.reset();
        }
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
        Link link = new Link(client, server);
        links.add(link);
        if (closed) {
            link.reset();
            return;
        }
        pump(link, client, server, false);
        pump(link, server, client, true);
    }

    /** One relayed connection: both sockets; ended when both directions ended or one failed. */
    private final class Link {
        final Socket client;
        final Socket server;
        final AtomicInteger directions = new AtomicInteger(2);
        volatile boolean dead;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        /** One direction ended cleanly (its end was passed on): when both have, the connection is closed. */
        void directionEnded() {
            if (directions.decrementAndGet() == 0) {
                closeQuietly(client);
                closeQuietly(server);
                links.remove(this);
            }
        }

        /** Both ends reset at once, as a broken path ends a connection. */
        void reset() {
            dead = true;
            FaultRelay.reset(client);
            FaultRelay.reset(server);
            links.remove(this);
        }
    }

    /**
     * One direction: a reader queueing timestamped chunks, a writer delivering them when delay, stall and rate allow.
     * The reader's end (EOF) is passed on as a half-close; a failure of either side resets the link.
     */
    private void pump(Link link, Socket from, Socket to, boolean answers) {
        BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
        Chunk end = new Chunk(new byte[0], 0);
        String name = "relay-" + (answers ? "down" : "up") + "-" + from.getPort();
        daemon(name + "-read", () -> {
            byte[] buffer = new byte[CHUNK];
            try {
                InputStream in = from.getInputStream();   // not closed here: that would close the socket both ways
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (!offer(link, queue, new Chunk(Arrays.copyOf(buffer, n), System.nanoTime()))) {
                        return;
                    }
                }
                offer(link, queue, end);
            } catch (IOException e) {
                link.reset();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }).start();
        daemon(name + "-write", () -> {
            try {
                OutputStream out = to.getOutputStream();
                while (!link.dead) {
                    Chunk chunk = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (chunk == null) {
                        continue;
                    }
                    if (chunk == end) {
                        to.shutdownOutput();
                        link.directionEnded();
                        return;
                    }
                    long wait = chunk.arrived() + delayNanos - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    awaitFlowing(link, answers);
                    long rate = bytesPerSecond;
                    if (rate > 0) {
                        TimeUnit.NANOSECONDS.sleep(chunk.bytes().length * 1_000_000_000L / rate);
                    }
                    forwarded.addAndGet(chunk.bytes().length);
                    out.write(chunk.bytes());
                    out.flush();
                }
            } catch (IOException e) {
                link.reset();   // the other side is gone: so is this one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }).start();
    }

    /** Queues a chunk, waiting while the queue is full; false once the link is dead. */
    private static boolean offer(Link link, BlockingQueue<Chunk> queue, Chunk chunk) throws InterruptedException {
        while (!link.dead) {
            if (queue.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                return true;
            }
        }
        return false;
    }

    /** Bytes read from one side, and when ({@link System#nanoTime()}). */
    private record Chunk(byte[] bytes, long arrived) {
    }

    private void awaitFlowing(Link link, boolean answers) throws InterruptedException {
        synchronized (gate) {
            while ((stalled || answers && answersStalled) && !closed && !link.dead) {
                gate.wait(100);   // and again: a link reset meanwhile ends its writer
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
