package org.vheap.gateway;

import java.util.List;

/**
 * Chooses the backend for one call. The only routing decision of the gateway lives behind this
 * interface, so a later policy (rendezvous hashing on the app, health checks) replaces one class.
 */
@FunctionalInterface
public interface BackendRouter {

    /**
     * @param backends the configured backends in the given order, never empty
     * @return one of them; never null
     */
    Backend choose(List<Backend> backends);
}
