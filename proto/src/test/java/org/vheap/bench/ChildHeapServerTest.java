package org.vheap.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How a bench finds the address of the heap server it started (its "listening on" log line). */
class ChildHeapServerTest {

    @Test
    void readsTheServersAddressFromItsLog() {
        assertThat(ChildHeapServer.listeningAddress("00:21:09.123 INFO  HeapServerInstance - vheap heap server listening on"
                + " 127.0.0.1:41234 (gRPC, max message 16777216 bytes); heaps stored in embedded PostgreSQL"))
                .isEqualTo("127.0.0.1:41234");
        assertThat(ChildHeapServer.listeningAddress("vheap: building heap-server")).isNull();
    }
}
