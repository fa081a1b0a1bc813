package org.vheap.device.vm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;
import org.vheap.device.DeviceConsole;
import org.vheap.device.store.SystemBlobStore;
import org.vheap.device.vm.heap.HeapMemory;
import org.vheap.device.vm.heap.HeapShapes;
import org.vheap.device.vm.heap.ObjectAllocator;
import org.vheap.device.vm.heap.ObjectLayout;
import org.vheap.device.vm.heap.TypedAccess;
import org.vheap.device.vm.loader.ClassRegistry;
import org.vheap.device.vm.loader.ClassSource;
import org.vheap.device.vm.loader.ParsedClasses;
import org.vheap.device.vm.loader.SystemSegment;
import org.vheap.device.vm.loader.VmClass;
import org.vheap.device.vm.loader.VmField;
import org.vheap.device.vm.thread.Scheduler;
import org.vheap.device.vm.thread.VmThread;

/**
 * One app's virtual machine: the class table, the heap (allocation over paged memory), strings, mirrors,
 * green threads and the console. The interpreter and the natives reach the VM's services through it.
 * Everything is confined to the VM's interpreter host thread.
 */
public final class Vm {
    private final HeapMemory memory;
    private final ClassSource source;
    private final ObjectAllocator allocator;
    private final ClassRegistry classes;
    private final Scheduler scheduler;
    private final DeviceConsole console;
    private final LongSupplier nanoClock;
    private final LongSupplier millisClock;
    private final Map<String, Integer> interned = new HashMap<>();
    private final List<VmClass> awaitingMirror = new ArrayList<>();
    private final SystemSegment systemSegment;
    private final List<VmThread> threads = new ArrayList<>();
    private VmClass classClass;
    private VmClass stringClass;
    private VmClass byteArrayClass;
    private int classIdOffset;
    private int componentTypeOffset;
    private int stringValueOffset;
    private int stringCoderOffset;
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
    /** While {@link #restoreClasses} replays a class table: the classes it expects, by id. */
    private Map<Integer, VmStateImage.ClassImage> restoring;

    /** A VM whose heap keeps every line (no store behind its system segment): tests of the interpreter. */
    public Vm(HeapMemory memory, ObjectAllocator allocator, ClassSource source, ParsedClasses parsed,
              DeviceConsole console, LongSupplier nanoClock, LongSupplier millisClock) {
        this(memory, allocator, source, parsed, null, console, nanoClock, millisClock);
    }

    /**
     * @param systemStore the store's system segment, where the class files this VM defines are uploaded and
     *                    from which evicted system lines are faulted back; null for a heap that never evicts
     */
    public Vm(HeapMemory memory, ObjectAllocator allocator, ClassSource source, ParsedClasses parsed,
              SystemBlobStore systemStore, DeviceConsole console, LongSupplier nanoClock, LongSupplier millisClock) {
        this.source = source;
        this.memory = memory;
        this.allocator = allocator;
        this.console = console;
        this.nanoClock = nanoClock;
        this.millisClock = millisClock;
        this.scheduler = new Scheduler(nanoClock);
        this.systemSegment = new SystemSegment(memory, systemStore);
        this.classes = new ClassRegistry(source, parsed, systemSegment, this::defined);
    }

    /** Loads the classes every other one needs and gives all of them mirrors. */
    public void bootClasses() {
        classes.load("java/lang/Object");
        bindClassClass();
        List<VmClass> early = new ArrayList<>(awaitingMirror);
        awaitingMirror.clear();
        for (VmClass c : early) {
            makeMirror(c);
        }
        bindStringClass();
    }

    private void bindClassClass() {
        classClass = classes.load("java/lang/Class");
        classIdOffset = classClass.declaredField(ClassRegistry.CLASS_ID_FIELD).offset();
        componentTypeOffset = classClass.declaredField("componentType").offset();
    }

    private void bindStringClass() {
        stringClass = classes.load("java/lang/String");
        stringValueOffset = stringClass.declaredField("value").offset();
        stringCoderOffset = stringClass.declaredField("coder").offset();
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
        restoring = byId;
        try {
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
        } finally {
            restoring = null;
        }
        bindClassClass();
        for (VmClass c : awaitingMirror) {
            VmStateImage.ClassImage ci = byId.get(c.id());
            c.mirrorBytes = classes.layoutStatics(c, classClass.instanceBytes());
            if (ci == null || c.mirrorBytes != ci.mirrorBytes()) {
                throw new IllegalStateException("resuming: the statics of " + c.name() + " take " + c.mirrorBytes
                        + " bytes, the heap's mirror " + (ci == null ? "is missing" : ci.mirrorBytes() + " bytes"));
            }
            c.bindMirror(ci.mirror());
        }
        awaitingMirror.clear();
        bindStringClass();
    }

