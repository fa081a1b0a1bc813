package org.vheap.gateway;

import io.grpc.ManagedChannel;
import io.grpc.ServerCredentials;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The gateway's Netty event loops, shared by the device connections and the backend channels so that a
 * forwarded message never changes threads inside the gateway.
 *
 * <p>A device connection is served by one loop. The gateway keeps, to each backend, one channel per loop
 * (a <em>lane</em>), bound to that loop; the server runs its calls on the loop itself (direct executor),
 * and the backend channels deliver their answers there too. A call arriving on loop <i>k</i> is forwarded
 * on lane <i>k</i> ({@link #lane()}), so the device's request, the backend's answer and the reply to the
 * device are handled by one thread with no hand-off. (The same idea as Netty's proxy example, which binds
 * the outbound connection to the inbound channel's loop.) On a small virtual machine a thread hand-off
 * costs tens of microseconds, which is the whole of the gateway's latency budget.
 *
 * <p>The risk of running calls on the loops: nothing on the forwarding path may block or compute long,
 * since other connections of that loop wait meanwhile. Forwarding only copies byte arrays; what hashes
 * ({@link SystemBlobsCall}) runs on its own executor. {@link #close} comes after the server and the
 * channels are shut down.
 */
final class GatewayLoops implements AutoCloseable {
    private final EventLoopGroup group;
    private final EventLoop[] loops;

    /** {@code threads} event loops (daemon threads {@code vheap-gateway-loop-N}). */
    GatewayLoops(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("--event-loops must be at least 1, got " + threads);
        }
        this.group = new NioEventLoopGroup(threads, new DefaultThreadFactory("vheap-gateway-loop", true));
        List<EventLoop> all = new ArrayList<>();
        group.forEach(e -> all.add((EventLoop) e));
        this.loops = all.toArray(new EventLoop[0]);
    }

    int size() {
        return loops.length;
    }

    /** The lane of the calling thread: the index of its loop, or 0 on a thread that is none of them. */
    int lane() {
        for (int i = 0; i < loops.length; i++) {
            if (loops[i].inEventLoop()) {
                return i;
            }
        }
        return 0;
    }

    /** A Netty server on these loops (acceptor and connections), running calls on the loops. */
    NettyServerBuilder serverBuilder(SocketAddress address, ServerCredentials credentials) {
        NettyServerBuilder b = credentials == null ? NettyServerBuilder.forAddress(address)
                : NettyServerBuilder.forAddress(address, credentials);
        return b.bossEventLoopGroup(group)
                .workerEventLoopGroup(group)
                .channelType(NioServerSocketChannel.class)
                .directExecutor();
    }

    /** One channel per loop, made by {@code perLoop}; on failure the ones made are shut down. */
    List<ManagedChannel> lanes(Function<EventLoop, ManagedChannel> perLoop) {
        List<ManagedChannel> made = new ArrayList<>(loops.length);
        try {
            for (EventLoop loop : loops) {
                made.add(perLoop.apply(loop));
            }
        } catch (RuntimeException e) {
            made.forEach(ManagedChannel::shutdownNow);
            throw e;
        }
        return List.copyOf(made);
    }

    /** Stops the loops; bounded (a few seconds). */
    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
