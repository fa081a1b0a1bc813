package org.vheap.format;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;
import org.vheap.format.HeapClasses.HeapClass;
import org.vheap.format.HeapClasses.HeapField;

/**
 * A checkpoint's objects as a graph, read with no device: its roots from the VM state (and line 0's heap header), each
 * object's class, size and references from its header and {@link HeapClasses}, its bytes from {@link HeapLines}.
 * Only reachable objects are objects here: a line may still hold the bytes of dead ones, which a collector freed
 * without erasing, so nothing walks the lines in address order.
 *
 * <p>Every reference read is checked before it is followed: a reference outside the user heap's allocated extent, or
 * to bytes whose class id the class table lacks, or an array whose length runs past that extent, is counted as broken
 * ({@link Marking#brokenReferences}) and not followed, so a damaged heap is walked as far as it can be and never
 * makes the reader fail or allocate without bound.
 *
 * <p>Stack roots come from the VM state's {@link FrameMaps} (precise). A thread they do not map (a VM state taken
 * before they existed, or maps that do not fit its activations) has its slots read conservatively: a slot is a root
 * when it names a readable object ({@link #conservativeStacks}).
 */
public final class HeapGraph {
    /** A root: the object it names, its kind and what holds it (a class, a thread's frame and slot). */
    public record Root(int ref, String kind, String holder) {
    }

    private static final int[] NO_SLOTS = new int[0];
    private static final int TERMINATED = VmStateImage.THREAD_STATES.indexOf("TERMINATED");
    private final VmStateImage state;
    private final HeapClasses classes;
    private final HeapLines lines;
    private final long top;
    private final HeapClass classClass;
    private final FrameMaps frameMaps;
    private List<Root> roots;
    private boolean conservative;

    public HeapGraph(VmStateImage state, HeapClasses classes, HeapLines lines) {
        this.state = state;
        this.classes = classes;
        this.lines = lines;
        this.top = Math.min(state.top, Math.min(lines.limit(), ObjectLayout.USER_HEAP_LIMIT));
        this.classClass = classes.byName("java/lang/Class");
        this.frameMaps = FrameMaps.of(state);
    }

    public HeapClasses classes() {
        return classes;
    }

    public VmStateImage state() {
        return state;
    }

    /** The user heap's allocated extent: no object lies at or past it. */
    public long top() {
        return top;
    }

    /**
     * Whether some thread's stack roots were found conservatively: the VM state has no frame maps, or none that fit a
     * running thread's activations.
     */
    public boolean conservativeStacks() {
        roots();
        return conservative;
    }

    /** The frame maps of the VM state, or null when it has none. */
    public FrameMaps frameMaps() {
        return frameMaps;
    }

    // ---- objects ----

    /** The class of the object at {@code ref}, or null when {@code ref} names nothing readable as an object. */
    public HeapClass classOf(int ref) {
        long a = ObjectLayout.address(ref);
        if (ref == 0 || a + ObjectLayout.HEADER_BYTES > top || ObjectLayout.isNursery(ref)) {
            return null;
        }
        HeapClass c = classes.byId(lines.getInt(a + ObjectLayout.CLASS_ID_OFFSET));
        if (c == null || c.isArray() && a + ObjectLayout.ARRAY_BASE_OFFSET > top) {
            return null;
        }
        return sizeOf(ref, c) <= top - a ? c : null;
    }

    /** The bytes of the object at {@code ref}, of class {@code c}. */
    public long sizeOf(int ref, HeapClass c) {
        long a = ObjectLayout.address(ref);
        if (c.isArray()) {
            int length = lines.getInt(a + ObjectLayout.ARRAY_LENGTH_OFFSET);
            return length < 0 ? Long.MAX_VALUE : ObjectLayout.arrayBytes(length, c.elementShift());
        }
        if (c == classClass) {
            HeapClass of = classes.mirrorOf(ref);
            return of != null && of.mirrorBytes() > 0 ? of.mirrorBytes() : c.instanceBytes();
        }
        return c.instanceBytes();
    }

    /** An array's length (the object must be one). */
    public int arrayLength(int ref) {
        return lines.getInt(ObjectLayout.address(ref) + ObjectLayout.ARRAY_LENGTH_OFFSET);
    }

