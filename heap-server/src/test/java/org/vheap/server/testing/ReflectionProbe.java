package org.vheap.server.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Asks a server's reflection service, as a tool would, in either version clients speak: {@code grpc.reflection.v1}
 * (grpcurl, current grpc-java) or {@code grpc.reflection.v1alpha} (grpc-js based tools, several GUI clients, older
 * grpcurl). One stream: list the services, then ask for the file that defines a symbol.
 */
public final class ReflectionProbe {
    /**
     * What the server answered.
     *
     * @param services        the services it lists
     * @param servicesInFile  the services defined in the file it sent for the symbol (and the files it depends on)
     */
    public record Answer(List<String> services, List<String> servicesInFile) {
    }

    private ReflectionProbe() {
    }

    /** Asks in {@code grpc.reflection.v1alpha}; an error (UNIMPLEMENTED, say) is thrown. */
    public static Answer v1alpha(Channel channel, String symbol) throws Exception {
        var stub = io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(channel);
        List<io.grpc.reflection.v1alpha.ServerReflectionResponse> answers = ask(stub::serverReflectionInfo, List.of(
                io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder().setListServices("").build(),
                io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder().setFileContainingSymbol(symbol).build()));
        List<String> services = new ArrayList<>();
        answers.get(0).getListServicesResponse().getServiceList().forEach(s -> services.add(s.getName()));
        return new Answer(services, definedServices(answers.get(1).getFileDescriptorResponse().getFileDescriptorProtoList()));
    }

    /** Asks in {@code grpc.reflection.v1}; an error is thrown. */
    public static Answer v1(Channel channel, String symbol) throws Exception {
        var stub = io.grpc.reflection.v1.ServerReflectionGrpc.newStub(channel);
        List<io.grpc.reflection.v1.ServerReflectionResponse> answers = ask(stub::serverReflectionInfo, List.of(
                io.grpc.reflection.v1.ServerReflectionRequest.newBuilder().setListServices("").build(),
                io.grpc.reflection.v1.ServerReflectionRequest.newBuilder().setFileContainingSymbol(symbol).build()));
        List<String> services = new ArrayList<>();
        answers.get(0).getListServicesResponse().getServiceList().forEach(s -> services.add(s.getName()));
        return new Answer(services, definedServices(answers.get(1).getFileDescriptorResponse().getFileDescriptorProtoList()));
    }

    /**
     * Sends {@code requests} on one reflection stream, half-closes it and returns every answer once the server
     * ends the stream; exactly one answer per request, or the test fails.
     */
    private static <Q, R> List<R> ask(Function<StreamObserver<R>, StreamObserver<Q>> call, List<Q> requests)
            throws Exception {
        List<R> answers = new ArrayList<>();
        CompletableFuture<List<R>> done = new CompletableFuture<>();
        StreamObserver<Q> out = call.apply(new StreamObserver<>() {
            @Override
            public void onNext(R answer) {
                synchronized (answers) {
                    answers.add(answer);
                }
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                synchronized (answers) {
                    done.complete(List.copyOf(answers));
                }
            }
        });
        requests.forEach(out::onNext);
        out.onCompleted();
        List<R> got = done.get(10, TimeUnit.SECONDS);
        if (got.size() != requests.size()) {
            throw new AssertionError(requests.size() + " reflection requests got " + got.size() + " answers: " + got);
        }
        return got;
    }

    /** The full names of the services defined in these serialized file descriptors. */
    private static List<String> definedServices(List<ByteString> files) throws InvalidProtocolBufferException {
        List<String> names = new ArrayList<>();
        for (ByteString f : files) {
            FileDescriptorProto file = FileDescriptorProto.parseFrom(f);
            file.getServiceList().forEach(s -> names.add(file.getPackage() + "." + s.getName()));
        }
        return names;
    }
}
