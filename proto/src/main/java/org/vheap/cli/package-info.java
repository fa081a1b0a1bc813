/**
 * What the command lines of every module share (heap server, gateway, device): a plain text table
 * ({@link org.vheap.cli.TextTable}), nanosecond samples and their percentiles
 * ({@link org.vheap.cli.LatencySamples}) and how a latency is printed ({@link org.vheap.cli.LatencyFormat}) for
 * the benches, deleting a temporary directory tree ({@link org.vheap.cli.TempDirs}) and the gRPC health check
 * behind {@code vheap health} and {@code vheap gateway health} ({@link org.vheap.cli.HealthCheck}, a picocli
 * mixin: picocli and grpc-services are optional dependencies of this module, which the heap server and the
 * gateway declare). The gateway uses these without depending on the heap server's code.
 */
package org.vheap.cli;
