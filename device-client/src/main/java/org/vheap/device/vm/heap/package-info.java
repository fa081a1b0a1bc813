/**
 * The heap: how objects lie in an app's virtual heap, how they are allocated, and how garbage is collected; the
 * paging that keeps the heap's lines in device memory is {@code heap.paging}.
 *
 * <h2>Object layout</h2>
 * {@link org.vheap.device.vm.heap.ObjectLayout} is the one heap format: a reference is 32 bits naming an 8-byte
 * granule (so 32 GiB of address space, reserved by purpose: the user heap, the nursery of a later issue, the
 * read-only system segment of class files); every object starts with an 8-byte header (class id, status word with
 * the mark bit and identity hash), instance fields follow aligned to their size, an array has its length and then
 * its elements. A class's static fields are not a separate area: they follow the fields of its
 * {@code java.lang.Class} object, its mirror ({@code vm.ClassMirrors}). Line 0 is the heap header (the VM's tables,
 * {@code vm.HeapHeader}).
 *
 * <h2>Access and barriers</h2>
 * Everything reads and writes the heap through {@link org.vheap.device.vm.heap.HeapMemory}: byte addresses, each
 * access aligned to its size so none straddles two lines. Its implementation ({@code heap.paging.PagedHeap})
 * translates an address through the cache table to a frame of device memory; that translation is the read barrier
 * (a line not in a frame is faulted in from the store, or zero-filled if the store never had it) and a store is
 * the write barrier (the first store to a clean line marks it dirty). {@link org.vheap.device.vm.heap.TypedAccess}
 * reads and writes a value by its field descriptor.
 *
 * <h2>Allocation and free space</h2>
 * {@link org.vheap.device.vm.heap.ObjectAllocator} places new objects in the user heap: first in the free space the
 * last collection found below the allocation pointer ({@link org.vheap.device.vm.heap.FreeSpace}: chunks inside
 * lines by size, and runs of whole free lines for objects larger than a line), else at the bump pointer. An object
 * no larger than a line never straddles two (the pointer moves on to the next line); a larger one starts on a line
 * boundary. Memory handed out is zeroed. A full heap answers 0, which the VM turns into {@code HeapExhausted}: the
 * instruction is retried after a collection, or fails with OutOfMemoryError. The allocation pointer and the free
 * ranges are saved with a checkpoint's VM state, so a resumed heap need not be collected (paged in) first.
 *
 * <h2>The collector</h2>
 * {@link org.vheap.device.vm.heap.Collector} is a non-moving mark-sweep over the user heap, run only at a safepoint
 * (every green thread between instructions) from the roots the VM gives: the threads (their Thread objects and
 * activations), every class's mirror (its statics) and initialization error, the interned strings, the objects
 * whose monitors are in use, the preallocated OutOfMemoryError and the heap header's tables. Mark bits are on the host (a start and an end bit per
 * object's granules), so a collection writes nothing into the heap: it faults in only live objects, to read their
 * references ({@link org.vheap.device.vm.heap.HeapShapes}, answered by the VM's class table), and never touches the
 * lines of dead ones. The sweep is bitmap work: the gaps between live objects become the free space, and a gap that
 * reaches the allocation pointer lowers it. Objects never move, so a reference the VM holds (a mirror, an interned
 * string, a constant quickened into code) stays valid. References (weak, soft, phantom) are not cleared: they act as
 * strong ones.
 */
package org.vheap.device.vm.heap;
