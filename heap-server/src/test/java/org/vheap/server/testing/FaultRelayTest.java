package org.vheap.server.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The test relay against an echo server on loopback: each fault does what it says, and healing restores the path. */
class FaultRelayTest {
    private ServerSocket echo;
    private FaultRelay relay;

    @BeforeEach
    void setUp() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    Socket s = echo.accept();
                    Thread e = new Thread(() -> {
                        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                            in.transferTo(out);
                        } catch (IOException ignored) {
                            // reset by the relay
                        }
                    });
                    e.setDaemon(true);
                    e.start();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        relay = FaultRelay.start("127.0.0.1", echo.getLocalPort());
    }

    @AfterEach
    void tearDown() throws IOException {
        relay.close();
        echo.close();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", relay.port());
        s.setSoTimeout(5_000);
        return s;
    }

    /** Sends {@code n} bytes and reads them back; returns the round trip in ms. */
    private static long roundTrip(Socket s, int n) throws IOException {
        long start = System.nanoTime();
        s.getOutputStream().write(new byte[n]);
        s.getOutputStream().flush();
        s.getInputStream().readNBytes(n);
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void aDelayIsAddedInEachDirectionAndRemovedAgain() throws IOException {
        try (Socket s = connect()) {
            assertThat(roundTrip(s, 10)).isLessThan(100);
            relay.delay(Duration.ofMillis(100));
            assertThat(roundTrip(s, 10)).isGreaterThanOrEqualTo(200);
            relay.delay(Duration.ZERO);
            assertThat(roundTrip(s, 10)).isLessThan(100);
        }
    }

    @Test
    void aStallHoldsEveryByteOfOldAndNewConnectionsUntilResumed() throws IOException {
        try (Socket s = connect()) {
            roundTrip(s, 10);
            relay.stall();
            s.setSoTimeout(300);
            s.getOutputStream().write(7);
            assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            try (Socket fresh = connect()) {
                fresh.setSoTimeout(300);
                fresh.getOutputStream().write(8);
                assertThatThrownBy(() -> fresh.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
                relay.resume();
                fresh.setSoTimeout(5_000);
                assertThat(fresh.getInputStream().read()).isEqualTo(8);
            }
            s.setSoTimeout(5_000);
            assertThat(s.getInputStream().read()).as("held, then delivered").isEqualTo(7);
        }
    }

    @Test
    void stalledAnswersLetRequestsThroughAndHoldWhatComesBack() throws IOException {
        try (Socket s = connect()) {
            roundTrip(s, 10);
            long before = relay.bytesForwarded();
            relay.stallAnswers();
            s.setSoTimeout(300);
            s.getOutputStream().write(new byte[5]);
            assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            assertThat(relay.bytesForwarded()).as("the request went through").isEqualTo(before + 5);
            relay.resume();
            s.setSoTimeout(5_000);
            assertThat(s.getInputStream().readNBytes(5)).hasSize(5);
        }
    }

    @Test
    void aCutResetsOpenConnectionsAndNewOnesAreForwarded() throws IOException {
        try (Socket s = connect()) {
            roundTrip(s, 10);
            relay.cut();
            assertThatThrownBy(() -> {
                for (int i = 0; i < 100; i++) {   // the reset arrives with the next write, or ends the read
                    s.getOutputStream().write(new byte[1024]);
                    if (s.getInputStream().read() < 0) {
                        throw new IOException("closed");
                    }
                }
            }).isInstanceOf(IOException.class);
        }
        try (Socket s = connect()) {
            assertThat(roundTrip(s, 10)).isLessThan(1000);
        }
        assertThat(relay.connections()).isEqualTo(2);
    }

    @Test
    void aBandwidthLimitPacesTheBytes() throws IOException {
        try (Socket s = connect()) {
            relay.bandwidth(200_000);
            // 100 kB at 200 kB/s each way: the echo of the last byte comes after 0.5 s at least
            assertThat(roundTrip(s, 100_000)).isGreaterThanOrEqualTo(450);
            assertThat(relay.bytesForwarded()).isEqualTo(200_000);
        }
    }
}
