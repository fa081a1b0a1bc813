/**
 * The seed's flash store (issue 17): an app's virtual heap kept "on a non-volatile storage attached to the device,
 * for example, a flash card", which writes in large blocks and wears with every write. So it is log-structured:
 * nothing is written in place, everything is appended, and a crash or a power loss can only tear the log's end.
 *
 * <h2>What is here: the log</h2>
 * <ul>
 *   <li>{@link org.vheap.device.store.flash.FlashMedium}: the storage — append, read anywhere, sync; what was not
 *       synced may be lost in part. {@link org.vheap.device.store.flash.FileFlashMedium} is one local file.</li>
 *   <li>{@link org.vheap.device.store.flash.FlashLogFormat}: the bytes — blocks of the medium's write size, each
 *       holding CRC-32C-checked fragments of records (LevelDB's log layout).</li>
 *   <li>{@link org.vheap.device.store.flash.FlashLogWriter} appends records and syncs them;
 *       {@link org.vheap.device.store.flash.FlashLogReader} reads them back and finds the log's end at the first
 *       fragment a crash tore; the store cuts that tail off (keeping a copy) so the writer goes on there.</li>
 * </ul>
 * The promise, tested at every byte a crash could stop at, with torn bytes behind it and with bits gone bad: the
 * reader returns every record synced before the crash, in order, then at most a prefix of the later ones, and never
 * a torn or a foreign record.
 *
 * <h2>The store over the log</h2>
 * <ul>
 *   <li>{@link org.vheap.device.store.flash.FlashHeapStore} ({@code --store flash:DIR}, configured by
 *       {@link org.vheap.device.store.flash.FlashStoreConfig}): the device's store interface with the heap server's
 *       semantics; {@code FlashRecord}s in the log (a flush's lines, a checkpoint's COMMIT that makes them visible at
 *       once), an index in memory ({@code FlashHeap}, {@code FlashCheckpoint}) of where each line's version lies,
 *       rebuilt by replaying the log when the store opens.</li>
 *   <li>{@code FlashLineVersions}: a line that changed is written as a PACKED_PATCH, the runs of bytes that differ
 *       from an older version of it (the seed's flush of only what is dirty) on skip-deltas, and read back by applying
 *       patches to the LINE below them, at most four deep; {@code FlashStateVersions} does the same for a
 *       checkpoint's VM state (COMMIT_PATCH), both as {@code FlashPatches} chooses.</li>
 *   <li>{@code FlashBlobLog}: the system blobs (class files) in a log of their own, appended to and never cleaned,
 *       synced before the heap's log so a checkpoint's class files are durable before it is.</li>
 *   <li>{@code FlashSegments}: the heap's log as segments, files each named by where its first byte lies in the
 *       log ({@code FlashLogFiles}); a record never spans two. {@code FlashLog} reads records back by position,
 *       following a base a cleaning moved.</li>
 *   <li>{@code FlashCleaning}: one pass of the segment cleaner. It copies the records still live in the segments
 *       it cleans into a snapshot segment that names everything else live where it lies, which {@code FlashLogFiles}
 *       installs in one rename before the cleaned segments go; replay starts at the newest snapshot segment. Within
 *       {@code --flash-size} the store cleans, least live segments first, when a call's records would not fit with a
 *       pass's room left, and refuses, having written nothing, what does not fit even so.</li>
 * </ul>
 *
 * <h2>In front of a heap server</h2>
 * {@link org.vheap.device.store.flash.FlashFrontedStore} ({@code --store flash:DIR --server HOST:PORT}) keeps a copy
 * of each app's heap in a flash store in front of the server that holds its lease and checkpoints: its sessions
 * ({@code FlashFrontedSession}) write evictions to the flash, serve faults from it, and commit each checkpoint there;
 * {@code FlashShipper} ships the checkpoints to the server in the background, in order, each atomically and as a server
 * checkpoint of its own (the flash keeps each until it is shipped, within a bound); {@code FlashShipped} records which server checkpoint the copy is, so a copy out of date
 * is dropped, and which lines each flash checkpoint may have changed since, so one a device did not ship before it
 * stopped is shipped when it opens the app again.
 *
 * <h2>What comes next</h2>
 * A cleaning pass that scans and copies outside the store's monitor (a pass run beside the app but under the monitor
 * was tried: the app's next call waited for it all the same), and snapshot segments that name only what changed since
 * the last one.
 */
package org.vheap.device.store.flash;
