/**
 * The harness the benches share ({@code ./vheap bench store}, {@code bench gateway}, {@code bench resume}), so
 * each keeps only what it measures and how it prints it.
 *
 * <p>A bench compares two sides of one operation measured side by side in one run (gRPC vs raw JDBC, direct
 * vs through a gateway, lazy vs eager resume). Its life:
 * <ol>
 *   <li><b>Set-up</b>: a heap server (in-process, or a child process through the launcher:
 *       {@link org.vheap.bench.ChildHeapServer}), a temporary data directory, channels, bench apps; each handed
 *       to the run's clean-up as it is made ({@link org.vheap.bench.BenchRun#atEnd}).</li>
 *   <li><b>Warm-up</b> of every side, not measured ({@link org.vheap.bench.Interleaving#warmUp}).</li>
 *   <li><b>Interleaved measurement</b>: rounds in which the sides take turns, which goes first alternating, so
 *       the machine's drift and noise hit both ({@link org.vheap.bench.Interleaving#measure}); time caps keep a
 *       run on a busy machine bounded.</li>
 *   <li><b>Report</b>: the bench's own table ({@link org.vheap.cli.TextTable}, latencies as
 *       {@link org.vheap.cli.LatencyFormat} prints them) on standard output; progress on standard error
 *       ({@link org.vheap.bench.BenchRun#progress}).</li>
 *   <li><b>Clean-up</b>, whether the bench returns, fails or is interrupted with Ctrl-C: the last set up is
 *       undone first ({@link org.vheap.bench.BenchRun#close}).</li>
 * </ol>
 * Clocks come in ({@code LongSupplier} of nanoseconds), so the harness is tested without timing anything.
 */
package org.vheap.bench;
