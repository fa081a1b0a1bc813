package org.vheap.gateway;

import io.grpc.Metadata;
import org.vheap.client.VheapHeaders;
import org.vheap.proto.v1.DeviceControlGrpc;

/**
 * What a call is routed by.
 * <ul>
 * <li>{@value #CONTROL} for every {@code vheap.v1.DeviceControl} call: a heap server's device registry is in
 *     its memory, so devices' Attach streams and the suspend/resume/migrate/list commands must all meet one
 *     server; one key makes them fail over together.</li>
 * <li>{@code app/NAME} for a call with the {@code vheap-app} header: all calls of one app meet one server.</li>
 * <li>{@value #DEFAULT} for the rest (ListApps, calls without the header).</li>
 * </ul>
 */
final class RoutingKey {
    static final String CONTROL = "control";
    static final String DEFAULT = "default";
    private static final String CONTROL_PREFIX = DeviceControlGrpc.SERVICE_NAME + "/";

    private RoutingKey() {
    }

    static String of(String fullMethodName, Metadata headers) {
        if (fullMethodName.startsWith(CONTROL_PREFIX)) {
            return CONTROL;
        }
        String app = headers.get(VheapHeaders.APP);
        return app == null || app.isEmpty() ? DEFAULT : "app/" + app;
    }
}
