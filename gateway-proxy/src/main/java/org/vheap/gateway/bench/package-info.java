/**
 * {@code ./vheap bench gateway}: {@link org.vheap.gateway.bench.GatewayBench}, the gateway's cost measured
 * against the same heap server reached directly (round trips and throughput with many connections). It
 * starts its heap server as a child process through the launcher ({@link org.vheap.bench.ChildHeapServer}), so
 * the gateway module keeps no run-time dependency on the heap server's code; warm-up, interleaving and
 * clean-up are the benches' shared harness ({@link org.vheap.bench}).
 */
package org.vheap.gateway.bench;
