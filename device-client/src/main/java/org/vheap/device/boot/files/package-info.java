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
 * The JDK's classes run unmodified; what they would ask the operating system, the VM's natives ask these classes,
 * as calls whose result or exception is the native's ({@code BootCalls}):
 * <ul>
 *   <li>{@link org.vheap.device.boot.files.HeapFiles}: {@code java.io} ({@code UnixFileSystem} behind {@code File},
 *       the file streams, {@code RandomAccessFile}: {@code FileNatives}), and the table of
 *       {@link org.vheap.device.boot.files.OpenFile}s a descriptor's number indexes (0-2 stay the console's);</li>
 *   <li>{@link org.vheap.device.boot.files.HeapChannels}: {@code FileChannel}'s reads and writes
 *       ({@code sun.nio.ch.IOUtil}, substituted: {@code ChannelNatives});</li>
 *   <li>{@link org.vheap.device.boot.files.PosixFiles}: {@code java.nio.file}'s POSIX calls
 *       ({@code sun.nio.fs.UnixNativeDispatcher}, substituted: {@code PathNatives}), failing with the JDK's
 *       {@code UnixException} and an {@link org.vheap.device.boot.files.Errno};</li>
 *   <li>{@link org.vheap.device.boot.files.FileTree}: the directories and the calls on names ({@code mkdir},
 *       {@code unlink}, {@code rename}, ...) both surfaces share, answering errno values as the C library does;</li>
 *   <li>{@link org.vheap.device.boot.files.Mounts}: the device's host directories mounted into the tree, the one part
 *       that is not heap data (nodes stand for host files by path; their bytes stay on the host:
 *       {@code vm.mount.HostMounts}).</li>
 * </ul>
 * What only the device can answer (the random bytes behind {@code /dev/urandom}, the JDK's data files under
 * {@code java.home}, the file space, and what reaches into the JDK's private fields) are these classes' natives.
 *
 * <p>Rules for code here: it runs interpreted inside every app, so it uses only the JDK's public API, keeps its state
 * in static fields of its own classes (one file system per VM), and fails with the exceptions and messages HotSpot
 * gives.
 */
package org.vheap.device.boot.files;
