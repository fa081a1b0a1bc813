package org.vheap.gateway;

import java.util.List;

/**
 * Chooses the backend for one call. The only routing decision of the gateway lives behind this
 * interface; health is the {@link BackendPool}'s business, so a router only ranks the backends that are up.
 */
@FunctionalInterface
public interface BackendRouter {

    /**
     * @param key      what the call is routed by: {@code app/NAME}, {@code control} or {@code default}
     *                 (see {@link RoutingKey})
     * @param backends the backends that are up, in the configured order, never empty
     * @return one of them; never null
     */
    Backend choose(String key, List<Backend> backends);
}
