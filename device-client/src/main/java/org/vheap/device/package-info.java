/**
 * The device: an emulated small device running apps on the device VM, whose object heap is a bounded cache of
 * lines of the app's virtual heap in a heap store.
 *
 * <p>{@link org.vheap.device.Device} is one app on a device: it opens the app's heap in a
 * {@link org.vheap.device.store.HeapStore} (taking its lease) through
 * {@link org.vheap.device.store.DeviceSessions} (which puts the device's session layer, one
 * {@link org.vheap.device.store.DeviceSession}, over the store's session), builds the VM over a
 * {@link org.vheap.device.vm.heap.paging.PagedHeap} of {@link org.vheap.device.DeviceConfig#memoryBytes()} bytes
 * of frames and runs a main class, or resumes the app from a checkpoint's VM state. Its
 * {@code Checkpointer} is the VM's safepoint listener: it commits checkpoints (dirty lines and the VM state in
 * one transaction) on the configured triggers — by default every 10 s on a store that persists, so a crash of
 * the device loses at most the last 10 s of the app's work (none on the in-memory store, which does not
 * persist) — pre-flushes dirty lines in the background, suspends and stops the app on request, renews the
 * heap lease, and pauses the app while the store is unreachable. Those waits and time-based decisions run on
 * the {@link org.vheap.device.store.DeviceClock} the device is given (its javadoc lists the few that read the
 * host's clock instead). {@code AppApi} and
 * {@code ResourceLeases} serve the app API jar ({@code org.vheap.api}: checkpoints, listeners, leases on
 * {@link org.vheap.device.DeviceResources}).
 * {@link org.vheap.device.DeviceAgent} is a device process running several apps, each its own
 * {@code Device} on its own host thread, sharing parsed class files, resources and a line cache. Packages:
 * <ul>
 *   <li>{@code store}: the store interface, its in-memory and gRPC implementations, and the device's session
 *       layer (see its package documentation);</li>
 *   <li>{@code vm}: the virtual machine (see its package documentation);</li>
 *   <li>{@code control}: the control stream to the heap server, which pushes suspend and resume requests;</li>
 *   <li>{@code cli}: {@code ./vheap device} (run, resume, start) and {@code ./vheap bench vm}/{@code resume}.</li>
 * </ul>
 *
 * <h2>One line's path, file by file</h2>
 * A field store reaches its PostgreSQL row through eight files:
 * <ol>
 *   <li>{@code vm/interp/Interpreter.java}: a {@code putfield} calls {@code HeapMemory.putInt} on the
 *       heap;</li>
 *   <li>{@code vm/heap/paging/PagedHeap.java}: the write barrier marks the line dirty in its frame; when a
 *       miss needs frames, the eviction sweep's batch is flushed in one {@code HeapSession.flush} (through its
 *       {@code StoreRetry});</li>
 *   <li>{@code store/DeviceSession.java}: the device's session layer runs the flush in turn on the app's
 *       writer thread and keeps a copy of each line for the versioned delta;</li>
 *   <li>{@code store/GrpcHeapStore.java}: the flush becomes one {@code Transact} call;</li>
 *   <li>heap server {@code grpc/HeapStoreService.java}: {@code transact} checks the call and passes the writes
 *       to the store;</li>
 *   <li>heap server {@code grpc/ProtoMapping.java}: the protobuf lines become {@code LineImage}s;</li>
 *   <li>heap server {@code store/PgHeapStore.java}: the store's transactions, under the heap lease's fencing
 *       token;</li>
 *   <li>heap server {@code store/LineVersions.java}: the {@code INSERT} of the line's {@code line_version}
 *       row.</li>
 * </ol>
 * On the way it also passes three helpers those files call: {@code StoreRetry} (called by {@code PagedHeap}:
 * repeats the flush, with backoff, while the store is unreachable or a database race was lost),
 * {@code StoreArguments.checkTransact} (called by {@code PgHeapStore.transact}: checks every argument before any
 * SQL) and {@code SqlTransactions} (runs {@code PgHeapStore}'s SQL on an auto-committing connection or in one
 * transaction, rolled back and turned into a {@code StoreException} when it fails).
 * A checkpoint takes the same path from {@code device/Checkpointer.java} ({@code DeviceSession.commit}, a
 * {@code CommitCheckpoint} stream) instead of the first two.
 */
package org.vheap.device;
