package org.vheap.gateway;

import io.grpc.HandlerRegistry;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;

/**
 * The server's fallback registry: any method the gateway does not serve itself (everything but its health
 * service) is forwarded to a backend as raw bytes. Method descriptors are made per call from the method
 * name, so the gateway needs no knowledge of the services it forwards.
 */
final class ProxyHandlerRegistry extends HandlerRegistry {
    private final ProxyCallHandler handler;

    ProxyHandlerRegistry(Forwarding forwarding) {
        this.handler = new ProxyCallHandler(forwarding);
    }

    @Override
    public ServerMethodDefinition<?, ?> lookupMethod(String fullMethodName, String authority) {
        MethodDescriptor<byte[], byte[]> method = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setFullMethodName(fullMethodName)
                .setType(MethodDescriptor.MethodType.UNKNOWN)
                .setRequestMarshaller(ByteMarshaller.INSTANCE)
                .setResponseMarshaller(ByteMarshaller.INSTANCE)
                .build();
        return ServerMethodDefinition.create(method, handler);
    }
}
