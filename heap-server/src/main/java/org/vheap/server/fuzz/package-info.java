/**
 * The heap server's fuzz target, {@code store-requests} ({@code ./vheap fuzz store-requests}, run under Jazzer by
 * {@link org.vheap.fuzz.JazzerRun}): every request of the heap store's and the control plane's services, sent to a real
 * server, must end with OK or a status with a message, and change nothing when refused. Its seed corpus, the requests a
 * device and the tools send, is {@code heap-server/src/fuzz/store-requests}.
 */
package org.vheap.server.fuzz;
