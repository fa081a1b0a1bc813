/**
 * The device's command line, {@code ./vheap device} (picocli; the launcher sends every {@code device} command
 * and {@code ./vheap bench vm|resume} here): {@link org.vheap.device.cli.DeviceCli} and its commands.
 *
 * <ul>
 *   <li>{@code RunCommand}, {@code ResumeCommand}: one app on a device for the life of the process — run a
 *       program fresh, or resume it from a checkpoint; the exit code is the app's. {@code DeviceOptions} holds
 *       what both take (store, device name, memory, lease, checkpoint policy, tokens) and turns them into a
 *       {@code DeviceConfig}; {@code SuspendOnSignal} makes SIGTERM and Ctrl-C suspend the app with a
 *       checkpoint before the process exits.</li>
 *   <li>{@code StartCommand}: a long-running device ({@code DeviceAgent}) attached to a heap server's control
 *       plane, running several apps and reading commands from standard input; {@code ControlTokenOptions} and
 *       {@code DeviceTokens} give it the device token and the apps' tokens.</li>
 *   <li>{@code VmBench}, {@code ResumeBench}: {@code ./vheap bench vm} and {@code ./vheap bench resume}, on the
 *       benches' shared harness ({@link org.vheap.bench}); each sets and prints its own checkpoint policy.</li>
 * </ul>
 *
 * <p>Sizes and durations are read by {@link org.vheap.cli.CliValues} as on the server's and the gateway's
 * command lines; a failure of the device itself is one line through {@link org.vheap.cli.OneLineErrors}
 * (exit 2 for bad usage, 1 for a failed operation).
 */
package org.vheap.device.cli;
