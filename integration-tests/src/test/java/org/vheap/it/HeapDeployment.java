package org.vheap.it;

/**
 * Where the deployment scenarios' heap server runs, with its PostgreSQL: Docker containers
 * ({@link DockerDeployment}) or local processes ({@link EmbeddedDeployment}). Each part can be restarted or
 * stopped while devices use it, and {@link #close} stops everything it started.
 */
interface HeapDeployment extends AutoCloseable {
    /** The heap server's address for devices and commands, "127.0.0.1:PORT". */
    String address();

    /** Stops the heap server and starts it again on the same address and database; returns once it serves. */
    void restartServer() throws Exception;

    /** Stops PostgreSQL (its data stays). */
    void stopDatabase() throws Exception;

    /** Starts the stopped PostgreSQL again; returns once it accepts connections. */
    void startDatabase() throws Exception;

    @Override
    void close() throws Exception;
}
