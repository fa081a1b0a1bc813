package org.vheap.gateway;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * One heap server the gateway forwards to: its address, the channels the gateway keeps to it (one per
 * event loop of the gateway, its <em>lanes</em>, see {@link GatewayLoops}; one in process), and whether it
 * is up. A backend starts up (so the first calls are not refused before the first health check
 * answers) and is marked down by a failed health check or by a call that could not reach it; only a
 * health check marks it up again. The channels belong to the {@link BackendPool}, which shuts them down.
 * Thread-safe.
 */
public final class Backend {
    private final BackendAddress address;
    private final String name;   // HOST:PORT, made once: routing hashes it on every call
    private final List<ManagedChannel> lanes;
    private final IntSupplier lane;
    private final Consumer<Backend> onChange;
    private volatile boolean up = true;
    private volatile String downReason = "";

    /** A backend reached over one channel. */
    Backend(BackendAddress address, ManagedChannel channel, Consumer<Backend> onChange) {
        this(address, List.of(channel), () -> 0, onChange);
    }

    /**
     * @param lanes one channel per event loop
     * @param lane  the calling thread's lane (an index into {@code lanes})
     */
    Backend(BackendAddress address, List<ManagedChannel> lanes, IntSupplier lane, Consumer<Backend> onChange) {
        if (lanes.isEmpty()) {
            throw new IllegalArgumentException("a backend needs a channel");
        }
        this.address = address;
        this.name = address.toString();
        this.lanes = List.copyOf(lanes);
        this.lane = lane;
        this.onChange = onChange;
    }

    public BackendAddress address() {
        return address;
    }

    /** The channel for a call started on this thread: its event loop's lane. */
    public ManagedChannel channel() {
        return lanes.get(lane.getAsInt());
    }

    /** Every channel to this backend. */
    List<ManagedChannel> lanes() {
        return lanes;
    }

    /** Whether calls may be routed here: the last health check said SERVING and no call failed to reach it since. */
    public boolean isUp() {
        return up;
    }

    /** Why it is down (empty while up). */
    public String downReason() {
        return up ? "" : downReason;
    }

    /** The first lane's state; asks idle channels to connect, so a later look sees the outcome. */
    public ConnectivityState state() {
        for (int i = lanes.size() - 1; i > 0; i--) {
            lanes.get(i).getState(true);
        }
        return lanes.get(0).getState(true);
    }

    void shutdownNow() {
        lanes.forEach(ManagedChannel::shutdownNow);
    }

    /** After a backend came back: lanes waiting to reconnect try now. */
    void resetConnectBackoff() {
        for (ManagedChannel c : lanes) {
            if (c.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
                c.resetConnectBackoff();
            }
        }
    }

    void markUp() {
        boolean changed;
        synchronized (this) {
            changed = !up;
            up = true;
            downReason = "";
        }
        if (changed) {
            onChange.accept(this);
        }
    }

    void markDown(String reason) {
        boolean changed;
        synchronized (this) {
            changed = up;
            up = false;
            downReason = reason;
        }
        if (changed) {
            onChange.accept(this);
        }
    }

    /** {@code HOST:PORT}, as {@link BackendAddress#toString()}. */
    @Override
    public String toString() {
        return name;
    }
}
