package org.vheap.gateway;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;

/**
 * One heap server the gateway forwards to: its address and the one channel the gateway keeps to it.
 * The channel belongs to the {@link BackendPool}, which shuts it down.
 */
public record Backend(BackendAddress address, ManagedChannel channel) {

    /** The channel's state; asks an idle channel to connect, so a later look sees the outcome. */
    public ConnectivityState state() {
        return channel.getState(true);
    }

    @Override
    public String toString() {
        return address.toString();
    }
}
