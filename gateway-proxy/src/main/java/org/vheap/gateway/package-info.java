/**
 * The gateway proxy between devices and heap servers.
 *
 * <p>Devices talk gRPC ({@code vheap.v1.HeapStore}, {@code vheap.v1.DeviceControl}) to the gateway as if it
 * were a heap server. The {@link org.vheap.gateway.GatewayServer} serves only its own gRPC health service;
 * every other method reaches its fallback registry ({@code ProxyHandlerRegistry}), which makes a byte-level
 * method descriptor for the method name, so a call of any kind (unary, server-, client- or bidi-streaming)
 * is forwarded without decoding its messages ({@code ByteMarshaller}). {@code ProxyCallHandler} admits the
 * call (per-device rate), routes it and opens the backend call; {@code ProxiedCall} joins the two calls:
 * headers and trailers pass through, messages flow one at a time as each side becomes ready, cancellation
 * passes both ways, and the backend's status reaches the device unchanged (a backend that cannot be reached
 * gives UNAVAILABLE naming it). Server reflection ({@code grpc.reflection.v1} and {@code v1alpha}) is forwarded
 * the same way, so a client asking the gateway gets a heap server's answer.
 *
 * <p><b>Routing.</b> Clients name the app of a call in the {@code vheap-app} header
 * ({@link org.vheap.client.VheapHeaders}). {@code RoutingKey} turns a call into a key: {@code app/NAME};
 * {@code control} for <em>every</em> {@code vheap.v1.DeviceControl} call, because a heap server keeps its
 * attached devices in memory, so the devices' Attach streams and the suspend/resume/migrate/ListDevices
 * commands must all meet the same server (one key: they fail over together, and devices re-attach to the
 * new one); {@code default} for calls without the header (ListApps). The
 * {@link org.vheap.gateway.RendezvousRouter} (behind {@link org.vheap.gateway.BackendRouter}) sends a key to
 * the backend with the highest {@code hash(key, HOST:PORT)} among those that are up, so an app stays on one
 * server while it is up and only a failed server's apps move. All heap servers of a deployment share one
 * PostgreSQL, so moving an app is safe: leases and fencing tokens live in the database. The gateway never
 * retries a failed call on another backend (it cannot know whether a non-idempotent call took effect); the
 * device's own retry reaches the next backend.
 *
 * <p><b>Health.</b> {@code BackendHealthChecks} calls {@code grpc.health.v1.Health/Check} on each backend
 * every {@code --health-interval}: NOT_SERVING or no connection marks it down at once, three timeouts in a
 * row mark it down, SERVING (or UNIMPLEMENTED: a server without a health service) marks it up; a call that
 * cannot reach a backend marks it down too. Health checks share the backend's channel, so a backend whose
 * connection is stuck in flow control looks down. {@code GatewayHealth}: the gateway's own health is
 * SERVING only while at least one backend is up; with none, calls get UNAVAILABLE naming every backend.
 *
 * <p><b>System cache.</b> {@code GetSystemBlobs} is the one call whose messages the gateway decodes
 * ({@code SystemBlobsCall}): hashes in the {@code SystemBlobCache} (LRU, {@code --system-cache} bytes) are
 * answered at the gateway, only the missing ones go to the backend, the answer is merged in request order,
 * and every blob that comes back is checked against its SHA-256 before it is cached (a mismatch is
 * DATA_LOSS and never cached). Other system-blob calls pass through.
 *
 * <p><b>Limits.</b> {@code DeviceRateLimiter}: calls per second per device ({@code vheap-device}, else the
 * peer IP), RESOURCE_EXHAUSTED over it. {@code InflightBudget}: bytes received from one client connection and
 * not yet taken by a backend's transport, RESOURCE_EXHAUSTED over {@code --max-inflight}.
 * {@code BackendDeadlines}: unary and client-streaming calls without a deadline get
 * {@code --backend-timeout}; server-streaming reads and the bidi Attach stream get none (bounded by the
 * caller's deadline or cancellation and by keepalive: a bulk read or a device's control stream may last).
 *
 * <p><b>Metrics.</b> With {@code --metrics-port}, {@code GET /metrics} (Prometheus text): the calls the
 * gateway takes ({@code vheap_grpc_server_*}), the calls per backend ({@code vheap_gateway_backend_*},
 * tag {@code backend=HOST:PORT}), backend up/down, cache hits/misses/bytes, rejections
 * ({@code GatewayMetrics}). The CLI is {@link org.vheap.gateway.cli.GatewayCli} ({@code ./vheap gateway}).
 *
 * <p><b>Security.</b> {@link org.vheap.gateway.GatewaySecurity} puts TLS on either hop (devices to gateway,
 * gateway to backends); access tokens travel as ordinary metadata and are checked by the heap servers.
 */
package org.vheap.gateway;
