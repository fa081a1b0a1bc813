package org.vheap.gateway;

import io.grpc.Deadline;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServiceDescriptor;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.vheap.proto.v1.DeviceControlGrpc;
import org.vheap.proto.v1.HeapStoreGrpc;

/**
 * The deadline of a backend call. A call that comes with a deadline keeps it. One without gets
 * {@code --backend-timeout} if it is unary or client-streaming (or a method the gateway does not know);
 * server-streaming reads ({@code ReadLines}) and bidi streams ({@code DeviceControl.Attach}, which lives as
 * long as the device) get none: they are bounded by the caller's own deadline or cancellation and by
 * keepalive, since a bulk read of a large heap or a device's control stream may rightly last for hours.
 */
final class BackendDeadlines {
    private static final Map<String, MethodType> KINDS = kinds();

    private final Duration timeout;

    BackendDeadlines(Duration timeout) {
        this.timeout = timeout;
    }

    /** The backend call's deadline: {@code incoming}, else the timeout for bounded kinds, else null. */
    Deadline of(String fullMethodName, Deadline incoming) {
        if (incoming != null) {
            return incoming;
        }
        MethodType kind = KINDS.getOrDefault(fullMethodName, MethodType.UNKNOWN);
        if (kind == MethodType.SERVER_STREAMING || kind == MethodType.BIDI_STREAMING) {
            return null;
        }
        return Deadline.after(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The kind of a vheap method, UNKNOWN for others. */
    static MethodType kind(String fullMethodName) {
        return KINDS.getOrDefault(fullMethodName, MethodType.UNKNOWN);
    }

    private static Map<String, MethodType> kinds() {
        Map<String, MethodType> kinds = new HashMap<>();
        for (ServiceDescriptor s : new ServiceDescriptor[] {HeapStoreGrpc.getServiceDescriptor(),
                DeviceControlGrpc.getServiceDescriptor()}) {
            for (MethodDescriptor<?, ?> m : s.getMethods()) {
                kinds.put(m.getFullMethodName(), m.getType());
            }
        }
        return Map.copyOf(kinds);
    }
}
