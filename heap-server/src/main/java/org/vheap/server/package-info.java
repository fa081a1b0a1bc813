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
 * <h2>One line's path through the server</h2>
 * A line a device flushes (an evicted dirty line) or commits crosses these files, in order (the device
 * half, from the interpreter's field store to {@code GrpcHeapStore}, is in the device's package docs):
 * <ol>
 *   <li>{@code grpc/HeapStoreService.java} — {@code Transact} (or a {@code CommitCheckpoint} stream):
 *       access and argument checks, before the store is touched;</li>
 *   <li>{@code grpc/ProtoMapping.java} — the wire {@code Line} becomes a {@link org.vheap.store.LineImage};</li>
 *   <li>{@code store/PgHeapStore.java} — {@code transact} (or {@code flush}, {@code commit}): the store's
 *       argument checks, then the transaction;</li>
 *   <li>{@code store/LineVersions.java} — the SQL: a flush of up to 8 MiB is one statement that takes the
 *       heap row's share lock ({@code FOR SHARE}), checks the fencing token and the lines' lengths and
 *       inserts; a Transact with reads, a larger flush and a commit hold the heap row's exclusive lock
 *       ({@code FOR UPDATE}) and insert with {@code LineVersions.WRITE_SQL};</li>
 *   <li>the {@code line_version} row {@code (heap_id, line_id, epoch, data)}, in the lease holder's open
 *       epoch until a commit publishes that epoch as a checkpoint.</li>
 * </ol>
 * On the way {@code PgHeapStore.transact} calls {@code StoreArguments.checkTransact} (every argument, before any
 * SQL) and runs its SQL through {@code SqlTransactions} (an auto-committing connection or one transaction, rolled
 * back and turned into a {@code StoreException} when it fails); on the device, {@code PagedHeap}'s
 * {@code StoreRetry} repeated the flush while the store was unreachable or a database race was lost.
 */
package org.vheap.server;
