package org.vheap.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.vheap.device.store.MemoryHeapStore;
import org.vheap.server.testing.TestHeaps;

/**
 * An app's sockets are leased on its device's network and do not move with it: a connection open at a checkpoint
 * is lost after a resume (on any device), with an exception saying so at its first use and a lost lease its
 * listeners hear of; a listening socket is bound again at its address where the device has the network, else lost
 * the same way. Everything runs on loopback, against a peer in the test.
 */
class HeapSocketsTest {
    /** Talks to the test's upper-casing peer, checkpoints with the connection open, then talks again. */
    private static final String TALKER = """
            import java.io.*;
            import java.net.*;
            import java.util.concurrent.*;
            import org.vheap.api.*;
            public class Talker {
                public static void main(String[] a) throws Exception {
                    CountDownLatch heard = new CountDownLatch(1);
                    String[] news = new String[1];
                    Leases.addListener(lease -> {
                        news[0] = "listener: lost a lease on " + lease.resource() + ", valid " + lease.valid();
                        heard.countDown();
                    });
                    Socket s = new Socket("127.0.0.1", Integer.parseInt(a[0]));
                    OutputStream out = s.getOutputStream();
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream()));
                    out.write("one\\n".getBytes());
                    System.out.println("got " + in.readLine());
                    System.out.println("checkpoint " + Checkpoint.now());
                    try {
                        out.write("two\\n".getBytes());
                        System.out.println("got " + in.readLine());
                    } catch (IOException e) {
                        System.out.println(e);
                        heard.await(30, TimeUnit.SECONDS);
                        System.out.println(news[0]);
                    }
                    s.close();
                    System.out.println("closed " + s.isClosed());
                }
            }
            """;

    /** Listens on the port it is given, checkpoints, then serves one connection. */
    private static final String LISTENER = """
            import java.io.*;
            import java.net.*;
            import org.vheap.api.*;
            public class Listener {
                public static void main(String[] a) throws Exception {
                    ServerSocket server = new ServerSocket(Integer.parseInt(a[0]), 5, InetAddress.getLoopbackAddress());
                    System.out.println("checkpoint " + Checkpoint.now());
                    try (Socket s = server.accept()) {
                        String line = new BufferedReader(new InputStreamReader(s.getInputStream())).readLine();
                        new PrintWriter(s.getOutputStream(), true).println("served " + line);
                        System.out.println("served " + line);
                    } catch (IOException e) {
                        System.out.println(e);
                    }
                    server.close();
                }
            }
            """;

    @Test
    void aConnectionOpenAtACheckpointIsLostAfterAResumeOnAnyDeviceAndItsLeaseListenerHearsOfIt() throws Exception {
        Path classes = ResumeTest.compile("Talker", TALKER);
        List<Path> cp = List.of(classes, ResumeTest.apiClasses());
        try (MemoryHeapStore store = new MemoryHeapStore(); ServerSocket peer = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread serving = new Thread(() -> upperCase(peer));
            serving.setDaemon(true);
            serving.start();
            String app = TestHeaps.app("talker");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(device("a", List.of("net"), store, out, app).run(cp, "Talker", List.of(String.valueOf(peer.getLocalPort()))))
                    .isZero();
            String first = out.toString(StandardCharsets.UTF_8);
            assertThat(first.replaceAll("checkpoint \\d+", "checkpoint N"))
                    .isEqualTo("got ONE\ncheckpoint N\ngot TWO\nclosed true\n");
            long checkpoint = ResumeTest.checkpointIn(first);
            for (List<String> resources : List.of(List.of("net"), List.<String>of())) {
                ByteArrayOutputStream again = new ByteArrayOutputStream();
                assertThat(device("b", resources, store, again, app).resume(checkpoint)).isZero();
                assertThat(again.toString(StandardCharsets.UTF_8)).as("resumed with resources %s", resources).isEqualTo(
                        "checkpoint " + checkpoint + "\njava.net.SocketException: connection to /127.0.0.1:" + peer.getLocalPort() + " was lost when the app"
                                + " moved: a connection stays on the device that opened it\n"
                                + "listener: lost a lease on net, valid false\nclosed true\n");
            }
        }
    }

    @Test
    void aListeningSocketIsBoundAgainWhereTheDeviceHasTheNetworkAndLostWhereItHasNot() throws Exception {
        Path classes = ResumeTest.compile("Listener", LISTENER);
        List<Path> cp = List.of(classes, ResumeTest.apiClasses());
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        try (MemoryHeapStore store = new MemoryHeapStore()) {
            String app = TestHeaps.app("listener");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() ->
                    device("a", List.of("net"), store, out, app).run(cp, "Listener", List.of(String.valueOf(port))));
            assertThat(ask(port, "from the test")).isEqualTo("served from the test");
            assertThat(run.get()).isZero();
            long checkpoint = ResumeTest.checkpointIn(out.toString(StandardCharsets.UTF_8));

            ByteArrayOutputStream again = new ByteArrayOutputStream();
            CompletableFuture<Integer> resumed = CompletableFuture.supplyAsync(() ->
                    device("b", List.of("net"), store, again, app).resume(checkpoint));
            assertThat(ask(port, "after the move")).isEqualTo("served after the move");
            assertThat(resumed.get()).isZero();
            assertThat(again.toString(StandardCharsets.UTF_8)).isEqualTo("checkpoint " + checkpoint + "\nserved after the move\n");

            ByteArrayOutputStream offline = new ByteArrayOutputStream();
            assertThat(device("c", List.of(), store, offline, app).resume(checkpoint)).isZero();
            assertThat(offline.toString(StandardCharsets.UTF_8)).isEqualTo("checkpoint " + checkpoint + "\njava.net.SocketException: listening socket on /127.0.0.1:"
                    + port + " was lost when the app moved: device c has no resource net (it has: none)\n");
        }
    }

    private static Device device(String name, List<String> resources, MemoryHeapStore store, ByteArrayOutputStream out, String app) {
        return new Device(new DeviceConfig().app(app).deviceName(name).resources(resources),
                store, ResumeTest.console(out));
    }


    /** Sends a line to the app's listening socket once it listens; its answer. */
    private static String ask(int port, String line) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                new PrintWriter(s.getOutputStream(), true).println(line);
                return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(20);
            }
        }
    }

    /** The test's peer: answers each line upper-cased, connection after connection. */
    private static void upperCase(ServerSocket peer) {
        while (!peer.isClosed()) {
            try (Socket s = peer.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(s.getOutputStream(), true);
                for (String line; (line = in.readLine()) != null; ) {
                    out.println(line.toUpperCase(Locale.ROOT));
                }
            } catch (IOException closed) {
                // the next connection, or the end of the test
            }
        }
    }
}
