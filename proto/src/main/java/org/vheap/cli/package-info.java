/**
 * What the command lines of every module share (heap server, gateway, device):
 * <ul>
 *   <li>reporting a failure as one line and an exit code ({@link org.vheap.cli.OneLineErrors}, installed on each
 *       entry point's picocli command line);</li>
 *   <li>reading option values: sizes and durations ({@link org.vheap.cli.CliValues});</li>
 *   <li>printing: a plain text table ({@link org.vheap.cli.TextTable}), a size in bytes
 *       ({@link org.vheap.cli.SizeFormat}), an instant ({@link org.vheap.cli.TimestampFormat}), a latency
 *       ({@link org.vheap.cli.LatencyFormat}) and nanosecond samples with their percentiles
 *       ({@link org.vheap.cli.LatencySamples}) for the benches;</li>
 *   <li>finding the checkout the launcher runs from, {@code VHEAP_HOME} ({@link org.vheap.cli.VheapHome}), and
 *       deleting a temporary directory tree ({@link org.vheap.cli.TempDirs});</li>
 *   <li>the gRPC health check behind {@code vheap health} and {@code vheap gateway health}
 *       ({@link org.vheap.cli.HealthCheck}, a picocli mixin).</li>
 * </ul>
 * picocli and grpc-services are optional dependencies of this module, which the modules with a command line
 * declare. The gateway and the device use these without depending on the heap server's code. The benches'
 * harness is the sibling package {@link org.vheap.bench}.
 */
package org.vheap.cli;
