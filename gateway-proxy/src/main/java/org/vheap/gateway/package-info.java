/**
 * The gateway proxy between devices and heap servers.
 *
 * <p>Devices talk gRPC ({@code vheap.v1.HeapStore}, {@code vheap.v1.DeviceControl}) to the gateway as if it
 * were a heap server. The {@link org.vheap.gateway.GatewayServer} serves only its own gRPC health service;
 * every other method reaches its fallback registry ({@code ProxyHandlerRegistry}), which makes a byte-level
 * method descriptor for the method name, so a call of any kind (unary, server-, client- or bidi-streaming)
 * is forwarded without decoding its messages ({@code ByteMarshaller}). {@code ProxyCallHandler} picks the
 * backend with the {@link org.vheap.gateway.BackendPool} and opens the backend call with the incoming
 * deadline; {@code ProxiedCall} joins the two calls: headers and trailers pass through, messages flow one
 * at a time as each side becomes ready, cancellation passes both ways, and the backend's status reaches
 * the device unchanged (a backend that cannot be reached gives UNAVAILABLE naming it).
 *
 * <p>Security: {@link org.vheap.gateway.GatewaySecurity} puts TLS on either hop (devices to gateway,
 * gateway to backends); access tokens travel as ordinary metadata and are checked by the heap servers.
 *
 * <p>Routing is one small class behind {@link org.vheap.gateway.BackendRouter}: for now
 * {@link org.vheap.gateway.FirstAvailableRouter}, the first configured backend that is not down. The CLI is
 * {@link org.vheap.gateway.cli.GatewayCli} ({@code ./vheap gateway}).
 */
package org.vheap.gateway;
