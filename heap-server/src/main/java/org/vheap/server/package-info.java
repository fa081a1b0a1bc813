/**
 * The vheap heap server: one virtual heap per application, stored in PostgreSQL, served over gRPC, and the
 * control plane that suspends, resumes and migrates apps between the devices attached to it.
 *
 * <h2>Architecture</h2>
 * <ul>
 *   <li>{@link org.vheap.server.store} — the heap store: versioned lines, leases and fencing, epochs,
 *       checkpoints, retention and reclaiming, on PostgreSQL (HikariCP, pgjdbc, Flyway, embedded
 *       PostgreSQL by default). No gRPC in it.</li>
 *   <li>{@link org.vheap.server.grpc} — the {@code vheap.v1.HeapStore} service: protobuf in, store calls,
 *       protobuf or a status out.</li>
 *   <li>{@link org.vheap.server.control} — the {@code vheap.v1.DeviceControl} service: devices attach with a
 *       control stream; suspend, resume and migrate push commands to them (the control plane).</li>
 *   <li>{@link org.vheap.server.HeapServer} — owns the gRPC server (start, stop, block), with health
 *       (following the database, {@link org.vheap.server.DatabaseHealth}) and reflection (v1 and v1alpha); its
 *       {@code ServerBuilder} is injected. {@link org.vheap.server.HeapServerInstance}
 *       adds the database and the ordered shutdown; {@link org.vheap.server.HeapServerConfig} validates
 *       the options.</li>
 *   <li>{@link org.vheap.server.cli} — the {@code vheap} command line: server, store tools, demo, bench.</li>
 * </ul>
 *
 * <p>One heap line's path from a device's write to a PostgreSQL row: {@code Transact} or
 * {@code CommitCheckpoint} in {@code grpc.HeapStoreService} → {@code store.PgHeapStore#transact} /
 * {@code #commit} (fencing check under the heap row's lock, then {@code writeVersions}) → a
 * {@code line_version} row tagged with the writer's open epoch.
 */
package org.vheap.server;
