/**
 * The device's side of the heap store: where an app's virtual heap lives, as a device sees it (the seed's
 * "store", figures 11a-c).
 *
 * <h2>The contract</h2>
 * {@link org.vheap.device.store.HeapStore} is a store of many apps' heaps. {@code openHeap} takes an app's
 * <em>heap lease</em>, its exclusive writer lease, and returns a {@link org.vheap.device.store.HeapSession}
 * (what to open: an {@link org.vheap.device.store.OpenRequest}), through which every line read, flush and
 * checkpoint of that app goes. Reads see the base checkpoint plus the session's own flushes. A <em>flush</em>
 * stores lines uncommitted: nobody else sees them until the session's next {@code commit} publishes them,
 * with the last dirty lines and the VM state, atomically, as a <em>checkpoint</em>. A line and its bytes on
 * the way to or from the store is a {@code LineImage}; a line never written reads as absent, which the
 * device treats as zero-filled. Every call carries the lease's fencing token: once another device has taken
 * the lease, calls fail with {@code FENCED} and change nothing. Every failure is one
 * {@link org.vheap.store.StoreException} whose reason says whether a retry may help
 * ({@code retryable()}: {@code UNAVAILABLE}, {@code ABORTED}, {@code THROTTLED}). {@code persistent()} says whether what is
 * committed outlives the process (the device checkpoints on its own by default only where it does).
 *
 * <h2>The implementations</h2>
 * <ul>
 *   <li>{@link org.vheap.device.store.GrpcHeapStore}: a heap server ({@code vheap.v1.HeapStore} over gRPC),
 *       directly or through a gateway; a read or a flush is one {@code Transact}, a commit one
 *       {@code CommitCheckpoint} stream. Server failures come back as their {@code StoreException} reason
 *       (from the {@code vheap-reason} trailer, see {@code StoreStatusCodes}).</li>
 *   <li>{@link org.vheap.device.store.MemoryHeapStore}: the same contract in this process, for tests and
 *       {@code --store memory}; it does not persist.</li>
 *   <li>{@code OpenedSession}: what both implementations' sessions know from their open (app, device, token,
 *       line size, base checkpoint and its VM state).</li>
 * </ul>
 *
 * <h2>The device's session layer</h2>
 * A device never talks to the store's session directly: {@link org.vheap.device.store.DeviceSessions#open}
 * opens the heap — asking again every 100 ms, up to the device's lease wait, while another device still holds
 * the lease — and puts one {@link org.vheap.device.store.DeviceSession} over the store's session. That is the
 * whole stack: the paging layer ({@code vm.heap.paging.PagedHeap}) and the checkpointer
 * ({@code device.Checkpointer}) call the {@code DeviceSession}, which calls the store's session. It does two
 * jobs:
 * <ol>
 *   <li><b>Writes in order, on a writer thread</b>, so the checkpointer can pre-flush dirty lines in the
 *       background ({@code flushInBackground}) while the VM goes on, and no later flush or commit of a line is
 *       overtaken by an older write of it;</li>
 *   <li><b>the versioned delta</b>: with the device process's {@link org.vheap.device.store.LineCache}, copies
 *       of the lines an app read or wrote stay on the device after the app leaves; when it returns, reads
 *       carry the SHA-256 of the copies, the store answers {@code UNCHANGED} for lines that still have it,
 *       and only lines changed elsewhere travel. A copy is never used without that check.</li>
 * </ol>
 * It counts the bytes its reads fetched and the lines served from copies. Its waits, like every wait of a
 * device, run on an injected {@link org.vheap.device.store.DeviceClock}.
 *
 * <h2>System blobs</h2>
 * {@link org.vheap.device.store.SystemBlobStore} ({@code HeapStore.systemBlobs(app)}): the store's
 * content-addressed class files, named by their SHA-256 ({@link org.vheap.format.BlobHash}) and shared by
 * every app, read-only. The VM's <em>system segment</em>, the read-only address range whose lines hold class
 * files, is filled from them; a checkpoint stores the ones the store lacks before it commits, so no checkpoint
 * names a class file the store does not have, and a device resumes an app from the store alone.
 *
 * <h2>Tokens</h2>
 * {@link org.vheap.device.store.AppTokenSource}: where a {@code GrpcHeapStore} finds each app's access token,
 * sent as {@code authorization: Bearer} with every call about that app, and where it hands the token the
 * server issues when this device creates an app (shown once).
 *
 * <h2>A flush, file by file</h2>
 * {@code vm.interp.Interpreter} (a {@code putfield}) → {@code vm.heap.paging.PagedHeap} (the write barrier
 * marks the line dirty; an eviction flushes it) → {@code store.DeviceSession} (in turn, on the writer thread)
 * → {@code store.GrpcHeapStore} (one {@code Transact}) → on the heap server {@code grpc.HeapStoreService} →
 * {@code grpc.ProtoMapping} → {@code store.PgHeapStore} → {@code store.LineVersions} (the
 * {@code line_version} row): eight files, plus the helpers they call on the way ({@code StoreRetry},
 * {@code StoreArguments.checkTransact}, {@code SqlTransactions}: see the {@code org.vheap.device} package).
 */
package org.vheap.device.store;

import org.vheap.format.BlobHash;
