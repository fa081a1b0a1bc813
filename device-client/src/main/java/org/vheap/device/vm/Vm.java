package org.vheap.device.vm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.vheap.device.DeviceConsole;
import org.vheap.device.store.SystemBlobStore;
import org.vheap.device.vm.heap.HeapMemory;
import org.vheap.device.vm.heap.HeapShapes;
import org.vheap.device.vm.heap.Nursery;
import org.vheap.device.vm.heap.ObjectAllocator;
import org.vheap.format.ObjectLayout;
import org.vheap.device.vm.heap.WriteBarrier;
import org.vheap.device.vm.loader.ClassRegistry;
import org.vheap.device.vm.loader.ClassSource;
import org.vheap.device.vm.loader.ParsedClasses;
import org.vheap.device.vm.loader.SystemSegment;
import org.vheap.device.vm.loader.VmClass;
import org.vheap.device.vm.loader.VmField;
import org.vheap.device.vm.mount.HostMounts;
import org.vheap.device.vm.net.HostSockets;
import org.vheap.device.vm.thread.Scheduler;
import org.vheap.device.vm.thread.VmThread;
import org.vheap.format.VmStateImage;

/**
 * One app's virtual machine: the class table and its mirrors ({@link ClassMirrors}), the heap (objects and
 * arrays allocated over paged memory, their fields by name for natives, what the collector sees of them),
 * strings ({@link VmStrings}), boxing for reflection ({@link Boxing}), green threads and their scheduler, the
 * clocks and the console. The interpreter and the natives reach the VM's services through it. Everything is
 * confined to the VM's interpreter host thread.
 */
public final class Vm {
    private final HeapMemory memory;
    private final ClassSource source;
    private final NativeMemory nativeMemory = new NativeMemory();
    private final HostSockets sockets;
    private final HostMounts mounts = new HostMounts();
    private final ObjectAllocator allocator;
    private final Nursery nursery;
    private final WriteBarrier barrier;
    /** Allocations go to the user heap, not the nursery ({@link #tenured}). */
    private boolean tenuring;
    /** Eden filled: allocations skip the nursery until a minor collection empties it. */
    private boolean nurseryFull;
    /** A minor collection is asked for: the interpreter ends its quantum, the next safepoint collects. */
    private boolean minorCollectionRequested;
    /** A safepoint is asked for from another thread: the running quantum ends at its next backward branch or call. */
    private volatile boolean safepointRequested;
    private boolean lastCollectionFull;
    private final ClassRegistry classes;
    private final Scheduler scheduler;
    private final DeviceConsole console;
    private final LongSupplier nanoClock;
    private final LongSupplier millisClock;
    private final SystemSegment systemSegment;
    private final List<VmThread> threads = new ArrayList<>();
    private final ClassMirrors mirrors;
    private final VmStrings strings;
    private final Boxing boxing;
    private VmClass byteArrayClass;
    private int hashSeed = 0x2545F491;
    private long bytecodes;
    private Integer exitStatus;
    private int outOfMemory;
    private boolean collectionRequested;
    private VmThread failedThread;
    private int failedPc;
    private int failedDepth;
    private long failedAfter;
    private long collections;

    /** A VM whose heap keeps every line (no store behind its system segment): tests of the interpreter. */
    public Vm(HeapMemory memory, ObjectAllocator allocator, ClassSource source, ParsedClasses parsed,
              DeviceConsole console, LongSupplier nanoClock, LongSupplier millisClock) {
        this(memory, allocator, source, parsed, null, console, nanoClock, millisClock);
    }

    /**
     * @param systemStore the store's system blobs, where the class files this VM defines are uploaded and
     *                    from which evicted system lines are faulted back; null for a heap that never evicts
     */
    public Vm(HeapMemory memory, ObjectAllocator allocator, ClassSource source, ParsedClasses parsed,
              SystemBlobStore systemStore, DeviceConsole console, LongSupplier nanoClock, LongSupplier millisClock) {
        this.source = source;
        this.memory = memory;
        this.allocator = allocator;
        this.nursery = new Nursery(memory);
        this.barrier = new WriteBarrier(memory, nursery, allocator);
        this.console = console;
        this.nanoClock = nanoClock;
        this.millisClock = millisClock;
        this.scheduler = new Scheduler(nanoClock);
        this.sockets = new HostSockets(scheduler);
        this.systemSegment = new SystemSegment(memory, systemStore);
        this.mirrors = new ClassMirrors(this);
        this.strings = new VmStrings(this);
        this.boxing = new Boxing(this);
        this.classes = new ClassRegistry(source, parsed, systemSegment, mirrors::defined);
    }

