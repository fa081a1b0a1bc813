package org.vheap.device.store.flash;

import java.util.Map;

/**
 * A committed checkpoint in a flash store's index: where in the log each of its lines' versions lies, and where its
 * COMMIT record (which holds its VM state) does. Its line map is never changed once it is published.
 */
record FlashCheckpoint(long id, Map<Long, Long> lines, long commitRecord) {
}
