package org.vheap.gateway;

import io.grpc.ConnectivityState;
import java.util.List;

/**
 * The routing of the first gateway: the first backend, in the configured order, whose channel is not in
 * TRANSIENT_FAILURE or SHUTDOWN (an idle or connecting channel counts as available). When all are down,
 * the first backend, so the caller gets that backend's UNAVAILABLE rather than nothing.
 */
public final class FirstAvailableRouter implements BackendRouter {

    @Override
    public Backend choose(List<Backend> backends) {
        for (Backend b : backends) {
            ConnectivityState s = b.state();
            if (s != ConnectivityState.TRANSIENT_FAILURE && s != ConnectivityState.SHUTDOWN) {
                return b;
            }
        }
        return backends.get(0);
    }
}
