/**
 * The device: an emulated small device running apps on the device VM, whose object heap is a bounded cache of
 * lines of the app's virtual heap in a heap store.
 *
 * <p>{@link org.vheap.device.Device} is one app on a device: it opens the app's heap in a
 * {@link org.vheap.device.store.HeapStore} (taking its lease), builds the VM over a
 * {@link org.vheap.device.vm.heap.paging.PagedHeap} of {@link org.vheap.device.DeviceConfig#memoryBytes()} bytes
 * of frames and runs a main class, or resumes the app from a checkpoint's VM state. Its
 * {@code Checkpointer} is the VM's safepoint listener: it commits checkpoints (dirty lines and the VM state in
 * one transaction) on the configured triggers, suspends and stops the app on request, renews the heap lease,
 * and pauses the app while the store is unreachable. {@code AppApi} and {@code ResourceLeases} serve the app API jar
 * ({@code org.vheap.api}: checkpoints, listeners, leases on {@link org.vheap.device.DeviceResources}).
 * {@link org.vheap.device.DeviceAgent} is a device process running several apps, each its own
 * {@code Device} on its own host thread, sharing parsed class files, resources and a line cache. Packages:
 * <ul>
 *   <li>{@code store}: the store interface and its in-memory and gRPC implementations;</li>
 *   <li>{@code vm}: the virtual machine (see its package documentation);</li>
 *   <li>{@code control}: the control stream to the heap server, which pushes suspend and resume requests;</li>
 *   <li>{@code cli}: {@code ./vheap device} (run, resume, start) and {@code ./vheap bench vm}/{@code resume}.</li>
 * </ul>
 * Follow one heap line from the interpreter's write barrier to a PostgreSQL row: {@code vm.interp.Interpreter}
 * (a putfield) → {@code vm.heap.paging.PagedHeap#putInt} (marks the line dirty) → eviction's batch flush →
 * {@code store.GrpcHeapStore} ({@code Transact}) → the heap server's {@code PgHeapStore} ({@code line_version}).
 */
package org.vheap.device;
