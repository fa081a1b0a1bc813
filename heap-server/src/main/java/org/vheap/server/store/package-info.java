/**
 * The heap store on PostgreSQL.
 *
 * <p>Data model (migration {@code db/migration/V1__heap_store.sql}): a {@code heap} row per app holds the
 * line size, the writer lease (holder, expiry, fencing token) and the holder's open epoch;
 * {@code line_version} rows hold every kept version of every line, tagged with the epoch that wrote it
 * (NULL data: deleted); {@code checkpoint} rows hold a published epoch, its VM state and its
 * {@link org.vheap.server.store.Lineage lineage}, the set of epochs it can see. The system blobs
 * ({@code V3__system_segment.sql}, {@link org.vheap.server.store.SystemBlobs}) are apart from the heaps:
 * {@code system_blob} rows hold read-only blobs named by their SHA-256, shared by every app and kept when
 * an app is deleted.
 *
 * <p>Choices, and why:
 * <ul>
 *   <li>Versions per epoch, not copies per checkpoint: a checkpoint costs what it changed, and a commit is
 *       one small transaction that flips the epoch from open to published — atomic by construction.</li>
 *   <li>Lineages as {@code int8multirange}: a linear history is one range; resuming from an older
 *       checkpoint (a fork) adds a range, so any retained checkpoint can be resumed without copying.</li>
 *   <li>Every change locks the heap row, so fencing checks and writes are serial per heap while heaps
 *       proceed in parallel.</li>
 *   <li>{@link org.vheap.server.store.VersionReclaimer} runs when a view goes away (prune, takeover, close,
 *       delete) and keeps exactly the versions some view can see.</li>
 * </ul>
 */
package org.vheap.server.store;