    /** The bytes of the {@code byte[]} at {@code ref}, or null when {@code ref} names no readable {@code byte[]}. */
    public byte[] byteArray(int ref) {
        HeapClass c = classOf(ref);
        if (c == null || !c.name().equals("[B")) {
            return null;
        }
        byte[] b = new byte[arrayLength(ref)];
        long base = ObjectLayout.address(ref) + ObjectLayout.ARRAY_BASE_OFFSET;
        for (int i = 0; i < b.length; i++) {
            b[i] = lines.getByte(base + i);
        }
        return b;
    }

    /** Calls {@code slots} with the address of each reference slot of the object at {@code ref}, of class {@code c}. */
    public void forEachSlot(int ref, HeapClass c, LongConsumer slots) {
        long a = ObjectLayout.address(ref);
        if (c.isArray()) {
            if (c.referenceArray()) {
                int n = arrayLength(ref);
                for (int i = 0; i < n; i++) {
                    slots.accept(a + ObjectLayout.ARRAY_BASE_OFFSET + 4L * i);
                }
            }
            return;
        }
        for (int off : c.referenceOffsets()) {
            slots.accept(a + off);
        }
        if (c == classClass) {
            HeapClass of = classes.mirrorOf(ref);
            for (int off : of == null ? NO_SLOTS : of.staticReferenceOffsets()) {
                slots.accept(a + off);
            }
        }
    }

    /** The reference held in a slot. */
    public int referenceAt(long slot) {
        return lines.getInt(slot);
    }

    public HeapLines lines() {
        return lines;
    }

    // ---- roots ----

    /** Every root, in a fixed order: the heap header's tables, classes, strings, the VM's own, threads. */
    public synchronized List<Root> roots() {
        if (roots == null) {
            roots = List.copyOf(findRoots());
        }
        return roots;
    }

    private List<Root> findRoots() {
        List<Root> found = new ArrayList<>();
        if (lines.limit() >= 64 && lines.getLong(0) == HeapHeaderFormat.MAGIC) {
            int version = lines.getInt(8);
            for (int off = HeapHeaderFormat.FIRST_TABLE; off <= HeapHeaderFormat.lastTable(version); off += 4) {
                add(found, lines.getInt(off), "heap header", "line 0, offset " + off);
            }
        }
        for (VmStateImage.ClassImage c : state.classes) {
            add(found, c.mirror(), "class", HeapClasses.javaName(c.name()));
            add(found, c.initError(), "initialization error", HeapClasses.javaName(c.name()));
        }
        for (var s : state.interned.entrySet()) {
            add(found, s.getValue(), "interned string", "\"" + abbreviate(s.getKey(), 40) + "\"");
        }
        add(found, state.outOfMemory, "vm", "preallocated OutOfMemoryError");
        for (VmStateImage.MonitorImage m : state.monitors) {
            add(found, m.object(), "monitor", "in use");
        }
        for (VmStateImage.ThreadImage t : state.threads) {
            String name = "thread " + t.id() + " '" + t.name() + "'";
            add(found, t.javaThread(), "thread", name + ": its Thread");
            if (t.state() == TERMINATED) {
                continue;   // the VM keeps no more of an ended thread (its other fields may name what was since freed)
            }
            add(found, t.pendingException(), "thread", name + ": pending exception");
            add(found, t.uncaught(), "thread", name + ": uncaught exception");
            add(found, t.monitorObject(), "thread", name + ": monitor waited on");
            List<FrameMaps.ActivationMap> maps = frameMaps == null ? null : frameMaps.thread(t.id());
            if (maps != null && maps.size() != t.activations().size()) {
                maps = null;   // maps that do not fit the thread's activations are no maps of it
            }
            conservative |= maps == null && !t.activations().isEmpty();
            for (int i = 0; i < t.activations().size(); i++) {
                VmStateImage.ActivationImage act = t.activations().get(i);
                String frame = name + ": " + HeapClasses.javaName(act.owner()) + "." + act.name()
                        + (maps != null && i < maps.size() && maps.get(i).line() >= 0 ? ":" + maps.get(i).line() : "");
                add(found, act.lockedMonitor(), "stack", frame + " (locked monitor)");
                if (maps != null) {
                    for (int slot : maps.get(i).referenceSlots()) {
                        if (slot >= 0 && slot < t.slots().length) {
                            add(found, (int) t.slots()[slot], "stack", frame + " slot " + (slot - act.bp()));
                        }
                    }
                } else {
                    int end = Math.min(act.sp(), t.slots().length);
                    for (int slot = Math.max(act.bp(), 0); slot < end; slot++) {
                        int v = (int) t.slots()[slot];
                        if (t.slots()[slot] == (v & 0xFFFFFFFFL) && classOf(v) != null) {
                            add(found, v, "stack (conservative)", frame + " slot " + (slot - act.bp()));
                        }
                    }
                }
            }
        }
        return found;
    }