    /** Loads the classes every other one needs and gives all of them mirrors. */
    public void bootClasses() {
        classes.load("java/lang/Object");
        mirrors.boot();
        bindLibraryClasses();
    }

    /** Binds the library classes the VM's helpers use by layout (once they are loaded, at boot or after a replay). */
    private void bindLibraryClasses() {
        strings.bind();
        byteArrayClass = classes.load("[B");
    }

    /**
     * Rebuilds the class table of a checkpoint (resume): loads the classes again in definition order, which
     * gives each its id, method ids and field layout back, and binds each to the mirror it has in the heap
     * (no object is allocated). {@code source} must give the exact class files the heap ran (the system
     * segment's, by hash).
     *
     * @throws IllegalStateException when the replay does not reproduce the table (other class files)
     */
    void restoreClasses(List<VmStateImage.ClassImage> images) {
        Map<Integer, VmStateImage.ClassImage> byId = new HashMap<>();
        systemSegment.storeHas(images.stream().filter(ci -> ci.sha256() != null)
                .map(ci -> org.vheap.format.BlobHash.of(ci.sha256())).toList());
        mirrors.startReplay();
        for (VmStateImage.ClassImage ci : images) {
            byId.put(ci.id(), ci);
            VmClass c = classes.findLoaded(ci.name());
            if (c == null) {
                if (ci.hidden()) {
                    var found = source.find(ci.name());
                    if (found == null) {
                        throw new IllegalStateException("resuming: the call-site class " + ci.name() + " is missing from the system segment");
                    }
                    classes.addSynthesized(ci.name(), found.bytes());
                }
                c = ci.primitive() != 0 ? classes.primitive(ci.primitive()) : classes.load(ci.name());
            }
            if (c.id() != ci.id()) {
                throw new IllegalStateException("resuming: class " + ci.name() + " got id " + c.id()
                        + " but the heap has it as " + ci.id() + " (its class files differ from the ones the heap ran)");
            }
            c.initState = VmClass.InitState.values()[ci.initState()];
            c.initError = ci.initError();
        }
        mirrors.endReplay(byId);
        bindLibraryClasses();
    }

    public HeapMemory memory() {
        return memory;
    }

    /** Where class files and resources come from. */
    public ClassSource source() {
        return source;
    }

    public ClassRegistry classes() {
        return classes;
    }

    /** The mirrors (java.lang.Class objects) of the classes. */
    public ClassMirrors mirrors() {
        return mirrors;
    }

    /** String objects and the intern table. */
    public VmStrings strings() {
        return strings;
    }

