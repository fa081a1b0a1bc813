/**
 * The heap store on PostgreSQL.
 *
 * <p>Data model (migration {@code db/migration/V1__heap_store.sql}): a {@code heap} row per app holds the
 * line size, the heap lease (holder, expiry, fencing token) and the holder's open epoch;
 * {@code line_version} rows hold every kept version of every line, tagged with the epoch that wrote it
 * (NULL data: deleted); {@code checkpoint} rows hold a published epoch, its VM state and its
 * {@link org.vheap.server.store.Lineage lineage}, the set of epochs it can see. The system blobs
 * ({@code V3__system_segment.sql}, {@link org.vheap.server.store.SystemBlobs}) are apart from the heaps:
 * {@code system_blob} rows hold read-only blobs named by their SHA-256, shared by every app and kept when
 * an app is deleted.
 *
 * <h2>Classes</h2>
 * <ul>
 *   <li>{@link org.vheap.server.store.PgHeapStore} — the one entry point: every public call checks its
 *       arguments, then runs one transaction built from the classes below.</li>
 *   <li>{@code StoreArguments} — every argument check, run before any SQL ({@link
 *       org.vheap.server.store.HeapNames} holds the naming rules, also used outside the store).</li>
 *   <li>{@code HeapRow}, {@code HeapLeases} — the {@code heap} row: the heap lease, fencing checks, the
 *       open epoch.</li>
 *   <li>{@link org.vheap.server.store.LineVersions} — every {@code line_version} statement of a line's path:
 *       reads, the one INSERT of versions, streaming, counting an epoch's changes.</li>
 *   <li>{@code Checkpoints} — {@code checkpoint} rows: publish, list, prune (retention), delete.</li>
 *   <li>{@code StoreAdmin} — apps for operators: list, record, delete.</li>
 *   <li>{@code VersionReclaimer} — deletes the versions no view needs, after the change that made them
 *       garbage has committed.</li>
 *   <li>{@code SqlTransactions}, {@code SqlArrays}, {@code SqlErrors} — JDBC plumbing: units of work,
 *       array parameters, SQLSTATE to {@link org.vheap.store.StoreException}.</li>
 *   <li>{@link org.vheap.server.store.AppTokens}, {@link org.vheap.server.store.DeviceTokens} — hashes of
 *       access tokens; {@link org.vheap.server.store.HeapDatabase} — the pool, migrations, the embedded
 *       PostgreSQL.</li>
 * </ul>
 *
 * <h2>A line's path through the store</h2>
 * {@code PgHeapStore#transact} (or {@code #flush}, {@code #commit}) → {@code StoreArguments} (ids, write
 * set, lease) → {@code LineVersions}:
 * <ul>
 *   <li>a flush (writes and deletions, no reads, under 1 MiB of line data) is
 *       {@code LineVersions#flushInOneStatement}: one auto-committed statement that takes the heap row's
 *       <em>share</em> lock ({@code FOR SHARE}), checks the fencing token and every line's length, and only
 *       then inserts the versions into the open epoch — one database round trip; a device's flush is
 *       <em>counted</em>: it also checks the flushes the device was told of, adds one to the row's
 *       {@code open_flushes} (so it locks the row {@code FOR NO KEY UPDATE}) and commits without waiting for the
 *       disk ({@code PgHeapStore}'s Durability);</li>
 *   <li>a Transact with reads and a larger flush (a commit's lines written ahead) take the heap row's
 *       <em>share</em> lock ({@code HeapLeases#requireHolderShared}; a counted one and a commit the
 *       <em>exclusive</em> lock, {@code HeapLeases#requireHolder}, {@code FOR UPDATE}), check the token and
 *       lengths, and write with {@code LineVersions#write} in the same transaction: the INSERT of
 *       {@link org.vheap.server.store.LineVersions#WRITE_SQL}, 8 MiB per statement, or from 1 MiB on a binary
 *       {@code COPY} ({@code VersionCopy}: the epoch's earlier versions of the lines deleted, then the rows
 *       streamed), about a quarter faster;</li>
 * </ul>
 * → a {@code line_version} row {@code (heap_id, line_id, open epoch, data)}. A commit then publishes the
 * open epoch ({@code Checkpoints#insert}) and opens the next ({@code HeapLeases#advance}).
 *
 * <p>Choices, and why:
 * <ul>
 *   <li>Versions per epoch, not copies per checkpoint: a checkpoint costs what it changed, and a commit is
 *       one small transaction that flips the epoch from open to published — atomic by construction.</li>
 *   <li>Lineages as {@code int8multirange}: a linear history is one range; resuming from an older
 *       checkpoint (a fork) adds a range, so any retained checkpoint can be resumed without copying.</li>
 *   <li>The heap row is the heap's lock: opening, closing, committing and deleting lock it
 *       {@code FOR UPDATE}, so fencing checks and these changes are serial per heap; uncounted flushes (a
 *       commit's lines written ahead of it) share-lock it ({@code FOR SHARE}), so they may run side by side while
 *       a takeover waits for every flush in flight; counted ones update it, one at a time. Heaps proceed in
 *       parallel.</li>
 *   <li>{@code VersionReclaimer} runs when a view goes away (prune, takeover, close, delete) and keeps
 *       exactly the versions some view can see.</li>
 * </ul>
 */
package org.vheap.server.store;
