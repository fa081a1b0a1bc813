/**
 * The heap server's fuzz targets ({@code ./vheap fuzz TARGET}, run under Jazzer by {@link org.vheap.fuzz.JazzerRun}):
 * {@code store-requests}, every request of the heap store's and the control plane's services sent to a real server,
 * which must end with OK or a status with a message, and change nothing when refused (seeds: the requests a device and
 * the tools send, {@code heap-server/src/fuzz/store-requests}); and {@code heap-image}, a heap image file read as an
 * import reads it, which must end with the image or the import's refusal (seeds: small exported heaps,
 * {@code heap-server/src/fuzz/heap-image}).
 */
package org.vheap.server.fuzz;
