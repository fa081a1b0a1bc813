package org.vheap.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.vheap.proto.v1.HeapStoreGrpc;
import org.vheap.proto.v1.ListAppsRequest;
import org.vheap.security.ClientTls;

/** The one sentence for "nothing answers at HOST:PORT", from a real refused connection and from statuses. */
class ServerUnreachableTest {

    /** A loopback port nothing listens on (it did a moment ago). */
    static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aChannelWithTheHintsSaysNothingAnswersInsteadOfIoException() throws Exception {
        String target = "127.0.0.1:" + closedPort();
        ClientTls plain = ClientTls.plaintext();
        ManagedChannel channel = NettyChannelBuilder.forTarget(target, plain.credentials()).intercept(plain.mismatchHints()).build();
        try {
            assertThatThrownBy(() -> HeapStoreGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .listApps(ListAppsRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                        assertThat(e.getStatus().getDescription()).isEqualTo("nothing answers at " + target
                                + " (connection refused): start a heap server with ./vheap server, or point to one that runs");
                    });
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void refusedTimedOutAndNoConnectionWithinTheDeadlineAreExplained() {
        Status refused = Status.UNAVAILABLE.withDescription("io exception")
                .withCause(new RuntimeException("wrapped", new ConnectException("Connection refused: /127.0.0.1:7700")));
        assertThat(ServerUnreachable.explain(refused, "localhost:7700")).contains(
                "nothing answers at localhost:7700 (connection refused): start a heap server with ./vheap server,"
                        + " or point to one that runs");
        Status timedOut = Status.UNAVAILABLE.withCause(new ConnectException("connection timed out after 20000 ms: /10.1.2.3:7700"));
        assertThat(ServerUnreachable.explain(timedOut, "10.1.2.3:7700")).hasValueSatisfying(
                s -> assertThat(s).startsWith("nothing answers at 10.1.2.3:7700 (connection timed out): "));
        Status waiting = Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded after 0.99s. [closed=[],"
                + " open=[[buffered_nanos=990000000, waiting_for_connection]]]");
        assertThat(ServerUnreachable.explain(waiting, "h:1")).hasValueSatisfying(
                s -> assertThat(s).startsWith("nothing answers at h:1 (no connection within the call's deadline): "));
    }

    @Test
    void otherFailuresAreLeftAlone() {
        assertThat(ServerUnreachable.explain(Status.UNAVAILABLE.withDescription("the heap database is unavailable"), "h:1")).isEmpty();
        assertThat(ServerUnreachable.explain(Status.NOT_FOUND.withDescription("no app named 'x'"), "h:1")).isEmpty();
        assertThat(ServerUnreachable.explain(Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded after 9.9s."
                + " [remote_addr=localhost/127.0.0.1:7700]"), "h:1")).isEmpty();
    }
}
