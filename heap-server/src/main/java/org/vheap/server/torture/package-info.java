/**
 * The crash matrix ({@code ./vheap torture}): the proof, in figures, that a checkpoint reported committed is never lost
 * or torn, whatever is killed and when.
 *
 * <p>{@link org.vheap.server.torture.CrashMatrix} drives it: an app that checks its own heap ({@code TallyApp}) runs on a
 * device process against a heap server process on the embedded PostgreSQL ({@code TortureServer}), optionally through a
 * gateway process ({@code TortureGateway}); each point kills one process with SIGKILL, of a {@link
 * org.vheap.server.torture.KillKind} (a device at a random moment or at one of its {@code --crash-at} points, the server
 * with its PostgreSQL, a PostgreSQL backend, the gateway), starts it again, and reads what the app printed after the kill
 * ({@code TallyRun}: lost, torn, or went on exactly). {@code ChildProcess} keeps each process's lines; {@code MatrixRow}
 * each kind's figures, printed as one table. Every process is a {@code ./vheap} command, as a user would run it.
 */
package org.vheap.server.torture;