    private void defined(VmClass c) {
        if (restoring != null || classClass == null || classIdOffset == 0) {
            awaitingMirror.add(c);
        } else {
            makeMirror(c);
        }
    }

    private void makeMirror(VmClass c) {
        int size = classes.layoutStatics(c, classClass.instanceBytes());
        int ref = allocate(classClass.id(), size);
        c.mirrorBytes = size;
        long a = ObjectLayout.address(ref);
        memory.putInt(a + classIdOffset, c.id());
        if (c.isArray()) {
            memory.putInt(a + componentTypeOffset, c.component().mirror());
        }
        c.bindMirror(ref);
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

    private int allocate(int classId, long bytes) {
        int ref = allocator.allocate(classId, bytes);
        if (ref == 0) {
            throw new HeapExhausted(bytes);
        }
        return ref;
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
        return copy;
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
                if (c == classClass) {
                    return classOfMirror(ref).mirrorBytes;
                }
                return c.instanceBytes();
            }

            @Override
            public void forEachReference(int ref, IntConsumer visitor) {
                VmClass c = classOf(ref);
                long a = ObjectLayout.address(ref);
                if (c.isArray()) {
                    if (!c.component().isPrimitive()) {
                        int n = arrayLength(ref);
                        long base = a + ObjectLayout.ARRAY_BASE_OFFSET;
                        for (int i = 0; i < n; i++) {
                            visitor.accept(memory.getInt(base + 4L * i));
                        }
                    }
                    return;
                }
                for (int off : c.referenceOffsets()) {
                    visitor.accept(memory.getInt(a + off));
                }
                if (c == classClass) {
                    for (int off : classOfMirror(ref).staticReferenceOffsets()) {
                        visitor.accept(memory.getInt(a + off));
                    }
                }
            }
        };
    }

    /** The VM's own roots: every class's mirror (and so its statics) and the interned strings. */
    public void forEachVmRoot(IntConsumer visitor) {
        for (VmClass c : classes.classes()) {
            visitor.accept(c.mirror());
            visitor.accept(c.initError);
        }
        for (int ref : interned.values()) {
            visitor.accept(ref);
        }
        for (int obj : scheduler.monitorObjects()) {
            visitor.accept(obj);
        }
        visitor.accept(outOfMemory);
        for (int ref : HeapHeader.roots(memory)) {
            visitor.accept(ref);
        }
    }

    /**
     * Writes the heap header (line 0) for the current state: the VM's own tables in the heap. At a safepoint;
     * when the heap is too full for the tables, the previous header stays and false is returned. The class
     * files placed so far are uploaded to the store's system segment first, so a header (and so a checkpoint)
     * never names a class file the store lacks.
     */
    public boolean writeHeapHeader() {
        systemSegment.upload();
        try {
            HeapHeader.write(this);
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
        boolean again = t == failedThread && pc == failedPc && t.depth == failedDepth && collections == failedAfter + 1;
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

    /** Records a collection (clears the request; a failure before any other allocation is an OutOfMemoryError). */
    public void collected() {
        collectionRequested = false;
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

    // ---- boxing (reflection) ----

    /** The wrapper class of a primitive descriptor character. */
    public VmClass wrapperClass(char type) {
        return classes.load(switch (type) {
            case 'I' -> "java/lang/Integer";
            case 'J' -> "java/lang/Long";
            case 'F' -> "java/lang/Float";
            case 'D' -> "java/lang/Double";
            case 'Z' -> "java/lang/Boolean";
            case 'B' -> "java/lang/Byte";
            case 'C' -> "java/lang/Character";
            case 'S' -> "java/lang/Short";
            default -> throw new IllegalArgumentException("not a primitive: " + type);
        });
    }

    /** A new wrapper object for a raw primitive value (as reflection boxes: never from a cache). */
    public int box(char type, long raw) {
        VmClass w = wrapperClass(type);
        int obj = newObject(w);
        TypedAccess.write(memory, ObjectLayout.address(obj) + w.declaredField("value").offset(), type, raw);
        return obj;
    }

    /**
     * The raw value of a wrapper object converted to primitive {@code type} by a widening conversion (JLS 5.1.2),
     * or IllegalArgumentException("argument type mismatch").
     */
    public long unbox(int ref, char type) {
        if (ref == 0) {
            throw new JavaError("java/lang/IllegalArgumentException", null);
        }
        VmClass c = classOf(ref);
        char from = switch (c.name()) {
            case "java/lang/Integer" -> 'I';
            case "java/lang/Long" -> 'J';
            case "java/lang/Float" -> 'F';
            case "java/lang/Double" -> 'D';
            case "java/lang/Boolean" -> 'Z';
            case "java/lang/Byte" -> 'B';
            case "java/lang/Character" -> 'C';
            case "java/lang/Short" -> 'S';
            default -> 0;
        };
        if (from == 0) {
            throw new JavaError("java/lang/IllegalArgumentException", "argument type mismatch");
        }
        long v = TypedAccess.read(memory, ObjectLayout.address(ref) + c.declaredField("value").offset(), from);
        if (from == type) {
            return v;
        }
        boolean integral = from == 'B' || from == 'S' || from == 'C' || from == 'I' || from == 'J';
        boolean widens = switch (type) {
            case 'S' -> from == 'B';
            case 'I' -> from == 'B' || from == 'S' || from == 'C';
            case 'J' -> from == 'B' || from == 'S' || from == 'C' || from == 'I';
            case 'F', 'D' -> integral || (type == 'D' && from == 'F');
            default -> false;
        };
        if (!widens) {
            throw new JavaError("java/lang/IllegalArgumentException", "argument type mismatch");
        }
        if (type == 'F') {
            return Float.floatToRawIntBits(from == 'J' ? (float) v : (float) (int) v);
        }
        if (type == 'D') {
            double d = from == 'F' ? Float.intBitsToFloat((int) v) : from == 'J' ? (double) v : (double) (int) v;
            return Double.doubleToRawLongBits(d);
        }
        return v;
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

    public void putIntField(int ref, VmField f, int v) {
        memory.putInt(ObjectLayout.address(ref) + f.offset(), v);
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

    // ---- mirrors ----

    public int mirror(VmClass c) {
        return c.mirror();
    }

    /** The class a java.lang.Class object stands for. */
    public VmClass classOfMirror(int mirror) {
        return classes.byId(memory.getInt(ObjectLayout.address(mirror) + classIdOffset));
    }

    // ---- strings ----

    /** A new java.lang.String with this text (Latin-1 when it fits, else UTF-16 little-endian). */
    public int newString(String s) {
        boolean latin1 = true;
        for (int i = 0; i < s.length() && latin1; i++) {
            latin1 = s.charAt(i) <= 0xFF;
        }
        byte[] bytes = latin1 ? s.getBytes(StandardCharsets.ISO_8859_1) : s.getBytes(StandardCharsets.UTF_16LE);
        int value = newByteArray(bytes);
        int str = newObject(stringClass);
        long a = ObjectLayout.address(str);
        memory.putInt(a + stringValueOffset, value);
        memory.putByte(a + stringCoderOffset, (byte) (latin1 ? 0 : 1));
        return str;
    }

    /** A new byte[] holding these bytes. */
    public int newByteArray(byte[] bytes) {
        int arr = newArray(byteArrayClass, bytes.length);
        long base = elementAddress(arr, 0, 0);
        for (int i = 0; i < bytes.length; i++) {
            memory.putByte(base + i, bytes[i]);
        }
        return arr;
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

    /** The text of a java.lang.String, or null for the null reference. */
    public String hostString(int str) {
        if (str == 0) {
            return null;
        }
        long a = ObjectLayout.address(str);
        int value = memory.getInt(a + stringValueOffset);
        byte coder = memory.getByte(a + stringCoderOffset);
        byte[] bytes = bytesOf(value, 0, arrayLength(value));
        return new String(bytes, coder == 0 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_16LE);
    }

    /** The interned String for this text (string literals and String.intern). */
    public int intern(String s) {
        Integer ref = interned.get(s);
        if (ref == null) {
            ref = newString(s);
            interned.put(s, ref);
        }
        return ref;
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

    /** The interned strings (roots for the collector). */
    public Map<String, Integer> internTable() {
        return interned;
    }
}
