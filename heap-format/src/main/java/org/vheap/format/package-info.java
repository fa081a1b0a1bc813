/**
 * The heap's formats, one definition read by two kinds of reader: the device VM, which writes them and resumes from
 * them, and the heap server, which reads a checkpoint with no device (export and import today; inspection and
 * offline collection are to come here too). No interpreter, networking or database code, and no dependency.
 *
 * <ul>
 * <li>{@link org.vheap.format.BlobHash}: a system blob's name, the SHA-256 of its bytes.</li>
 * <li>{@link org.vheap.format.VmStateImage}: the VM state a checkpoint commits beside its lines (class table,
 *     interned strings, threads and their activations, monitors, the device's attachments).</li>
 * <li>{@link org.vheap.format.ClassPathManifest}: the app's class path by content, one of those attachments.</li>
 * <li>{@link org.vheap.format.CheckpointBlobs}: which system blobs a checkpoint needs, from those two.</li>
 * <li>{@link org.vheap.format.HeapImageWriter} and {@link org.vheap.format.HeapImageReader}: the portable heap
 *     image file of {@code ./vheap export} and {@code ./vheap import}: one checkpoint's lines, VM state and
 *     system blobs, in checksummed, compressed sections.</li>
 * </ul>
 */
package org.vheap.format;
