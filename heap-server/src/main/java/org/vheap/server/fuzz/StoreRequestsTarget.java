package org.vheap.server.fuzz;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.vheap.proto.v1.DeviceControlGrpc;
import org.vheap.proto.v1.HeapStoreGrpc;
import org.vheap.proto.v1.ListQuotasRequest;
import org.vheap.proto.v1.ListQuotasResponse;
import org.vheap.proto.v1.SetQuotaRequest;
import org.vheap.server.HeapServerConfig;
import org.vheap.server.HeapServerInstance;

/**
 * Fuzz target {@code store-requests}: every request message of the heap store's and the control plane's gRPC services,
 * sent to a real heap server (Netty on loopback, the embedded PostgreSQL, as {@code ./vheap server} runs) by a client.
 *
 * <p><b>An input</b> is a method, its first byte (modulo the methods, {@link #METHODS}' order), then request messages,
 * each a two-byte big-endian length and that many bytes of the method's request type (a unary or server-streaming call
 * sends the first; a streaming one sends them all, then half-closes). Bytes that do not parse as the request type are
 * not sent: the target fuzzes the server, not protobuf.
 *
 * <p><b>What must hold:</b> every call ends within its deadline, with OK or a status other than INTERNAL and UNKNOWN
 * that carries a message (a client's mistake is said to the client, never a crash of the server); gRPC logs no
 * exception of a server handler (what the client does not see: a stream closed twice); and a refused call
 * changes nothing in the store ({@link #digest}: every heap row, its lease and its open epoch's versions, every name,
 * checkpoint, token, system blob and quota, compared before and after). A failure is thrown as an {@link AssertionError},
 * which Jazzer reports with the input.
 */
public final class StoreRequestsTarget {
    /** The methods, in the order an input's first byte picks them. */
    static final List<MethodDescriptor<?, ?>> METHODS = List.of(
            HeapStoreGrpc.getOpenHeapMethod(), HeapStoreGrpc.getRenewLeaseMethod(), HeapStoreGrpc.getCloseHeapMethod(),
            HeapStoreGrpc.getTransactMethod(), HeapStoreGrpc.getReadLinesMethod(), HeapStoreGrpc.getCommitCheckpointMethod(),
            HeapStoreGrpc.getListAppsMethod(), HeapStoreGrpc.getListCheckpointsMethod(),
            HeapStoreGrpc.getGetCheckpointMethod(), HeapStoreGrpc.getDeleteCheckpointMethod(),
            HeapStoreGrpc.getDeleteAppMethod(), HeapStoreGrpc.getResetAppTokenMethod(),
            HeapStoreGrpc.getPutSystemBlobsMethod(), HeapStoreGrpc.getGetSystemBlobsMethod(),
            HeapStoreGrpc.getFindMissingSystemBlobsMethod(), DeviceControlGrpc.getAttachMethod(),
            DeviceControlGrpc.getListDevicesMethod(), DeviceControlGrpc.getSuspendAppMethod(),
            DeviceControlGrpc.getResumeAppMethod(), DeviceControlGrpc.getMigrateAppMethod(),
            DeviceControlGrpc.getResetDeviceTokenMethod(), HeapStoreGrpc.getSetQuotaMethod(),
            HeapStoreGrpc.getListQuotasMethod());
    private static final long DEADLINE_SECONDS = 10;

    private static Path data;
    private static HeapServerInstance server;
    private static ManagedChannel channel;
    /** What gRPC logged at SEVERE: exceptions thrown by the server's handlers, which the client never sees. */
    private static final java.util.Queue<java.util.logging.LogRecord> SEVERE = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private StoreRequestsTarget() {
    }

    /** Jazzer calls it once: a heap server on a fresh embedded PostgreSQL, stopped and deleted when the JVM ends. */
    public static void fuzzerInitialize() throws IOException {
        data = Files.createTempDirectory("vheap-fuzz-store");
        server = HeapServerInstance.start(new HeapServerConfig().setHost("127.0.0.1").setPort(0).setDataDir(data),
                Clock.systemUTC());
        channel = NettyChannelBuilder.forTarget(server.address()).usePlaintext().maxInboundMessageSize(64 << 20).build();
        java.util.logging.Logger.getLogger("io.grpc").addHandler(new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()) {
                    SEVERE.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(StoreRequestsTarget::stop, "vheap-fuzz-stop"));
    }

    private static void stop() {
        channel.shutdownNow();
        server.close();
        try (var walk = Files.walk(data)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory: the system's to clean
        }
    }

    /** One input; see the class's description. */
    public static void fuzzerTestOneInput(byte[] input) throws SQLException, InterruptedException {
        if (input.length == 0) {
            return;
        }
        @SuppressWarnings("unchecked")
        MethodDescriptor<Object, Object> method = (MethodDescriptor<Object, Object>) METHODS.get((input[0] & 0xff) % METHODS.size());
        List<Object> requests = new ArrayList<>();
        for (byte[] message : messages(input)) {
            try {
                requests.add(method.getRequestMarshaller().parse(new ByteArrayInputStream(message)));
            } catch (RuntimeException notThisType) {
                return;
            }
        }
        if (requests.isEmpty()) {
            return;
        }
        String before = digest();
        Status status;
        try {
            status = call(method, requests);
        } finally {
            if (method.getFullMethodName().equals(HeapStoreGrpc.getSetQuotaMethod().getFullMethodName())) {
                clearQuotas();   // a quota kept would refuse every later input of its app (or, the default's, of all)
            }
        }
        java.util.logging.LogRecord logged = SEVERE.poll();
        if (logged != null) {
            throw new AssertionError(method.getFullMethodName() + ": the server's handler threw (gRPC logged: "
                    + logged.getMessage() + ")", logged.getThrown());
        }
        if (status.isOk()) {
            return;
        }
        if (status.getCode() == Status.Code.INTERNAL || status.getCode() == Status.Code.UNKNOWN
                || status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
            throw new AssertionError(method.getFullMethodName() + " ended " + status.getCode() + ": "
                    + status.getDescription(), status.getCause());
        }
        if (status.getDescription() == null || status.getDescription().isBlank()) {
            throw new AssertionError(method.getFullMethodName() + " was refused with " + status.getCode() + " and no message");
        }
        String after = digest();
        if (!before.equals(after)) {
            throw new AssertionError(method.getFullMethodName() + " was refused (" + status.getCode() + ": "
                    + status.getDescription() + ") but changed the store:\n before " + before + "\n after  " + after);
        }
    }

