package org.vheap.gateway;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import java.util.concurrent.RejectedExecutionException;
import org.vheap.proto.v1.PutSystemBlobsRequest;
import org.vheap.proto.v1.SystemBlob;

/**
 * Warms the {@link SystemBlobCache} from a {@code PutSystemBlobs} call forwarded as usual: the device's one
 * request message is kept, and when the backend answered OK (it checked every hash and stored the blobs)
 * the blobs enter the cache and the caller counts as accepted for the app ({@link SystemCacheAccess}), so
 * devices that next fetch the class files an uploading device just stored are answered by the gateway. A
 * blob whose hash does not match (which the backend would have refused) is not cached. What is kept counts
 * against the gateway's {@link WarmingBudget}; an upload over it is forwarded without warming. Decoding and hashing
 * run on the forwarding's blob executor, off the event loop; a request that does not parse is left alone
 * (the backend's answer already went to the device).
 */
final class SystemBlobsWarming {
    private final Forwarding forwarding;
    private final String credential;
    private volatile byte[] request;

    /** @param credential what the call presents ({@link SystemCacheAccess#credential}) */
    SystemBlobsWarming(Forwarding forwarding, String credential) {
        this.forwarding = forwarding;
        this.credential = credential;
    }

    /** The device's call, watched for the status it is closed with. */
    ServerCall<byte[], byte[]> watch(ServerCall<byte[], byte[]> call) {
        return new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                super.close(status, trailers);
                byte[] r = request;
                request = null;
                if (r == null) {
                    return;
                }
                if (!status.isOk()) {
                    forwarding.warming().release(r.length);
                    return;
                }
                try {
                    forwarding.blobWork().execute(() -> {
                        try {
                            warm(r);
                        } finally {
                            forwarding.warming().release(r.length);
                        }
                    });
                } catch (RejectedExecutionException stopping) {
                    forwarding.warming().release(r.length);   // the gateway is stopping: nothing to warm for
                }
            }
        };
    }

    /** The device's side of the call, watched for its request message. */
    ServerCall.Listener<byte[]> watch(ServerCall.Listener<byte[]> listener) {
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onMessage(byte[] message) {
                if (request == null && forwarding.warming().reserve(message.length)) {
                    request = message;   // kept (and counted) until the answer; over the budget it warms nothing
                }
                super.onMessage(message);
            }
        };
    }

    private void warm(byte[] message) {
        PutSystemBlobsRequest put;
        try {
            put = PutSystemBlobsRequest.parseFrom(message);
        } catch (InvalidProtocolBufferException e) {
            return;
        }
        int cached = 0;
        for (SystemBlob b : put.getBlobsList()) {
            if (forwarding.cache().put(b.getSha256(), b.getData())) {
                cached++;
            }
        }
        if (cached > 0) {
            forwarding.cacheAccess().accept(put.getApp(), credential);
        }
    }
}
