package org.vheap.device.store.flash;

/**
 * What a {@link FlashHeapStore} wrote since it opened: what the bench ({@code ./vheap bench flash}) sets against the
 * bytes the app changed.
 *
 * @param bytesWritten   bytes appended to the medium: records, their fragments' headers and block padding, and the
 *                       cleaner's snapshot segments
 * @param bytesCopied    of those, the cleaner's snapshot segments (the records it moved and the index it named)
 * @param cleanings      cleaning passes installed
 * @param linesWhole     lines written whole (LINE records)
 * @param linesPatched   lines written as the bytes that changed (patch records)
 * @param linesUnchanged lines flushed or committed with no change, so not written
 * @param bytesChanged   bytes of the lines written and of the checkpoints' VM states that differ from their versions
 *                       before (all of a line that had none; a checkpoint's from the one its session was on)
 * @param wordBytesChanged the bytes of the aligned 8-byte words of those lines and states that differ from their
 *                       versions before: about the bytes of the fields the app (and its VM) wrote
 * @param vmStateBytes   bytes of VM state the checkpoints committed (whole or as patches)
 */
public record FlashStoreStats(long bytesWritten, long bytesCopied, long cleanings, long linesWhole,
                              long linesPatched, long linesUnchanged, long bytesChanged, long wordBytesChanged,
                              long vmStateBytes) {
}
