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
import java.util.concurrent.CountDownLatch;
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
 * caller cancels it, and a GetCheckpoint that fails with its own UNAVAILABLE.
 */
final class FakeBackend implements AutoCloseable {
    static final Metadata.Key<String> RESPONSE_HEADER = Metadata.Key.of("x-fake-header", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> RESPONSE_TRAILER = Metadata.Key.of("x-fake-trailer", Metadata.ASCII_STRING_MARSHALLER);
    static final String OWN_UNAVAILABLE = "heap database is unavailable (the fake's own)";

    final AtomicReference<Metadata> lastHeaders = new AtomicReference<>();
    final AtomicReference<Deadline> lastDeadline = new AtomicReference<>();
    final CountDownLatch readStarted = new CountDownLatch(1);
    final CountDownLatch readCancelled = new CountDownLatch(1);
    private final String name;
    private final Server server;

    FakeBackend(String name) throws IOException {
        this.name = name;
        ServerInterceptor capture = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                               ServerCallHandler<Q, R> next) {
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
                .build().start();
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
        public void readLines(ReadLinesRequest request, StreamObserver<ReadLinesResponse> out) {
            ServerCallStreamObserver<ReadLinesResponse> o = (ServerCallStreamObserver<ReadLinesResponse>) out;
            o.setOnCancelHandler(readCancelled::countDown);
            o.onNext(ReadLinesResponse.newBuilder().addLines(Line.newBuilder().setLineId(1)).build());
            readStarted.countDown();
            // never completes: only the caller's cancellation ends it
        }
    }
}
