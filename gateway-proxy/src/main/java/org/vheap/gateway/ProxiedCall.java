package org.vheap.gateway;

import io.grpc.ClientCall;
import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
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
 *     backend), the device gets UNAVAILABLE "backend HOST:PORT unavailable: ...".</li>
 * </ul>
 */
final class ProxiedCall {
    private final Backend backend;
    private final ServerCall<byte[], byte[]> serverCall;
    private final ClientCall<byte[], byte[]> clientCall;
    private final BackendAnswer answer;
    private final FromDevice fromDevice = new FromDevice();
    private final FromBackend fromBackend = new FromBackend();

    ProxiedCall(Backend backend, ServerCall<byte[], byte[]> serverCall, ClientCall<byte[], byte[]> clientCall,
                BackendAnswer answer) {
        this.backend = backend;
        this.serverCall = serverCall;
        this.clientCall = clientCall;
        this.answer = answer;
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
        if (status.getCode() == Status.Code.UNAVAILABLE && !answer.trailersReceived()) {
            String d = status.getDescription();
            Throwable cause = status.getCause();
            String why = (d == null ? "no connection" : d)
                    + (cause != null && cause.getMessage() != null ? " (" + cause.getMessage() + ")" : "");
            return Status.UNAVAILABLE.withDescription("backend " + backend.address() + " unavailable: " + why)
                    .withCause(cause);
        }
        return status;
    }

    /** Device → backend. */
    private final class FromDevice extends ServerCall.Listener<byte[]> {
        private boolean needToRequest;   // guarded by this

        @Override
        public void onMessage(byte[] message) {
            clientCall.sendMessage(message);
            synchronized (this) {
                if (clientCall.isReady()) {
                    serverCall.request(1);
                } else {
                    needToRequest = true;
                }
            }
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
            if (needToRequest) {
                needToRequest = false;
                serverCall.request(1);
            }
        }
    }

    /** Backend → device. */
    private final class FromBackend extends ClientCall.Listener<byte[]> {
        private boolean needToRequest;   // guarded by this

        @Override
        public void onHeaders(Metadata headers) {
            serverCall.sendHeaders(headers);
        }

        @Override
        public void onMessage(byte[] message) {
            serverCall.sendMessage(message);
            synchronized (this) {
                if (serverCall.isReady()) {
                    clientCall.request(1);
                } else {
                    needToRequest = true;
                }
            }
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
            serverCall.close(toDevice(status), trailers);
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
