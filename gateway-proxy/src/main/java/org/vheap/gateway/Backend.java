package org.vheap.gateway;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import java.util.function.Consumer;

/**
 * One heap server the gateway forwards to: its address, the one channel the gateway keeps to it, and
 * whether it is up. A backend starts up (so the first calls are not refused before the first health check
 * answers) and is marked down by a failed health check or by a call that could not reach it; only a
 * health check marks it up again. The channel belongs to the {@link BackendPool}, which shuts it down.
 * Thread-safe.
 */
public final class Backend {
    private final BackendAddress address;
    private final ManagedChannel channel;
    private final Consumer<Backend> onChange;
    private volatile boolean up = true;
    private volatile String downReason = "";

    Backend(BackendAddress address, ManagedChannel channel, Consumer<Backend> onChange) {
        this.address = address;
        this.channel = channel;
        this.onChange = onChange;
    }

    public BackendAddress address() {
        return address;
    }

    public ManagedChannel channel() {
        return channel;
    }

    /** Whether calls may be routed here: the last health check said SERVING and no call failed to reach it since. */
    public boolean isUp() {
        return up;
    }

    /** Why it is down (empty while up). */
    public String downReason() {
        return up ? "" : downReason;
    }

    /** The channel's state; asks an idle channel to connect, so a later look sees the outcome. */
    public ConnectivityState state() {
        return channel.getState(true);
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

    @Override
    public String toString() {
        return address.toString();
    }
}
