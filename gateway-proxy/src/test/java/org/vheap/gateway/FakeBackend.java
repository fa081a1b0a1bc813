package org.vheap.gateway;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import com.google.protobuf.ByteString;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.vheap.proto.v1.GetSystemBlobsRequest;
import org.vheap.proto.v1.GetSystemBlobsResponse;
import org.vheap.proto.v1.SystemBlob;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.vheap.proto.v1.AppInfo;
import org.vheap.proto.v1.GetCheckpointRequest;
import org.vheap.proto.v1.GetCheckpointResponse;
import org.vheap.proto.v1.HeapStoreGrpc;
import org.vheap.proto.v1.Line;
import org.vheap.proto.v1.ListAppsRequest;
import org.vheap.proto.v1.ListAppsResponse;
import org.vheap.proto.v1.ReadLinesRequest;
import org.vheap.proto.v1.ReadLinesResponse;

/**
 * A small HeapStore backend on a loopback port that shows what reaches it: the request headers and
 * deadline of its last call, response headers and trailers it adds, a ReadLines that never ends until the
 * caller cancels it, a GetCheckpoint that fails with its own UNAVAILABLE, GetSystemBlobs from {@link #blobs}
 * (corrupting each blob's data when {@link #corrupt} is set) with the hashes it was asked for, and
 * {@value #SINK}, a client-streaming method that never reads a message.
 */
final class FakeBackend implements AutoCloseable {
    static final Metadata.Key<String> RESPONSE_HEADER = Metadata.Key.of("x-fake-header", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> RESPONSE_TRAILER = Metadata.Key.of("x-fake-trailer", Metadata.ASCII_STRING_MARSHALLER);
    static final String OWN_UNAVAILABLE = "heap database is unavailable (the fake's own)";

    final AtomicReference<Metadata> lastHeaders = new AtomicReference<>();
    final AtomicReference<Deadline> lastDeadline = new AtomicReference<>();
    final CountDownLatch readStarted = new CountDownLatch(1);
    final CountDownLatch readCancelled = new CountDownLatch(1);
    static final String SINK = "vheap.test.Sink/Swallow";
    final Map<ByteString, ByteString> blobs = new ConcurrentHashMap<>();
    final List<List<ByteString>> systemRequests = new CopyOnWriteArrayList<>();
    final AtomicInteger calls = new AtomicInteger();
    /** The connections (peer addresses) calls came over. */
    final java.util.Set<java.net.SocketAddress> peers = ConcurrentHashMap.newKeySet();
    volatile boolean corrupt;
    /** PutSystemBlobs answers PERMISSION_DENIED and stores nothing. */
    volatile boolean refusePuts;
    private final String name;
    private final Server server;

    FakeBackend(String name) throws IOException {
        this.name = name;
        ServerInterceptor capture = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                               ServerCallHandler<Q, R> next) {
                calls.incrementAndGet();
                peers.add(call.getAttributes().get(io.grpc.Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
                lastHeaders.set(headers);
                lastDeadline.set(Context.current().getDeadline());
                return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                    @Override
                    public void sendHeaders(Metadata h) {
                        h.put(RESPONSE_HEADER, "from " + name);
                        super.sendHeaders(h);
                    }

                    @Override
                    public void close(Status status, Metadata trailers) {
                        trailers.put(RESPONSE_TRAILER, "bye from " + name);
                        super.close(status, trailers);
                    }
                }, headers);
            }
        };
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(new Store(), capture))
                .addService(ServerInterceptors.intercept(sink(), capture))
                .build().start();
    }

    /** A client-streaming method whose handler never requests a message: the gateway's sends pile up. */
    private static ServerServiceDefinition sink() {
        MethodDescriptor<byte[], byte[]> m = MethodDescriptor.<byte[], byte[]>newBuilder().setFullMethodName(SINK)
                .setType(MethodDescriptor.MethodType.CLIENT_STREAMING)
                .setRequestMarshaller(ByteMarshaller.INSTANCE).setResponseMarshaller(ByteMarshaller.INSTANCE).build();
        return ServerServiceDefinition.builder("vheap.test.Sink")
                .addMethod(m, (call, headers) -> new ServerCall.Listener<byte[]>() { }).build();
    }

    int port() {
        return server.getPort();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private final class Store extends HeapStoreGrpc.HeapStoreImplBase {
        @Override
        public void listApps(ListAppsRequest request, StreamObserver<ListAppsResponse> out) {
            out.onNext(ListAppsResponse.newBuilder().addApps(AppInfo.newBuilder().setApp(name)).build());
            out.onCompleted();
        }

        @Override
        public void getCheckpoint(GetCheckpointRequest request, StreamObserver<GetCheckpointResponse> out) {
            out.onError(Status.UNAVAILABLE.withDescription(OWN_UNAVAILABLE).asRuntimeException());
        }

        @Override
        public void putSystemBlobs(org.vheap.proto.v1.PutSystemBlobsRequest request,
                                   StreamObserver<org.vheap.proto.v1.PutSystemBlobsResponse> out) {
            if (refusePuts) {
                out.onError(Status.PERMISSION_DENIED.withDescription("the fake refuses uploads").asRuntimeException());
                return;
            }
            int stored = 0;
            for (SystemBlob b : request.getBlobsList()) {
                if (blobs.putIfAbsent(b.getSha256(), b.getData()) == null) {
                    stored++;
                }
            }
            out.onNext(org.vheap.proto.v1.PutSystemBlobsResponse.newBuilder().setStored(stored).build());
            out.onCompleted();
        }

        @Override
        public void getSystemBlobs(GetSystemBlobsRequest request, StreamObserver<GetSystemBlobsResponse> out) {
            systemRequests.add(List.copyOf(request.getSha256List()));
            GetSystemBlobsResponse.Builder r = GetSystemBlobsResponse.newBuilder();
            for (ByteString h : request.getSha256List()) {
                ByteString data = blobs.get(h);
                if (data == null) {
                    r.addMissingSha256(h);
                } else {
                    r.addBlobs(SystemBlob.newBuilder().setSha256(h)
                            .setData(corrupt ? data.concat(ByteString.copyFromUtf8("!")) : data));
                }
            }
            out.onNext(r.build());
            out.onCompleted();
        }

        @Override
        public void readLines(ReadLinesRequest request, StreamObserver<ReadLinesResponse> out) {
            ServerCallStreamObserver<ReadLinesResponse> o = (ServerCallStreamObserver<ReadLinesResponse>) out;
            o.setOnCancelHandler(readCancelled::countDown);
            o.onNext(ReadLinesResponse.newBuilder().addLines(Line.newBuilder().setLineId(1)).build());
            readStarted.countDown();
            // never completes: only the caller's cancellation ends it
        }
    }
}