    private static void add(List<Root> roots, int ref, String kind, String holder) {
        if (ref != 0) {
            roots.add(new Root(ref, kind, holder));
        }
    }

    static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    // ---- the walk ----

    /** What a walk of everything reachable found. */
    public static final class Marking {
        private final long[] marks;
        final long[] instances;
        final long[] bytes;
        long objects;
        long liveBytes;
        long brokenReferences;

        Marking(long top, int classes) {
            marks = new long[(int) ((top >>> ObjectLayout.GRANULE_SHIFT) + 63 >>> 6) + 1];
            instances = new long[classes + 1];
            bytes = new long[classes + 1];
        }

        /** Whether the object at {@code ref} is reachable. */
        public boolean isMarked(int ref) {
            int g = ref;
            return g > 0 && (g >>> 6) < marks.length && (marks[g >>> 6] & (1L << g)) != 0;
        }

        boolean mark(int ref) {
            long bit = 1L << ref;
            if ((marks[ref >>> 6] & bit) != 0) {
                return false;
            }
            marks[ref >>> 6] |= bit;
            return true;
        }

        /** The reachable objects' references, in address order (a new array: rank an object by binary search). */
        public int[] references() {
            int[] refs = new int[(int) objects];
            int[] k = {0};
            forEachMarked(ref -> refs[k[0]++] = ref);
            return refs;
        }

        /** Calls {@code action} with every reachable object, in address order. */
        public void forEachMarked(IntConsumer action) {
            for (int w = 0; w < marks.length; w++) {
                long word = marks[w];
                while (word != 0) {
                    int b = Long.numberOfTrailingZeros(word);
                    action.accept((w << 6) + b);
                    word &= word - 1;
                }
            }
        }

        public long objects() {
            return objects;
        }

        public long liveBytes() {
            return liveBytes;
        }

        /** References that name nothing readable as an object (0 in a sound heap). */
        public long brokenReferences() {
            return brokenReferences;
        }

        /** Reachable instances of class id {@code id}. */
        public long instances(int id) {
            return id < instances.length ? instances[id] : 0;
        }

        /** Their bytes. */
        public long bytes(int id) {
            return id < bytes.length ? bytes[id] : 0;
        }
    }

    /** Told how a walk goes: objects marked so far. */
    public interface Progress {
        void marked(long objects, long bytes);
    }

    /** Told of each reference that names nothing readable as an object. */
    public interface BrokenReferences {
        /**
         * @param root   the root that holds it, or null
         * @param holder the object that holds it (when {@code root} is null)
         * @param slot   where in {@code holder} it lies
         * @param value  the reference
         */
        void found(Root root, int holder, long slot, int value);
    }

    /** Marks everything reachable from the roots, breadth first. */
    public Marking mark(Progress progress) {
        return mark(progress, (root, holder, slot, value) -> { });
    }

    /** Marks everything reachable from the roots, breadth first, telling {@code broken} of each broken reference. */
    public Marking mark(Progress progress, BrokenReferences broken) {
        Marking m = new Marking(top, classes.maxId());
        IntQueue queue = new IntQueue();
        for (Root r : roots()) {
            if (!visit(m, queue, r.ref())) {
                broken.found(r, 0, 0, r.ref());
            }
        }
        while (!queue.isEmpty()) {
            int ref = queue.take();
            HeapClass c = classes.byId(lines.getInt(ObjectLayout.address(ref)));
            forEachSlot(ref, c, slot -> {
                int value = lines.getInt(slot);
                if (!visit(m, queue, value)) {
                    broken.found(null, ref, slot, value);
                }
            });
            if ((m.objects & 0xFFFF) == 0) {
                progress.marked(m.objects, m.liveBytes);
            }
        }
        progress.marked(m.objects, m.liveBytes);
        return m;
    }

