package org.vheap.server.testing;

import io.grpc.ManagedChannel;
import io.grpc.ServerBuilder;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.vheap.client.HeapStoreClient;
import org.vheap.security.ClientTls;
import org.vheap.security.ServerTls;
import org.vheap.server.HeapServer;
import org.vheap.server.auth.AccessPolicy;
import org.vheap.server.control.DeviceControlService;
import org.vheap.server.store.AppTokens;
import org.vheap.server.store.DeviceTokens;
import org.vheap.server.store.PgHeapStore;
import org.vheap.server.store.StoreSettings;

/**
 * A JUnit extension giving a test class a real heap server and a channel to it: a {@link HeapServer} over a
 * {@link PgHeapStore} on the run's embedded PostgreSQL ({@link TestDatabase}), in process
 * ({@link #inProcess()}: no socket, for everything that is not about the transport) or on {@code 127.0.0.1}
 * with Netty ({@link #onLoopback()}: for TLS, message size limits, remote-address checks, and clients that
 * dial {@code host:port}, such as the CLI). It starts before the class's first test and stops after its last:
 * <pre>
 * {@code @RegisterExtension static final TestHeapServer SERVER = TestHeapServer.inProcess();}
 * </pre>
 * Options are set when it is built. A test that needs a server of its own (another policy, a database that
 * is down) starts one and closes it: {@code try (TestHeapServer s = TestHeapServer.onLoopback().start()) { ... }}.
 *
 * <p>Defaults are a real server's: messages up to 16 MiB ({@code --max-message-bytes}), no access tokens
 * required, the system clock, the store reclaiming before each call returns (so tests see the result).
 */
public final class TestHeapServer implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
    private static final int DEFAULT_MAX_MESSAGE_BYTES = 16 << 20;

    private final boolean loopback;
    private Clock clock = Clock.systemUTC();
    private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
    private Duration commandTimeout = DeviceControlService.DEFAULT_COMMAND_TIMEOUT;
    private Function<DataSource, AccessPolicy> access = ds -> AccessPolicy.open(new AppTokens(ds), new DeviceTokens(ds));
    private ServerTls tls;
    private DataSource dataSource;   // null: the run's database

    private PgHeapStore store;
    private HeapServer server;
    private ManagedChannel channel;

    private TestHeapServer(boolean loopback) {
        this.loopback = loopback;
    }

    /** A server in this process: calls cross no socket. */
    public static TestHeapServer inProcess() {
        return new TestHeapServer(false);
    }

    /** A server on {@code 127.0.0.1}, a free port, Netty as in production. */
    public static TestHeapServer onLoopback() {
        return new TestHeapServer(true);
    }

    /** The store's clock (lease expiries). */
    public TestHeapServer clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /** The largest message the server takes (on loopback) and the bytes one system blob call may carry. */
    public TestHeapServer maxMessageBytes(int bytes) {
        this.maxMessageBytes = bytes;
        return this;
    }

    /** How long a device command (suspend, resume) waits for the device's answer. */
    public TestHeapServer commandTimeout(Duration timeout) {
        this.commandTimeout = timeout;
        return this;
    }

    /** Who may call what, given the server's database. */
    public TestHeapServer access(Function<DataSource, AccessPolicy> access) {
        this.access = access;
        return this;
    }

    /** Tokens required, with this admin token. */
    public TestHeapServer requireTokens(String adminToken) {
        return access(ds -> new AccessPolicy(true, adminToken, new AppTokens(ds), new DeviceTokens(ds)));
    }

    /** TLS with this pair (on loopback); the channel trusts its certificate and names {@code localhost}. */
    public TestHeapServer tls(ServerTls pair) {
        this.tls = pair;
        return this;
    }

    /** The store's database instead of the run's (a database that is down, say). */
    public TestHeapServer dataSource(DataSource dataSource) {
        this.dataSource = dataSource;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (dataSource == null) {
            dataSource = TestDatabase.running(context).database.dataSource();
        }
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** Starts the server and opens the channel (the extension does it before the class's first test). */
    public TestHeapServer start() {
        if (server != null) {
            throw new IllegalStateException("the test heap server runs already");
        }
        if (tls != null && !loopback) {
            throw new IllegalStateException("TLS needs a server on loopback");
        }
        if (dataSource == null) {
            throw new IllegalStateException("a test heap server started by hand needs a dataSource (the extension"
                    + " gives it the run's database)");
        }
        store = new PgHeapStore(dataSource, clock, StoreSettings.defaults().withMaxSystemCallBytes(maxMessageBytes),
                Runnable::run);
        String name = "vheap-test-" + UUID.randomUUID();
        ServerBuilder<?> builder = loopback
                ? (tls == null ? NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                        : NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), tls.credentials()))
                        .maxInboundMessageSize(maxMessageBytes)
                : InProcessServerBuilder.forName(name);
        try {
            server = new HeapServer(builder, store, commandTimeout, access.apply(dataSource)).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        channel = !loopback ? InProcessChannelBuilder.forName(name).build()
                : tls == null ? NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext()
                        .maxInboundMessageSize(64 << 20).build()
                : NettyChannelBuilder.forTarget("localhost:" + server.port(), ClientTls.trusting(tls.certFile()).credentials())
                        .maxInboundMessageSize(64 << 20).build();
        return this;
    }

    /** A channel to the server, plaintext or TLS as the server speaks; closed with it. */
    public ManagedChannel channel() {
        return channel;
    }

    /** A client of the heap store on {@link #channel()}, with a 60 s deadline per call. */
    public HeapStoreClient client() {
        return new HeapStoreClient(channel, 60_000);
    }

    /** The port it listens on (loopback only). */
    public int port() {
        if (!loopback) {
            throw new IllegalStateException("an in-process server has no port; use onLoopback()");
        }
        return server.port();
    }

    /** {@code 127.0.0.1:port} (loopback only), for clients that dial an address. */
    public String target() {
        return "127.0.0.1:" + port();
    }

    public PgHeapStore store() {
        return store;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Closes the channel and stops the server (the extension does it after the class's last test). */
    @Override
    public void close() {
        try {
            if (channel != null) {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            if (server != null) {
                server.stop(Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            channel = null;
            server = null;
        }
    }
}
