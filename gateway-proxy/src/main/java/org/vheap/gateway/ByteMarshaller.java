package org.vheap.gateway;

import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Messages as opaque bytes: what the gateway forwards without decoding them. Parsing reads the whole
 * message (gRPC has already framed it and checked its size against the inbound limit).
 */
final class ByteMarshaller implements MethodDescriptor.Marshaller<byte[]> {
    static final ByteMarshaller INSTANCE = new ByteMarshaller();

    private ByteMarshaller() {
    }

    @Override
    public InputStream stream(byte[] value) {
        return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
        try (stream) {
            return stream.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
