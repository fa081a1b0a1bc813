package org.vheap.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.server.testing.TestHeapServer;

/**
 * Server reflection in both versions clients speak: {@code grpc.reflection.v1} (grpcurl, current grpc-java)
 * and {@code grpc.reflection.v1alpha} (grpc-js based tools, several GUI clients, older grpcurl), each asked
 * to list the services and for the file that defines {@code vheap.v1.HeapStore}.
 */
class ServerReflectionTest {
    @RegisterExtension
    static final TestHeapServer SERVER = TestHeapServer.inProcess();

    @Test
    void v1alphaListsTheServicesAndFindsTheFileOfASymbol() throws Exception {
        var stub = io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(SERVER.channel());
        List<io.grpc.reflection.v1alpha.ServerReflectionResponse> answers = ask(stub::serverReflectionInfo, List.of(
                io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder().setListServices("").build(),
                io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder()
                        .setFileContainingSymbol("vheap.v1.HeapStore").build()));

        assertThat(answers).hasSize(2);
        List<String> services = new ArrayList<>();
        answers.get(0).getListServicesResponse().getServiceList().forEach(s -> services.add(s.getName()));
        assertThat(services).contains("vheap.v1.HeapStore", "vheap.v1.DeviceControl", "grpc.health.v1.Health",
                "grpc.reflection.v1alpha.ServerReflection", "grpc.reflection.v1.ServerReflection");
        assertThat(definedServices(answers.get(1).getFileDescriptorResponse().getFileDescriptorProtoList()))
                .contains("vheap.v1.HeapStore");
    }

    @Test
    void v1ListsTheServicesAndFindsTheFileOfASymbol() throws Exception {
        var stub = io.grpc.reflection.v1.ServerReflectionGrpc.newStub(SERVER.channel());
        List<io.grpc.reflection.v1.ServerReflectionResponse> answers = ask(stub::serverReflectionInfo, List.of(
                io.grpc.reflection.v1.ServerReflectionRequest.newBuilder().setListServices("").build(),
                io.grpc.reflection.v1.ServerReflectionRequest.newBuilder()
                        .setFileContainingSymbol("vheap.v1.HeapStore").build()));

        assertThat(answers).hasSize(2);
        List<String> services = new ArrayList<>();
        answers.get(0).getListServicesResponse().getServiceList().forEach(s -> services.add(s.getName()));
        assertThat(services).contains("vheap.v1.HeapStore", "vheap.v1.DeviceControl", "grpc.health.v1.Health",
                "grpc.reflection.v1alpha.ServerReflection", "grpc.reflection.v1.ServerReflection");
        assertThat(definedServices(answers.get(1).getFileDescriptorResponse().getFileDescriptorProtoList()))
                .contains("vheap.v1.HeapStore");
    }

    /**
     * Sends {@code requests} on one reflection stream, half-closes it and returns every answer once the server
     * ends the stream (an error, such as UNIMPLEMENTED, is thrown).
     */
    static <Q, R> List<R> ask(Function<StreamObserver<R>, StreamObserver<Q>> call, List<Q> requests)
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
        return done.get(10, TimeUnit.SECONDS);
    }

    /** The full names of the services defined in these serialized file descriptors. */
    static List<String> definedServices(List<ByteString> files) throws InvalidProtocolBufferException {
        List<String> names = new ArrayList<>();
        for (ByteString f : files) {
            FileDescriptorProto file = FileDescriptorProto.parseFrom(f);
            file.getServiceList().forEach(s -> names.add(file.getPackage() + "." + s.getName()));
        }
        return names;
    }
}
