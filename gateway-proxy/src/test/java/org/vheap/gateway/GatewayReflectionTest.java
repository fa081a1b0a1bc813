package org.vheap.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.server.testing.ReflectionProbe;
import org.vheap.server.testing.RunWideHeapServer;

/**
 * Server reflection through the gateway, which forwards it undecoded like any call it does not serve itself:
 * a client speaking {@code grpc.reflection.v1alpha} (grpc-js based tools, several GUI clients, older grpcurl)
 * gets the heap server's answer, as one speaking {@code grpc.reflection.v1} does.
 */
class GatewayReflectionTest {
    @RegisterExtension
    static final RunWideHeapServer SERVER = new RunWideHeapServer();

    private static OpenGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = Gateways.open(SERVER.target());
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void v1alphaThroughTheGatewayListsTheServicesAndFindsTheFileOfASymbol() throws Exception {
        ReflectionProbe.Answer answer = ReflectionProbe.v1alpha(gateway.channel(), "vheap.v1.DeviceControl");

        assertThat(answer.services()).contains("vheap.v1.HeapStore", "vheap.v1.DeviceControl",
                "grpc.reflection.v1alpha.ServerReflection");
        assertThat(answer.servicesInFile()).contains("vheap.v1.DeviceControl");
    }

    @Test
    void v1ThroughTheGatewayListsTheServicesAndFindsTheFileOfASymbol() throws Exception {
        ReflectionProbe.Answer answer = ReflectionProbe.v1(gateway.channel(), "vheap.v1.DeviceControl");

        assertThat(answer.services()).contains("vheap.v1.HeapStore", "vheap.v1.DeviceControl",
                "grpc.reflection.v1.ServerReflection");
        assertThat(answer.servicesInFile()).contains("vheap.v1.DeviceControl");
    }
}
