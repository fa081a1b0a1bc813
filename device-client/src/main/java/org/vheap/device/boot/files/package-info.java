/**
 * The app's own file system, written in Java and run <em>by the device VM</em>, not by the host: classes under
 * {@code org.vheap.device.boot} are boot classes the VM loads from this jar and interprets like the JDK's own
 * ({@code ClassSource}), so everything they create is an object of the app's heap.
 *
 * <h2>Why in the heap</h2>
 * A checkpoint is the heap (plus the VM's threads and roots). Keeping directories, file bytes and open files as heap
 * objects makes them part of every checkpoint with no second store and no second commit: a resume on any device
 * finds the files exactly as they were at the checkpoint, a file written after it does not exist there, a stream open
 * at the checkpoint is open at the same position, and a file's bytes page in and out through the cache table like any
 * array's. The price: the files count against the virtual heap ({@code --max-heap}) and are bounded by the file space
 * ({@code --file-space}).
 *
 * <h2>How a call gets here</h2>
 * The JDK's {@code java.io} classes run unmodified. Their natives ({@code UnixFileSystem}, {@code FileInputStream},
 * {@code FileOutputStream}, {@code RandomAccessFile}, {@code FileDescriptor}) are the VM's {@code FileNatives}, which
 * defer each call to a static method of {@link org.vheap.device.boot.files.HeapFiles}; its result or exception is
 * the native's. A {@code FileDescriptor}'s number indexes {@code HeapFiles}' table of
 * {@link org.vheap.device.boot.files.OpenFile}s; 0-2 stay the console's. What only the device can answer (the random
 * bytes behind {@code /dev/urandom}, the JDK's data files under {@code java.home}, the file space) are
 * {@code HeapFiles}' own natives.
 *
 * <p>Rules for code here: it runs interpreted inside every app, so it uses only the JDK's public API, keeps its state
 * in static fields of its own classes (one file system per VM), and fails with the exceptions and messages HotSpot
 * gives.
 */
package org.vheap.device.boot.files;
