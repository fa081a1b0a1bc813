package org.vheap.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vheap.server.HeapServerConfig;
import org.vheap.server.HeapServerInstance;

/**
 * Server reflection through the gateway, which forwards it undecoded like any call it does not serve itself:
 * a client speaking {@code grpc.reflection.v1alpha} (grpc-js based tools, several GUI clients, older grpcurl)
 * gets the heap server's answer, as one speaking {@code grpc.reflection.v1} does.
 */
class GatewayReflectionTest {
    private static Path data;
    private static HeapServerInstance heapServer;
    private static OpenGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        data = Files.createTempDirectory("vheap-gateway-reflection");
        heapServer = HeapServerInstance.start(new HeapServerConfig().setHost("127.0.0.1").setPort(0).setDataDir(data),
                Clock.systemUTC());
        gateway = Gateways.open("127.0.0.1:" + heapServer.port());
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (heapServer != null) {
            heapServer.close();
        }
        try (Stream<Path> s = Files.walk(data)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void v1alphaThroughTheGatewayListsTheServicesAndFindsTheFileOfASymbol() throws Exception {
        var stub = io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(channel());
        List<io.grpc.reflection.v1alpha.ServerReflectionResponse> answers = ask(stub::serverReflectionInfo, List.of(
                io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder().setListServices("").build(),
                io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder()
                        .setFileContainingSymbol("vheap.v1.DeviceControl").build()));

        assertThat(answers).hasSize(2);
        List<String> services = new ArrayList<>();
        answers.get(0).getListServicesResponse().getServiceList().forEach(s -> services.add(s.getName()));
        assertThat(services).contains("vheap.v1.HeapStore", "vheap.v1.DeviceControl",
                "grpc.reflection.v1alpha.ServerReflection");
        assertThat(definedServices(answers.get(1).getFileDescriptorResponse().getFileDescriptorProtoList()))
                .contains("vheap.v1.DeviceControl");
    }

    @Test
    void v1ThroughTheGatewayListsTheServicesAndFindsTheFileOfASymbol() throws Exception {
        var stub = io.grpc.reflection.v1.ServerReflectionGrpc.newStub(channel());
        List<io.grpc.reflection.v1.ServerReflectionResponse> answers = ask(stub::serverReflectionInfo, List.of(
                io.grpc.reflection.v1.ServerReflectionRequest.newBuilder().setListServices("").build(),
                io.grpc.reflection.v1.ServerReflectionRequest.newBuilder()
                        .setFileContainingSymbol("vheap.v1.DeviceControl").build()));

        assertThat(answers).hasSize(2);
        List<String> services = new ArrayList<>();
        answers.get(0).getListServicesResponse().getServiceList().forEach(s -> services.add(s.getName()));
        assertThat(services).contains("vheap.v1.HeapStore", "vheap.v1.DeviceControl",
                "grpc.reflection.v1.ServerReflection");
        assertThat(definedServices(answers.get(1).getFileDescriptorResponse().getFileDescriptorProtoList()))
                .contains("vheap.v1.DeviceControl");
    }

    private static ManagedChannel channel() {
        return gateway.channel();
    }

    /**
     * Sends {@code requests} on one reflection stream, half-closes it and returns every answer once the server
     * ends the stream (an error, such as UNIMPLEMENTED, is thrown).
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
        return done.get(10, TimeUnit.SECONDS);
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
