package org.vheap.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.server.testing.ReflectionProbe;
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
        ReflectionProbe.Answer answer = ReflectionProbe.v1alpha(SERVER.channel(), "vheap.v1.HeapStore");

        assertThat(answer.services()).contains("vheap.v1.HeapStore", "vheap.v1.DeviceControl", "grpc.health.v1.Health",
                "grpc.reflection.v1alpha.ServerReflection", "grpc.reflection.v1.ServerReflection");
        assertThat(answer.servicesInFile()).contains("vheap.v1.HeapStore");
    }

    @Test
    void v1ListsTheServicesAndFindsTheFileOfASymbol() throws Exception {
        ReflectionProbe.Answer answer = ReflectionProbe.v1(SERVER.channel(), "vheap.v1.HeapStore");

        assertThat(answer.services()).contains("vheap.v1.HeapStore", "vheap.v1.DeviceControl", "grpc.health.v1.Health",
                "grpc.reflection.v1alpha.ServerReflection", "grpc.reflection.v1.ServerReflection");
        assertThat(answer.servicesInFile()).contains("vheap.v1.HeapStore");
    }
}