    /** Removes every quota an input set, through the server (so its cache forgets them too). */
    private static void clearQuotas() {
        HeapStoreGrpc.HeapStoreBlockingStub stub = HeapStoreGrpc.newBlockingStub(channel)
                .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
        ListQuotasResponse all = stub.listQuotas(ListQuotasRequest.getDefaultInstance());
        all.getAppsList().forEach(e -> stub.setQuota(SetQuotaRequest.newBuilder().setApp(e.getApp()).setClear(true).build()));
        stub.setQuota(SetQuotaRequest.newBuilder().setApp("").setClear(true).build());
    }

    /** The input's messages after its first byte: two-byte lengths, each followed by that many bytes. */
    static List<byte[]> messages(byte[] input) {
        List<byte[]> messages = new ArrayList<>();
        int at = 1;
        while (at + 2 <= input.length && messages.size() < 8) {
            int length = ((input[at] & 0xff) << 8) | (input[at + 1] & 0xff);
            at += 2;
            int end = Math.min(input.length, at + length);
            messages.add(java.util.Arrays.copyOfRange(input, at, end));
            at = end;
        }
        return messages;
    }

    /** An input for {@code method} (by its index in {@link #METHODS}) sending {@code messages}: for seed corpora. */
    static byte[] encode(int method, List<byte[]> messages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(method);
        for (byte[] m : messages) {
            out.write(m.length >>> 8);
            out.write(m.length & 0xff);
            out.writeBytes(m);
        }
        return out.toByteArray();
    }

    private static Status call(MethodDescriptor<Object, Object> method, List<Object> requests) throws InterruptedException {
        CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
        try {
            switch (method.getType()) {
                case UNARY -> ClientCalls.blockingUnaryCall(channel, method, options, requests.get(0));
                case SERVER_STREAMING -> {
                    Iterator<Object> it = ClientCalls.blockingServerStreamingCall(channel, method, options, requests.get(0));
                    while (it.hasNext()) {
                        it.next();
                    }
                }
                default -> {
                    return streaming(method, options, requests);
                }
            }
            return Status.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
    }

    /** A client- or bidi-streaming call: every request, a half-close, then every response until the server ends it. */
    private static Status streaming(MethodDescriptor<Object, Object> method, CallOptions options, List<Object> requests)
            throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Status[] result = {Status.OK};
        StreamObserver<Object> responses = new StreamObserver<>() {
            @Override
            public void onNext(Object value) {
            }

            @Override
            public void onError(Throwable t) {
                result[0] = Status.fromThrowable(t);
                done.countDown();
            }

            @Override
            public void onCompleted() {
                done.countDown();
            }
        };
        var call = channel.newCall(method, options);
        StreamObserver<Object> out = method.getType() == MethodDescriptor.MethodType.CLIENT_STREAMING
                ? ClientCalls.asyncClientStreamingCall(call, responses) : ClientCalls.asyncBidiStreamingCall(call, responses);
        for (Object r : requests) {
            out.onNext(r);
        }
        out.onCompleted();
        if (!done.await(DEADLINE_SECONDS + 5, TimeUnit.SECONDS)) {
            call.cancel("the fuzz target's wait ended", null);
            return Status.DEADLINE_EXCEEDED.withDescription("no end of the stream within " + DEADLINE_SECONDS + " s");
        }
        return result[0];
    }

    /**
     * The store as a refused call must leave it: each heap row (name, lease, token, open epoch, flushes) with the count
     * of its open epoch's line versions, the counts of names, checkpoints, tokens and system blobs, and every quota. (Versions of
     * closed epochs are left out: the reclaimer removes unreachable ones in the background.)
     */
    static String digest() throws SQLException {
        try (Connection c = server.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT md5(coalesce(string_agg(concat_ws(':', h.heap_id, h.app_name,"
                     + " h.fencing_token, h.lease_holder, h.lease_expires_at, h.open_epoch, h.open_lineage, h.open_flushes,"
                     + " (SELECT count(*) FROM line_version v WHERE v.heap_id = h.heap_id AND v.epoch = h.open_epoch)),"
                     + " ',' ORDER BY h.heap_id), '')) FROM heap h), (SELECT count(*) FROM heap_name),"
                     + " (SELECT count(*) FROM checkpoint), (SELECT count(*) FROM app_token),"
                     + " (SELECT count(*) FROM device_token), (SELECT count(*) FROM system_blob),"
                     + " (SELECT md5(coalesce(string_agg(concat_ws(':', app_name, max_lines, max_bytes, max_checkpoints,"
                     + " max_calls_per_second), ',' ORDER BY app_name), '')) FROM app_quota)")) {
            rs.next();
            return rs.getString(1) + " names " + rs.getLong(2) + " checkpoints " + rs.getLong(3) + " app tokens "
                    + rs.getLong(4) + " device tokens " + rs.getLong(5) + " blobs " + rs.getLong(6) + " quotas "
                    + rs.getString(7);
        }
    }
}
