/**
 * The device: an emulated small device running apps on the device VM, whose object heap is a bounded cache of
 * lines of the app's virtual heap in a heap store.
 *
 * <p>{@link org.vheap.device.Device} opens an app's heap in a {@link org.vheap.device.store.HeapStore} (taking
 * its lease), builds the VM over a {@link org.vheap.device.vm.heap.paging.PagedHeap} of
 * {@link org.vheap.device.DeviceConfig#memoryBytes()} bytes of frames and runs a main class. Packages:
 * <ul>
 *   <li>{@code store}: the store interface and its in-memory and gRPC implementations;</li>
 *   <li>{@code vm}: the virtual machine (see its package documentation);</li>
 *   <li>{@code control}: the control stream to the heap server, which pushes suspend and resume requests;</li>
 *   <li>{@code cli}: {@code ./vheap device} and {@code ./vheap bench vm}.</li>
 * </ul>
 * Follow one heap line from the interpreter's write barrier to a PostgreSQL row: {@code vm.interp.Interpreter}
 * (a putfield) → {@code vm.heap.paging.PagedHeap#putInt} (marks the line dirty) → eviction's batch flush →
 * {@code store.GrpcHeapStore} ({@code Transact}) → the heap server's {@code PgHeapStore} ({@code line_version}).
 */
package org.vheap.device;