    /** Marks {@code ref} and queues it if it is new; false when it names nothing readable as an object. */
    private boolean visit(Marking m, IntQueue queue, int ref) {
        if (ref == 0) {
            return true;
        }
        HeapClass c = classOf(ref);
        if (c == null) {
            m.brokenReferences++;
            return false;
        }
        if (m.mark(ref)) {
            long size = sizeOf(ref, c);
            m.objects++;
            m.liveBytes += size;
            m.instances[c.id()]++;
            m.bytes[c.id()] += size;
            queue.add(ref);
        }
        return true;
    }

    /**
     * The shortest chain from a root to the object at {@code target}: the root, then each object down to the target,
     * each with the field or element of the one before it that holds it. Empty when the object is unreachable.
     * {@code marking} is this graph's walk: the chain's bookkeeping is an int per reachable object.
     */
    public List<PathStep> pathTo(int target, Marking marking) {
        if (!marking.isMarked(target)) {
            return List.of();
        }
        int[] refs = marking.references();
        int[] parent = new int[refs.length];   // by rank: the parent's rank + 1, or -(root index + 1)
        IntQueue queue = new IntQueue();
        List<Root> all = roots();
        for (int i = 0; i < all.size(); i++) {
            int rank = all.get(i).ref() == 0 ? -1 : Arrays.binarySearch(refs, all.get(i).ref());
            if (rank >= 0 && parent[rank] == 0) {
                parent[rank] = -(i + 1);
                queue.add(rank);
            }
        }
        int goal = Arrays.binarySearch(refs, target);
        while (!queue.isEmpty() && parent[goal] == 0) {
            int rank = queue.take();
            int ref = refs[rank];
            forEachSlot(ref, classOf(ref), slot -> {
                int child = lines.getInt(slot);
                int c = child == 0 ? -1 : Arrays.binarySearch(refs, child);
                if (c >= 0 && parent[c] == 0) {
                    parent[c] = rank + 1;
                    queue.add(c);
                }
            });
        }
        if (parent[goal] == 0) {
            return List.of();
        }
        List<PathStep> steps = new ArrayList<>();
        int at = goal;
        while (parent[at] > 0) {
            int from = parent[at] - 1;
            steps.add(new PathStep(refs[at], classOf(refs[at]).javaName(), slotName(refs[from], refs[at]), null));
            at = from;
        }
        Root root = all.get(-parent[at] - 1);
        steps.add(new PathStep(refs[at], classOf(refs[at]).javaName(), null, root));
        java.util.Collections.reverse(steps);
        return List.copyOf(steps);
    }

    /** One object on a path: how its predecessor holds it ({@code via}: a field's name or {@code [i]}), or its root. */
    public record PathStep(int ref, String className, String via, Root root) {
    }

    /** The name of the field or element of {@code holder} that holds {@code ref} ({@link #fieldAt}), or "?". */
    public String slotName(int holder, int ref) {
        long[] found = {-1};
        forEachSlot(holder, classOf(holder), slot -> {
            if (found[0] < 0 && lines.getInt(slot) == ref) {
                found[0] = slot;
            }
        });
        return found[0] < 0 ? "?" : fieldAt(holder, found[0]);
    }

    /**
     * The name of the reference slot at address {@code slot} of the object at {@code holder}: a field's name, {@code [i]}
     * for an array's element, {@code static name} for a mirror's static, else {@code +offset}.
     */
    public String fieldAt(int holder, long slot) {
        HeapClass c = classOf(holder);
        long offset = slot - ObjectLayout.address(holder);
        if (c.isArray()) {
            return "[" + (offset - ObjectLayout.ARRAY_BASE_OFFSET) / 4 + "]";
        }
        for (HeapField f : c.fields()) {
            if (f.offset() == offset) {
                return f.name();
            }
        }
        HeapClass of = c == classClass ? classes.mirrorOf(holder) : null;
        for (HeapField f : of == null ? List.<HeapField>of() : of.statics()) {
            if (f.offset() == offset) {
                return "static " + f.name();
            }
        }
        return "+" + offset;
    }

    /** A growable queue of ints (the walk's frontier). */
    private static final class IntQueue {
        private int[] items = new int[1024];
        private int head;
        private int tail;

        void add(int v) {
            if (tail == items.length) {
                if (head > items.length / 2) {
                    System.arraycopy(items, head, items, 0, tail - head);
                    tail -= head;
                    head = 0;
                } else {
                    items = Arrays.copyOf(items, items.length * 2);
                }
            }
            items[tail++] = v;
        }

        int take() {
            return items[head++];
        }

        boolean isEmpty() {
            return head == tail;
        }
    }
}
