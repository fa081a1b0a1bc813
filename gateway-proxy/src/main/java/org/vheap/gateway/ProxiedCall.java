package org.vheap.gateway;

import io.grpc.ClientCall;
import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One call forwarded from a device (the {@link ServerCall}) to a backend (the {@link ClientCall}), messages
 * as opaque bytes in both directions.
 * <ul>
 * <li>Flow control: one message is requested from each side at a time, the next only when the other side
 *     is ready to take it (as in grpc-java's example GrpcProxy), so a slow reader slows the writer.</li>
 * <li>Request headers go to the backend; the backend's response headers and trailers come back.</li>
 * <li>A cancelled device call cancels the backend call; the backend's status, code and description,
 *     reaches the device unchanged.</li>
 * <li>When the gateway could not reach the backend (the status was made locally, not received from the
 *     backend), the device gets UNAVAILABLE "backend HOST:PORT unavailable: ...", and the backend is marked
 *     down until a health check finds it serving again. The call itself is not retried elsewhere: the
 *     gateway cannot know whether a non-idempotent call took effect.</li>
 * <li>Bytes received from the device and not yet taken by the backend's transport count against the
 *     connection's {@link InflightBudget}; a message that would go over it ends the call with
 *     RESOURCE_EXHAUSTED (and cancels the backend call).</li>
 * <li>When the backend call ends, its method, code, bytes and duration are metered for that backend.</li>
 * </ul>
 */
final class ProxiedCall {
    private final Backend backend;
    private final ServerCall<byte[], byte[]> serverCall;
    private final ClientCall<byte[], byte[]> clientCall;
    private final BackendAnswer answer;
    private final Forwarding forwarding;
    private final SocketAddress connection;
    private final long startNanos;
    private final FromDevice fromDevice = new FromDevice();
    private final FromBackend fromBackend = new FromBackend();
    private boolean deviceClosed;   // guarded by this

    ProxiedCall(Backend backend, ServerCall<byte[], byte[]> serverCall, ClientCall<byte[], byte[]> clientCall,
                BackendAnswer answer, Forwarding forwarding, SocketAddress connection) {
        this.backend = backend;
        this.serverCall = serverCall;
        this.clientCall = clientCall;
        this.answer = answer;
        this.forwarding = forwarding;
        this.connection = connection;
        this.startNanos = forwarding.nanoTime().getAsLong();
    }

    /** Closes the device's call, once (a limit may end it before the backend's answer). */
    private synchronized void closeDevice(Status status, Metadata trailers) {
        if (!deviceClosed) {
            deviceClosed = true;
            serverCall.close(status, trailers);
        }
    }

    /** Starts the backend call with the device's headers; returns the listener for the device's side. */
    ServerCall.Listener<byte[]> start(Metadata headers) {
        clientCall.start(fromBackend, headers);
        serverCall.request(1);
        clientCall.request(1);
        return fromDevice;
    }

    /** The status the device gets for the backend call's status. */
    Status toDevice(Status status) {
        return toDevice(backend, status, answer);
    }

    /**
     * The status a device gets for a backend call's status: the backend's own unchanged; one the gateway's
     * channel made (no connection) as UNAVAILABLE naming the backend, which is then marked down.
     */
    static Status toDevice(Backend backend, Status status, BackendAnswer answer) {
        if (status.getCode() == Status.Code.UNAVAILABLE && !answer.trailersReceived()) {
            String d = status.getDescription();
            Throwable cause = status.getCause();
            String why = (d == null ? "no connection" : d)
                    + (cause != null && cause.getMessage() != null ? " (" + cause.getMessage() + ")" : "");
            backend.markDown("a call failed: " + why);
            return Status.UNAVAILABLE.withDescription("backend " + backend.address() + " unavailable: " + why)
                    .withCause(cause);
        }
        return status;
    }

    /** Device → backend. */
    private final class FromDevice extends ServerCall.Listener<byte[]> {
        private boolean needToRequest;   // guarded by this
        private long held;               // bytes sent to the backend call and not yet taken; guarded by this
        private long bytes;              // guarded by this

        @Override
        public void onMessage(byte[] message) {
            InflightBudget budget = forwarding.inflight();
            if (!budget.reserve(connection, message.length)) {
                forwarding.metrics().rejectedInflight();
                Status s = Status.RESOURCE_EXHAUSTED.withDescription("more than " + budget.max() + " bytes (--max-inflight)"
                        + " received from this connection are waiting for a backend; the call is ended");
                // the device's status first: cancelling the backend call closes it CANCELLED, which its listener
                // passes on to the device, maybe on another thread, and the first close wins
                closeDevice(s, new Metadata());
                clientCall.cancel(s.getDescription(), null);
                return;
            }
            clientCall.sendMessage(message);
            synchronized (this) {
                bytes += message.length;
                held += message.length;
                if (clientCall.isReady()) {
                    releaseHeld();
                    serverCall.request(1);
                } else {
                    needToRequest = true;
                }
            }
        }

        /** The backend's transport took what was held (it is ready again), or the call ended. */
        synchronized void releaseHeld() {
            forwarding.inflight().release(connection, held);
            held = 0;
        }

        synchronized long bytes() {
            return bytes;
        }

        @Override
        public void onHalfClose() {
            clientCall.halfClose();
        }

        @Override
        public void onCancel() {
            clientCall.cancel("the device cancelled the call", null);
        }

        @Override
        public void onReady() {
            fromBackend.deviceReady();
        }

        /** The backend can take more: ask the device for the next message if one was held back. */
        synchronized void backendReady() {
            releaseHeld();
            if (needToRequest) {
                needToRequest = false;
                serverCall.request(1);
            }
        }
    }

    /** Backend → device. */
    private final class FromBackend extends ClientCall.Listener<byte[]> {
        private boolean needToRequest;   // guarded by this
        private long bytes;              // guarded by this

        @Override
        public void onHeaders(Metadata headers) {
            serverCall.sendHeaders(headers);
        }

        @Override
        public void onMessage(byte[] message) {
            serverCall.sendMessage(message);
            synchronized (this) {
                bytes += message.length;
                if (serverCall.isReady()) {
                    clientCall.request(1);
                } else {
                    needToRequest = true;
                }
            }
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
            fromDevice.releaseHeld();
            long received;
            synchronized (this) {
                received = bytes;
            }
            forwarding.metrics().backendCall(backend, serverCall.getMethodDescriptor().getFullMethodName(),
                    status.getCode(), forwarding.nanoTime().getAsLong() - startNanos, received, fromDevice.bytes());
            closeDevice(toDevice(status), trailers);
        }

        @Override
        public void onReady() {
            fromDevice.backendReady();
        }

        /** The device can take more: ask the backend for the next message if one was held back. */
        synchronized void deviceReady() {
            if (needToRequest) {
                needToRequest = false;
                clientCall.request(1);
            }
        }
    }

    /**
     * Notes whether trailers arrived from the backend on the wire: then the call's status is the backend's;
     * otherwise the status was made by the gateway's channel (no connection, connection lost).
     */
    static final class BackendAnswer extends ClientStreamTracer.Factory {
        private final AtomicBoolean trailers = new AtomicBoolean();

        boolean trailersReceived() {
            return trailers.get();
        }

        @Override
        public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info, Metadata headers) {
            return new ClientStreamTracer() {
                @Override
                public void inboundTrailers(Metadata trailers) {
                    BackendAnswer.this.trailers.set(true);
                }
            };
        }
    }
}
