/**
 * The heap: how objects lie in an app's virtual heap, how they are allocated, and how garbage is collected; the
 * paging that keeps the heap's lines in device memory is {@code heap.paging}.
 *
 * <h2>Object layout</h2>
 * {@link org.vheap.format.ObjectLayout} is the one heap format: a reference is 32 bits naming an 8-byte
 * granule (so 32 GiB of address space, reserved by purpose: the user heap, the nursery, the read-only system
 * segment of class files); every object starts with an 8-byte header (class id, status word with
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
 * <h2>The collector: a nursery, then the user heap</h2>
 * New objects are allocated in the {@link org.vheap.device.vm.heap.Nursery} (the seed's object nursery): device
 * memory at the nursery's reserved addresses, bump-allocated in <em>eden</em>, never flushed, never read from the
 * store, never part of a checkpoint's lines. Objects larger than an eighth of it, and those the VM keeps references
 * to outside the heap (mirrors, interned literals, the heap header's tables), go straight to the user heap
 * ({@code Vm.tenured}). When eden fills, the allocation goes to the user heap and the interpreter ends its quantum;
 * at the safepoint the {@link org.vheap.device.vm.heap.MinorCollector} copies eden's survivors into a survivor
 * space and promotes into the user heap those that survive a second minor collection, then eden is empty. Garbage
 * in the nursery costs nothing: it is never marked, copied, written or sent. A checkpoint runs a minor collection
 * that promotes everything first, so a checkpoint (and resume, migration, fencing) never holds a nursery object.
 *
 * <p>References from the user heap into the nursery are found without walking the user heap: every reference store
 * goes through the write barrier ({@link org.vheap.device.vm.heap.WriteBarrier}: the interpreter's {@code PUTFIELD_REF},
 * {@code PUTSTATIC_REF} and {@code aastore}, the natives' {@code Unsafe.putReference} and compare-and-set,
 * {@code VarHandle}s, {@code System.arraycopy} and {@code clone} of reference arrays, and the VM's own stores), which
 * records a user-heap slot that now names a nursery object in the nursery's remembered set (and one that names an
 * object of another working set in that working set's: below). A store that bypassed it would leave a dangling
 * reference after the next collection: tests run with the barrier verified before every minor and working sets'
 * collection ({@code MinorCollector.verifyRemembered}, {@code DeviceConfig.verifyWriteBarrier}).
 *
 * <p>Moving objects: a minor collection rewrites every root the VM holds outside the heap (activations, thread
 * fields, monitors, the intern table, initialization errors, the preallocated OutOfMemoryError) through one root
 * operator, and a copy keeps the object's status word, so identity hashes survive moves. A quickened {@code ldc}
 * never holds a nursery reference: a string {@code String.intern} made canonical while new is resolved each time
 * until it is promoted.
 *
 * <p>The user heap is collected by {@link org.vheap.device.vm.heap.Collector}, a mark-sweep (moving only to compact:
 * below), in full when it
 * grew by more than it held after the last full collection (at least 4 MiB, at most half the room left below the heap's
 * limit; promotion counts) or an allocation there
 * failed, always after a minor collection (or, when the user heap has no room to promote into, before it), marking
 * through the nursery's survivors too. Mark bits are on the host (a start and an end bit per object's granules), so
 * it writes nothing into the heap: it faults in only live objects, to read their references
 * ({@link org.vheap.device.vm.heap.HeapShapes}, answered by the VM's class table), and never touches the lines of
 * dead ones; an object whose line is not resident waits, and the waiting objects' lines are read together (one
 * store read for many, {@code HeapMemory.prefetchLines}) when nothing resident is left to scan. The sweep is bitmap work: the gaps between live objects become the free space, a gap that reaches the
 * allocation pointer lowers it, and the whole lines of each gap are discarded (dropped without a write, deleted from
 * the store, zero-filled when reused). Its roots are the threads (their Thread objects and activations), every
 * class's mirror (its statics) and initialization error, the interned strings, the objects whose monitors are in use,
 * the preallocated OutOfMemoryError and the heap header's tables. References (weak, soft, phantom) are not cleared:
 * they act as strong ones.
 *
 * <h2>Young lines: collecting what outgrew the nursery</h2>
 * A structure larger than the nursery's survivor space (a tree being built across several minor collections) is
 * promoted while it is still alive and often dies soon after. Until a full collection finds it dead, its lines are
 * dirty in frames, and the frames are needed: each is written to the store, only to be deleted later. With young
 * collections (off by default; {@code DeviceConfig.youngCollections}, {@code --young}) promotion fills
 * {@link org.vheap.device.vm.heap.YoungLines}: the lines the last young collection freed first, then the highest whole
 * free line, then new lines at the bump pointer; a line a promotion starts is young, and so is every object placed in
 * it. Only while half the heap is left above the bump pointer and the free space below it is under a quarter of what
 * is in use: otherwise promotions fill free chunks first, as without young collections, so the pointer does not creep
 * up, a full collection keeps the lowest free lines to compact into and a small heap its room to promote into. After a minor collection, once a
 * quarter of the frames' bytes has landed in young lines, {@link org.vheap.device.vm.heap.Collector#collectYoung}
 * collects them alone, while they are still in memory: roots are the VM's roots, the slots in old lines that name
 * young objects (kept by the write barrier and the minor collection) and the nursery; the whole lines it frees are
 * dropped without a write and keep their frames, zeroed, for the next promotions to fill (no store call, no miss).
 * Objects do not move; lines age: a young line that holds something live survives one young collection and is old
 * after the next (so what was being built when one ran gets one more chance to die young). It is conservative like a
 * working set's collection (a young object only dead old objects name lives until a full collection), and a full
 * collection makes every line old. While young collections free at least half of what they collect, a pre-flush
 * leaves young lines alone (one is likely to free them); young lines that mostly survive are pre-flushed like the
 * rest, so the checkpoints of an app building what it keeps stay short. A young collection that faulted in more lines
 * than it freed whole (an app whose young lines were evicted before it came: it read them back to free little) makes
 * the next due ones tenure every young line without marking instead, twice as many each time that lasts, at most
 * eight.
 *
 * <p>Why lines and not working sets: what a young collection reads is its lines' live objects, in memory because they
 * are new, and the few old slots that name them (binary-trees: a few to a few hundred per collection), where a group of
 * working sets chosen by allocation also reads the slots of the newer working sets that name it; and lines rather
 * than a young region at the top of the heap because the lines a collection frees are refilled at once, by the
 * promotions that follow, so the heap's address space does not creep up between full collections. Measured on
 * {@code samples/BinaryTrees 14} at a tenth of its heap over a heap server (pre-flushing off in both): 3,140 lines
 * written against 5,030 without young collections, 3,870 misses against 5,830, two full collections instead of four;
 * its trees of depth 14 (512 KiB, more than the frames) are still written and read back. Why it is off by default:
 * {@code samples/CollectionsBench 20}, whose rounds build maps and lists larger than a young collection's budget that
 * all live to the round's end, reads about 850 lines from the store with it against 330 without, and was slower in
 * the bench; and binary-trees' time did not improve measurably on this machine (docs/benchmarks.md gives the figures).
 *
 * <h2>Working sets: collecting part of the user heap</h2>
 * With {@code --working-set SIZE} ({@code DeviceConfig.workingSetBytes}; off by default) the user heap is divided
 * into the seed's working sets ({@link org.vheap.device.vm.heap.WorkingSets}): aligned runs of lines of that size,
 * each with a remembered set of the slots elsewhere that name objects in it, kept by the write barrier (and by the
 * minor collection for what it promotes, whose slots are copied past the barrier). When two working sets' worth was
 * allocated in the user heap since its last collection, a group of at most four working sets (no more than half
 * the frames hold), those with the most bytes allocated since they were last collected, is collected alone: roots are the VM's roots that name objects in
 * it, its remembered slots outside it and the nursery; references leaving the group are not followed. So a partial
 * collection reads the lines of the group's live objects and of its remembered slots, not the live heap through the
 * cache (the bench prints each kind's lines touched and faulted). The full collection still runs when the heap would
 * otherwise grow (the rule above, in net bytes), and rebuilds every remembered set; a resumed heap has none, so its
 * first collection of the user heap is full.
 *
 * <p>Why remembered sets per working set, and not regions ordered by age: objects move only in full collections
 * (compaction, which rebuilds every remembered set anyway), so a working set is a fixed range of addresses between
 * them (no evacuation reserve, no card table over a moving heap), and the seed divides
 * the heap the same way; a group rather than one working set because a dead structure spanning several is freed only
 * when they are collected together. The price, measured and the reason it is off by default: a working set's
 * collection is conservative (an object that only dead objects elsewhere name survives it), and with the nursery
 * taking the short-lived garbage, what reaches the user heap of the samples is structures that span many working sets
 * (binary-trees' trees, collections' maps), which the groups rarely free whole; their collections then cost more
 * reads than the few full collections they replace (docs/device-vm.md gives the figures).
 *
 * <p>Paging induces a collection too (the seed tracks "the amount of caching"): with working sets, when the heap faulted
 * in four times its frames since the user heap was last collected, a group is collected after one working set's worth
 * of allocation rather than two. Never a full collection:
 * measured, full collections induced that way made the samples fault more, not less.
 *
 * <h2>Compaction: survivors used together in the same lines</h2>
 * A full collection also compacts the user heap ({@code DeviceConfig.compaction}, on by default; {@code --no-compact}
 * turns it off) ({@link org.vheap.device.vm.heap.Evacuation}): the live objects of the lines the previous full collection found
 * at most half live ({@link org.vheap.device.vm.heap.LiveLines}) are copied, as marking meets them, into whole free
 * lines (below the allocation pointer first, so it does not creep up), in marking's order (an object next to what named it), and marking rewrites every slot it reads that names
 * a moved object; the lines emptied are dropped without a write and deleted from the store. It is one pass: no
 * second walk of the live heap through the cache, which is why candidates come from the previous collection (the
 * first full collection of a resumed run goes by the free space its checkpoint saved, an upper bound of each line's
 * live bytes; that of a new run moves nothing). A candidate met on a line not in memory is moved when marking
 * brings its line in with the other waiting objects' (one store read for many), and the few slots read before that
 * are fixed up afterwards, by batches too. A copy keeps the status word, so identity hashes stay; objects larger
 * than a line stay. The VM's host-held references follow a move through the root operator (activations, thread
 * fields, monitors re-keyed, the intern table, initialization errors, the preallocated OutOfMemoryError); those it
 * quickens into code or reads from line 0, class mirrors, interned strings and the header's tables, are pinned
 * ({@code Vm.forEachPinnedRoot}): marked where they lie before anything can move them. Nothing a checkpoint needs is
 * host-side: the forwarding table lives for one collection, and the live bytes per line are a hint a resumed heap
 * takes from its saved free space until its first full collection rebuilds it. Its price is that a moved object dirties every line naming it: on the
 * bench's samples, whose survivors the nursery promotes in traversal order already, it moves little and changes
 * little; on a heap whose survivors die scattered it reads and writes far fewer lines (docs/device-vm.md gives the
 * figures).
 */
package org.vheap.device.vm.heap;
