/**
 * The {@code vheap.v1.HeapStore} gRPC service over {@link org.vheap.server.store.PgHeapStore}. Store
 * failures become statuses with a message (see {@code StoreStatus}); streaming reads honour flow control;
 * checkpoint commits stream in and are published in one store transaction at half-close. Every call is
 * checked by the {@link org.vheap.server.auth.AccessPolicy} first (per-app and admin tokens), then its
 * arguments, before the store is touched: a refused call changes nothing.
 *
 * <h2>A line's path through this package</h2>
 * <ul>
 *   <li>{@code HeapStoreService#transact}: access, then the request's own checks (at most
 *       {@code MAX_IDS_PER_CALL} ids, {@code read_known_sha256} one per read), then
 *       {@code ProtoMapping#lines} makes each wire {@code Line} a {@link org.vheap.store.LineImage}, and
 *       {@code PgHeapStore#transact} writes it (see {@link org.vheap.server.store} for the SQL).</li>
 *   <li>{@code HeapStoreService.CommitStream} (CommitCheckpoint): the header is checked (access, then
 *       {@code PgHeapStore#checkCommit}) before any line is taken; lines are buffered, last write of a line
 *       wins, and past 4 MiB written ahead into the open epoch with {@code PgHeapStore#flush}; at
 *       half-close {@code PgHeapStore#commit} writes the rest and publishes the checkpoint. A stream that
 *       fails later leaves the lines written ahead uncommitted in the open epoch, where only the lease
 *       holder sees them (as its own flushes), and publishes nothing.</li>
 * </ul>
 */
package org.vheap.server.grpc;