    /** Wrapper objects for reflection. */
    public Boxing boxing() {
        return boxing;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public DeviceConsole console() {
        return console;
    }

    public long nanoTime() {
        return nanoClock.getAsLong();
    }

    public long currentTimeMillis() {
        return millisClock.getAsLong();
    }

    public ObjectAllocator allocator() {
        return allocator;
    }

    /** The class files of this heap in its system segment: placements, uploads, misses. */
    public SystemSegment systemSegment() {
        return systemSegment;
    }

    /** The bytes of a loaded class by internal name (read through the system lines), or null. */
    public byte[] classFile(String internalName) {
        VmClass c = classes.findLoaded(internalName);
        return c == null || c.hash() == null ? null : systemSegment.bytes(c.hash());
    }

    /** The green thread of a java.lang.Thread object, or null when it was never started. */
    public VmThread threadOf(int javaThread) {
        for (VmThread t : threads) {
            if (t.javaThread == javaThread) {
                return t;
            }
        }
        return null;
    }

    public List<VmThread> threads() {
        return threads;
    }

    public void countBytecodes(long n) {
        bytecodes += n;
    }

    public long bytecodes() {
        return bytecodes;
    }

    /** Set by Shutdown.halt0: the VM stops with this status. */
    public void halt(int status) {
        if (exitStatus == null) {
            exitStatus = status;
        }
    }

    public Integer exitStatus() {
        return exitStatus;
    }

    // ---- objects ----

    /**
     * Allocates {@code bytes} for an object of class {@code classId}: in the nursery, unless it is too large for it,
     * the nursery is full, or the VM allocates {@link #tenured}; else in the user heap. A full nursery asks for a
     * minor collection at the next safepoint ({@link #minorCollectionRequested}), which the interpreter reaches soon:
     * until then new objects go to the user heap. HeapExhausted when the user heap is full.
     */
    int allocate(int classId, long bytes) {
        int ref;
        if (!tenuring && !nurseryFull && nursery.takes(bytes)) {
            ref = nursery.allocate(classId, bytes);
            if (ref != 0) {
                return ref;
            }
            nurseryFull = true;
            minorCollectionRequested = true;
        }
        ref = allocator.allocate(classId, bytes);
        if (ref == 0) {
            throw new HeapExhausted(bytes);
        }
        return ref;
    }

    /**
     * Runs {@code allocation} with every object it allocates placed in the user heap, where only a compacting
     * collection moves objects, and never these ({@link #forEachPinnedRoot}): for objects the VM keeps references to
     * outside the heap that no collector rewrites (mirrors and interned literals, which code quickens; the heap
     * header's tables).
     */
    public <T> T tenured(java.util.function.Supplier<T> allocation) {
        boolean was = tenuring;
        tenuring = true;
        try {
            return allocation.get();
        } finally {
            tenuring = was;
        }
    }

    /** The nursery (empty, with no capacity, when the heap has no nursery memory). */
    public Nursery nursery() {
        return nursery;
    }

    /** Whether eden filled since the last safepoint's collections (the interpreter then ends its quantum). */
    public boolean minorCollectionRequested() {
        return minorCollectionRequested;
    }

    /**
     * The safepoint dealt with the request: a minor collection ran, or could not (no room to promote into), and until
     * one can, new objects go to the user heap without ending quanta.
     */
    public void minorCollectionHandled() {
        minorCollectionRequested = false;
    }

    /**
     * Asks for a safepoint soon, from any thread (a suspend, a stop, a checkpoint asked for from outside): the running
     * quantum ends at its next backward branch or call, instead of after the quantum's budget, which an app waiting
     * for the store (a fault takes a millisecond or more, and a quantum may hold hundreds) spends slowly.
     */
    public void requestSafepoint() {
        safepointRequested = true;
    }

    /** Whether a safepoint was asked for since the last one: the interpreter and translated code end their quantum. */
    public boolean safepointRequested() {
        return safepointRequested;
    }

    /** A safepoint came (or, at boot and exit, a quantum ended where none runs): quanta run their budget again. */
    public void clearSafepointRequest() {
        safepointRequested = false;
    }

    /** A minor collection emptied eden. */
    public void nurseryEmptied() {
        nurseryFull = false;
    }

    /** Bytes of objects in the user heap and the nursery (live, or garbage not yet collected). */
    public long heapBytesInUse() {
        return allocator.bytesInUse() + nursery.bytesUsed();
    }

    /** Stores a reference into the heap through the write barrier ({@link WriteBarrier#storeRef}). */
    public void putRef(long address, int ref) {
        barrier.storeRef(address, ref);
    }

    /** The write barrier of reference stores. */
    public WriteBarrier barrier() {
        return barrier;
    }

    /** The app's native memory (direct buffers), which checkpoints carry. */
    public NativeMemory nativeMemory() {
        return nativeMemory;
    }

    /** The app's sockets (host sockets leased on the device's network), which checkpoints record but never carry. */
    public HostSockets sockets() {
        return sockets;
    }

    /** The host directories the device mounts into the app's file system. */
    public HostMounts mounts() {
        return mounts;
    }

    /** The class of a non-null object. */
    public VmClass classOf(int ref) {
        return classes.byId(memory.getInt(ObjectLayout.address(ref)));
    }

    /** A new zeroed instance, or OutOfMemoryError. */
    public int newObject(VmClass c) {
        return allocate(c.id(), c.instanceBytes());
    }

    /** A new zeroed array of an array class; NegativeArraySizeException or OutOfMemoryError. */
    public int newArray(VmClass arrayClass, int length) {
        if (length < 0) {
            throw new JavaError("java/lang/NegativeArraySizeException", String.valueOf(length));
        }
        long bytes = ObjectLayout.arrayBytes(length, arrayClass.elementShift());
        if (bytes > allocator.limit()) {
            throw new JavaError("java/lang/OutOfMemoryError", "Java heap space");
        }
        int ref = allocate(arrayClass.id(), bytes);
        memory.putInt(ObjectLayout.address(ref) + ObjectLayout.ARRAY_LENGTH_OFFSET, length);
        return ref;
    }

    public int arrayLength(int ref) {
        return memory.getInt(ObjectLayout.address(ref) + ObjectLayout.ARRAY_LENGTH_OFFSET);
    }

    /** Address of element {@code index} of an array with elements of {@code 1 << shift} bytes. */
    public static long elementAddress(int array, int index, int shift) {
        return ObjectLayout.address(array) + ObjectLayout.ARRAY_BASE_OFFSET + ((long) index << shift);
    }

    /** The identity hash of an object, assigned on first use and kept in its status word. */
    public int identityHash(int ref) {
        long a = ObjectLayout.address(ref) + ObjectLayout.STATUS_OFFSET;
        int status = memory.getInt(a);
        if ((status & ObjectLayout.STATUS_HASHED) != 0) {
            return status >>> ObjectLayout.HASH_SHIFT;
        }
        int h;
        do {
            hashSeed ^= hashSeed << 13;
            hashSeed ^= hashSeed >>> 17;
            hashSeed ^= hashSeed << 5;
            h = hashSeed & 0xFFFFFF;
        } while (h == 0);
        memory.putInt(a, status | ObjectLayout.STATUS_HASHED | (h << ObjectLayout.HASH_SHIFT));
        return h;
    }

    /** A shallow copy (Object.clone). */
    public int cloneObject(int ref) {
        VmClass c = classOf(ref);
        long bytes = c.isArray() ? ObjectLayout.arrayBytes(arrayLength(ref), c.elementShift()) : c.instanceBytes();
        int copy = allocate(c.id(), bytes);
        long from = ObjectLayout.address(ref);
        long to = ObjectLayout.address(copy);
        memory.copy(from + ObjectLayout.HEADER_BYTES, to + ObjectLayout.HEADER_BYTES, bytes - ObjectLayout.HEADER_BYTES);
        if (!ObjectLayout.isNursery(copy)) {
            shapes().forEachReferenceSlot(copy, slot -> barrier.rememberSlots(slot, 1));   // copied past the barrier
        }
        return copy;
    }

    /** A new byte[] holding these bytes. */
    public int newByteArray(byte[] bytes) {
        int arr = newArray(byteArrayClass, bytes.length);
        putBytes(arr, 0, bytes, bytes.length);
        return arr;
    }

    /** Writes {@code bytes[0, length)} into the byte[] {@code array} from {@code offset} on (bounds checked by the caller). */
    public void putBytes(int array, int offset, byte[] bytes, int length) {
        long base = elementAddress(array, offset, 0);
        for (int i = 0; i < length; i++) {
            memory.putByte(base + i, bytes[i]);
        }
    }

    /** Reads a byte[] into the host. */
    public byte[] bytesOf(int array, int offset, int length) {
        byte[] b = new byte[length];
        long base = elementAddress(array, offset, 0);
        for (int i = 0; i < length; i++) {
            b[i] = memory.getByte(base + i);
        }
        return b;
    }

    // ---- the collector's view ----

    /** Object sizes and references, for the collector. */
    public HeapShapes shapes() {
        return new HeapShapes() {
            @Override
            public long sizeOf(int ref) {
                VmClass c = classOf(ref);
                if (c.isArray()) {
                    return ObjectLayout.arrayBytes(arrayLength(ref), c.elementShift());
                }
                if (mirrors.isMirrorClass(c)) {
                    return mirrors.classOf(ref).mirrorBytes;
                }
                return c.instanceBytes();
            }

            @Override
            public void forEachReferenceSlot(int ref, LongConsumer slots) {
                VmClass c = classOf(ref);
                long a = ObjectLayout.address(ref);
                if (c.isArray()) {
                    if (!c.component().isPrimitive()) {
                        int n = arrayLength(ref);
                        long base = a + ObjectLayout.ARRAY_BASE_OFFSET;
                        for (int i = 0; i < n; i++) {
                            slots.accept(base + 4L * i);
                        }
                    }
                    return;
                }
                for (int off : c.referenceOffsets()) {
                    slots.accept(a + off);
                }
                if (mirrors.isMirrorClass(c)) {
                    for (int off : mirrors.classOf(ref).staticReferenceOffsets()) {
                        slots.accept(a + off);
                    }
                }
            }
        };
    }

    /**
     * The VM's own roots: every class's mirror (and so its statics) and initialization error, the interned strings,
     * the objects whose monitors are in use, the preallocated OutOfMemoryError and the heap header's tables. Each
     * reference held outside the heap is replaced by what {@code roots} answers for it (a collector that moved the
     * object); mirrors and the header's tables are in the user heap, pinned where they lie ({@link #forEachPinnedRoot}).
     */
    public void forEachVmRoot(IntUnaryOperator roots) {
        for (VmClass c : classes.classes()) {
            roots.applyAsInt(c.mirror());
            c.initError = roots.applyAsInt(c.initError);
        }
        strings.visitInterned(roots);
        scheduler.visitMonitorObjects(roots);
        outOfMemory = roots.applyAsInt(outOfMemory);
        for (int ref : HeapHeader.roots(memory)) {
            roots.applyAsInt(ref);
        }
    }

    /**
     * The objects the VM names from outside the heap without a collector rewriting those names: every class's mirror
     * and every interned string (code quickens them into {@code ldc}), and the heap header's tables (line 0 names
     * them). A compacting collection leaves them where they are.
     */
    public void forEachPinnedRoot(java.util.function.IntConsumer pinned) {
        for (VmClass c : classes.classes()) {
            pinned.accept(c.mirror());
        }
        strings.internTable().values().forEach(pinned::accept);
        for (int ref : HeapHeader.roots(memory)) {
            pinned.accept(ref);
        }
    }

    /**
     * Writes the heap header (line 0) for the current state: the VM's own tables in the heap. At a safepoint;
     * when the heap is too full for the tables, the previous header stays and false is returned. The class
     * files placed so far are uploaded to the store's system blobs first, so a header (and so a checkpoint)
     * never names a class file the store lacks.
     */
    public boolean writeHeapHeader() {
        systemSegment.upload();
        try {
            tenured(() -> {
                HeapHeader.write(this);
                return null;
            });
            return true;
        } catch (HeapExhausted full) {
            return false;
        }
    }

    /**
     * An allocation of {@code bytes} failed: true when a collection has just run and did not make room (the
     * app gets OutOfMemoryError), false when a collection should run at the next safepoint first.
     */
    public boolean collectionFailed(VmThread t, int pc) {
        // the same instruction of the same thread failing again just after the collection it asked for:
        // the collection could not make room (an instruction that allocates several objects retries whole)
        boolean again = t == failedThread && pc == failedPc && t.depth == failedDepth && collections == failedAfter + 1
                && lastCollectionFull;
        if (again) {
            failedThread = null;
            return true;
        }
        failedThread = t;
        failedPc = pc;
        failedDepth = t.depth;
        failedAfter = collections;
        collectionRequested = true;
        return false;
    }

    /** Asks for a collection at the next safepoint (the heap was too full for the VM's own tables). */
    public void requestCollection() {
        collectionRequested = true;
    }

    /** Whether an allocation asked for a collection. */
    public boolean collectionRequested() {
        return collectionRequested;
    }

    /**
     * Records a collection, full or minor only (clears the request; a failure before any other allocation is an
     * OutOfMemoryError).
     */
    public void collected(boolean full) {
        collectionRequested &= !full;
        lastCollectionFull = full;
        collections++;
    }

    public long collections() {
        return collections;
    }

    /** The preallocated OutOfMemoryError thrown when even a collection cannot make room. */
    public int outOfMemory() {
        return outOfMemory;
    }

    public void setOutOfMemory(int ref) {
        outOfMemory = ref;
    }

    // ---- fields by name (for natives; the interpreter uses resolved offsets) ----

    public VmField field(String owner, String name) {
        VmField f = classes.load(owner).declaredField(name);
        if (f == null) {
            throw new IllegalStateException("no field " + owner + "." + name + " in this JDK");
        }
        return f;
    }

    public int getIntField(int ref, VmField f) {
        return memory.getInt(ObjectLayout.address(ref) + f.offset());
    }

    /** Stores an int; a reference field takes {@link #putRefField}, whose store the collectors must hear of. */
    public void putIntField(int ref, VmField f, int v) {
        memory.putInt(ObjectLayout.address(ref) + f.offset(), v);
    }

    /** Stores reference {@code value} into field {@code f} of {@code ref} through the write barrier. */
    public void putRefField(int ref, VmField f, int value) {
        putRef(ObjectLayout.address(ref) + f.offset(), value);
    }

    public long getLongField(int ref, VmField f) {
        return memory.getLong(ObjectLayout.address(ref) + f.offset());
    }

    public void putLongField(int ref, VmField f, long v) {
        memory.putLong(ObjectLayout.address(ref) + f.offset(), v);
    }

    public byte getByteField(int ref, VmField f) {
        return memory.getByte(ObjectLayout.address(ref) + f.offset());
    }

    public void putByteField(int ref, VmField f, byte v) {
        memory.putByte(ObjectLayout.address(ref) + f.offset(), v);
    }

    /** A static reference field's value (the class must be initialized). */
    public int getStaticRef(VmClass c, String name) {
        return memory.getInt(ObjectLayout.address(c.mirror()) + c.declaredField(name).offset());
    }

    int hashSeed() {
        return hashSeed;
    }

    /** Puts back what a checkpoint saved of the VM's counters (resume, before anything runs). */
    void restoreCounters(int seed, long bytecodeCount, long collectionCount, int outOfMemoryError) {
        hashSeed = seed;
        bytecodes = bytecodeCount;
        collections = collectionCount;
        outOfMemory = outOfMemoryError;
    }

}
