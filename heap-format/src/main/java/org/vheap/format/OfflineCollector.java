package org.vheap.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.vheap.format.HeapClasses.HeapClass;

/**
 * A collection of a checkpoint's heap with no device ({@code ./vheap gc}): from a {@link HeapGraph}'s walk of what the
 * roots reach, the lines and VM state of a new checkpoint that holds exactly those objects.
 *
 * <ul>
 * <li><b>Without compaction</b> the objects stay where they are, as after the device's own full collection: every
 *     line holding no reachable object is deleted, the gaps between reachable objects become the allocator's free
 *     space, the allocation pointer comes down to the end of the last one (line 0's copy of it too), and the bytes in
 *     use are the reachable bytes. No other line changes.</li>
 * <li><b>With compaction</b> the reachable objects move, in breadth-first order from the roots, to consecutive
 *     addresses from line 1 by the allocator's placement rules (an object no larger than a line within one line, a
 *     larger one from a line boundary; a small object fills an earlier hole those rules left, when one of the first
 *     few by address fits it), so that what is reached together shares lines. Every reference is rewritten:
 *     in the objects, in line 0's tables and in the VM state (class mirrors, interned strings, monitors, threads and
 *     their frames' reference slots, which the VM state's {@link FrameMaps} name). Identity hashes travel in the
 *     objects' status words. A VM state without frame maps cannot be compacted (its stack slots are not known
 *     precisely).</li>
 * </ul>
 * A heap with a broken reference is not collected at all: what it would free might be what the damage hides (the
 * server verifies a heap whole before collecting it: {@link HeapVerifier}).
 * The new VM state differs from the old only in the allocator's figures (and, compacted, in the references): the app
 * resumes from it exactly, its own counters unchanged.
 */
public final class OfflineCollector {
    /** Where the new checkpoint's lines go, in ascending line order. */
    public interface LineSink {
        void write(long lineId, byte[] data);

        void delete(long lineId);
    }

    /** What a collection did: the new VM state, and its figures. */
    public record Result(VmStateImage state, long objects, long liveBytes, long freedBytes, long movedObjects,
                         long linesWritten, long linesDeleted, long topBefore, long topAfter) {
    }

    private final HeapGraph graph;
    private final HeapGraph.Marking marking;
    private final HeapLines lines;
    private final int lineSize;
    private final int[] refs;
    private long written;
    private long deleted;

    private OfflineCollector(HeapGraph graph, HeapGraph.Marking marking, int lineSize) {
        this.graph = graph;
        this.marking = marking;
        this.lines = graph.lines();
        this.lineSize = lineSize;
        this.refs = marking.references();
    }

    /**
     * Collects the heap of {@code graph}, whose reachable objects {@code marking} found, giving the new checkpoint's
     * lines to {@code sink}: {@code presentLines} are the line ids the checkpoint holds (those to delete are among them).
     *
     * @throws IllegalStateException when the heap cannot be collected: it has broken references or no heap header, or
     *                               (to compact) its VM state has no frame maps
     */
    public static Result collect(HeapGraph graph, HeapGraph.Marking marking, int lineSize, BitSet presentLines,
                                 boolean compact, LineSink sink) {
        if (marking.brokenReferences() > 0) {
            throw new IllegalStateException("the heap is damaged (" + marking.brokenReferences() + " references name no"
                    + " object; ./vheap verify names them): collecting it could free what the damage hides");
        }
        if (graph.lines().limit() < lineSize || graph.lines().getLong(0) != HeapHeaderFormat.MAGIC) {
            throw new IllegalStateException("the heap has no heap header in line 0");
        }
        if (compact && graph.conservativeStacks()) {
            throw new IllegalStateException("the checkpoint's VM state has no frame maps that fit its threads (a device"
                    + " before them took it): its stack slots are not known precisely, so its objects cannot move;"
                    + " collect it without compacting");
        }
        OfflineCollector c = new OfflineCollector(graph, marking, lineSize);
        return compact ? c.compact(presentLines, sink) : c.sweep(presentLines, sink);
    }

    // ---- without compaction ----

    private Result sweep(BitSet present, LineSink sink) {
        BitSet live = new BitSet();
        List<long[]> free = new ArrayList<>();
        long end = lineSize;
        for (int ref : refs) {
            long a = ObjectLayout.address(ref);
            long size = graph.sizeOf(ref, graph.classOf(ref));
            if (a > end) {
                free.add(new long[] {end, a - end});
            }
            live.set((int) (a / lineSize), (int) ((a + size - 1) / lineSize) + 1);
            end = Math.max(end, a + size);
        }
        long top = end;
        byte[] line0 = line0(top, ref -> ref);
        sink.write(0, line0);
        written++;
        for (int l = present.nextSetBit(1); l >= 0; l = present.nextSetBit(l + 1)) {
            if (!live.get(l)) {
                sink.delete(l);
                deleted++;
            }
        }
        VmStateImage state = copy(graph.state());
        allocator(state, top, free);
        return result(state, 0);
    }

    // ---- with compaction ----

    private Result compact(BitSet present, LineSink sink) {
        int n = refs.length;
        int[] order = breadthFirst();
        int[] moved = new int[n];   // by rank: the new reference
        Gaps gaps = new Gaps();
        long at = lineSize;
        for (int rank : order) {
            int ref = refs[rank];
            long size = graph.sizeOf(ref, graph.classOf(ref));
            long placed = size <= lineSize ? gaps.take(size) : -1;
            if (placed < 0) {
                long inLine = at & (lineSize - 1);
                placed = size <= lineSize ? (inLine + size > lineSize ? at - inLine + lineSize : at)
                        : (inLine != 0 ? at - inLine + lineSize : at);
                gaps.add(at, placed);
                at = placed + size;
            }
            moved[rank] = ObjectLayout.ref(placed);
        }
        List<long[]> free = gaps.remaining();
        long top = at;
        java.util.function.IntUnaryOperator forward = ref -> {
            int i = ref == 0 ? -1 : Arrays.binarySearch(refs, ref);
            return i < 0 ? ref : moved[i];
        };
        sink.write(0, line0(top, forward));
        written++;
        // the objects, in their new address order, into consecutive lines
        long[] byAddress = new long[n];
        for (int rank = 0; rank < n; rank++) {
            byAddress[rank] = (long) moved[rank] << 32 | rank;
        }
        Arrays.sort(byAddress);
        long lastLine = (top - 1) / lineSize;
        ByteBuffer line = newLine();
        long current = 1;
        long movedObjects = 0;
        for (long key : byAddress) {
            int rank = (int) key;
            int ref = refs[rank];
            HeapClass c = graph.classOf(ref);
            long size = graph.sizeOf(ref, c);
            if (size > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("an object of " + size + " bytes at " + HeapObjects.address(ref)
                        + " is too large to move");
            }
            long from = ObjectLayout.address(ref);
            ByteBuffer object = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
            for (long off = 0; off < size; off += 8) {
                object.putLong((int) off, lines.getLong(from + off));
            }
            graph.forEachSlot(ref, c, slot -> object.putInt((int) (slot - from), forward.applyAsInt(lines.getInt(slot))));
            long to = ObjectLayout.address(moved[rank]);
            movedObjects += to != from ? 1 : 0;
            for (long off = 0; off < size; ) {
                long pos = to + off;
                while (current < pos / lineSize) {
                    emit(sink, current++, line);
                    line = newLine();
                }
                int inLine = (int) (pos % lineSize);
                int chunk = (int) Math.min(size - off, lineSize - inLine);
                line.put(inLine, object.array(), (int) off, chunk);
                off += chunk;
            }
        }
        if (n > 0) {
            emit(sink, current, line);
        }
        for (int l = present.nextSetBit((int) lastLine + 1); l >= 0; l = present.nextSetBit(l + 1)) {
            sink.delete(l);
            deleted++;
        }
        VmStateImage state = forwarded(copy(graph.state()), forward);
        allocator(state, top, free);
        return result(state, movedObjects);
    }

    /**
     * The holes compaction leaves before objects it must start on a new line (a small one that would straddle one, a
     * large one that must start on a boundary), which later small objects fill: first fit by address among the first
     * {@link #SCANNED} holes, so that a heap of objects just over a line (an array of 512 longs is 4,112 bytes) does not
     * waste most of a line after each. A hole smaller than {@link #KEPT} bytes that a scan passes is given up (it stays
     * free space), so small leftovers never stop the scan short of the holes that fit.
     */
    private static final class Gaps {
        static final int SCANNED = 64;
        static final int KEPT = 32;
        private final java.util.TreeMap<Long, Long> open = new java.util.TreeMap<>();
        private final List<long[]> closed = new ArrayList<>();

        void add(long from, long to) {
            if (to - from >= ObjectLayout.GRANULE) {
                open.put(from, to);
            }
        }

        /** Where a hole fits {@code size} bytes (taking them), or -1. */
        long take(long size) {
            int scanned = 0;
            java.util.Iterator<Map.Entry<Long, Long>> holes = open.entrySet().iterator();
            while (holes.hasNext() && scanned++ < SCANNED) {
                Map.Entry<Long, Long> g = holes.next();
                long at = g.getKey();
                long end = g.getValue();
                if (end - at >= size) {
                    holes.remove();
                    if (end - (at + size) >= ObjectLayout.GRANULE) {
                        open.put(at + size, end);
                    }
                    return at;
                }
                if (end - at < KEPT) {
                    holes.remove();
                    closed.add(new long[] {at, end});
                }
            }
            return -1;
        }

        /** The holes left, in address order, as (address, bytes): the allocator's free space. */
        List<long[]> remaining() {
            List<long[]> all = new ArrayList<>(closed);
            open.forEach((from, to) -> all.add(new long[] {from, to}));
            all.sort((a, b) -> Long.compare(a[0], b[0]));
            List<long[]> ranges = new ArrayList<>();
            for (long[] g : all) {
                ranges.add(new long[] {g[0], g[1] - g[0]});
            }
            return ranges;
        }
    }

    /** The reachable objects' ranks in breadth-first order from the roots. */
    private int[] breadthFirst() {
        int n = refs.length;
        int[] order = new int[n];
        BitSet seen = new BitSet(n);
        int tail = 0;
        for (HeapGraph.Root r : graph.roots()) {
            int i = r.ref() == 0 ? -1 : Arrays.binarySearch(refs, r.ref());
            if (i >= 0 && !seen.get(i)) {
                seen.set(i);
                order[tail++] = i;
            }
        }
        for (int head = 0; head < tail; head++) {
            int ref = refs[order[head]];
            int[] t = {tail};
            graph.forEachSlot(ref, graph.classOf(ref), slot -> {
                int v = lines.getInt(slot);
                int i = v == 0 ? -1 : Arrays.binarySearch(refs, v);
                if (i >= 0 && !seen.get(i)) {
                    seen.set(i);
                    order[t[0]++] = i;
                }
            });
            tail = t[0];
        }
        if (tail != n) {
            throw new IllegalStateException("the walk reached " + n + " objects, breadth first " + tail);
        }
        return order;
    }

    private ByteBuffer newLine() {
        return ByteBuffer.allocate(lineSize).order(ByteOrder.LITTLE_ENDIAN);
    }

    private void emit(LineSink sink, long lineId, ByteBuffer line) {
        sink.write(lineId, line.array());
        written++;
    }

    // ---- line 0 and the VM state ----

    /** Line 0 with the allocation pointer {@code top} and its tables' references forwarded. */
    private byte[] line0(long top, java.util.function.IntUnaryOperator forward) {
        ByteBuffer b = newLine();
        for (int off = 0; off < lineSize; off += 8) {
            b.putLong(off, lines.getLong(off));
        }
        b.putLong(HeapHeaderFormat.TOP, top);
        int version = b.getInt(8);
        for (int off = HeapHeaderFormat.FIRST_TABLE; off <= HeapHeaderFormat.lastTable(version); off += 4) {
            b.putInt(off, forward.applyAsInt(b.getInt(off)));
        }
        return b.array();
    }

    private static VmStateImage copy(VmStateImage s) {
        return VmStateImage.decode(s.encode(), VmStateImage.ANY_PREPARER);
    }

    private void allocator(VmStateImage state, long top, List<long[]> free) {
        long[] ranges = new long[2 * free.size()];
        for (int i = 0; i < free.size(); i++) {
            ranges[2 * i] = free.get(i)[0];
            ranges[2 * i + 1] = free.get(i)[1];
        }
        state.top = top;
        state.freeRanges = ranges;
        state.bytesInUse = marking.liveBytes();
        state.bytesSinceCollection = 0;
        state.liveAfterLastCollection = marking.liveBytes();
    }

    /** {@code s} with every reference it holds forwarded: classes, interned strings, monitors, threads and frames. */
    private VmStateImage forwarded(VmStateImage s, java.util.function.IntUnaryOperator f) {
        List<VmStateImage.ClassImage> classes = new ArrayList<>();
        for (VmStateImage.ClassImage c : s.classes) {
            classes.add(new VmStateImage.ClassImage(c.id(), c.name(), c.sha256(), c.module(), c.bootstrap(), c.hidden(),
                    c.primitive(), f.applyAsInt(c.mirror()), c.mirrorBytes(), c.initState(), f.applyAsInt(c.initError())));
        }
        s.classes.clear();
        s.classes.addAll(classes);
        for (Map.Entry<String, Integer> e : s.interned.entrySet()) {
            e.setValue(f.applyAsInt(e.getValue()));
        }
        s.outOfMemory = f.applyAsInt(s.outOfMemory);
        List<VmStateImage.MonitorImage> monitors = new ArrayList<>();
        for (VmStateImage.MonitorImage m : s.monitors) {
            monitors.add(new VmStateImage.MonitorImage(f.applyAsInt(m.object()), m.owner(), m.count(), m.entrants(),
                    m.waiters()));
        }
        s.monitors.clear();
        s.monitors.addAll(monitors);
        FrameMaps maps = graph.frameMaps();
        List<VmStateImage.ThreadImage> threads = new ArrayList<>();
        for (VmStateImage.ThreadImage t : s.threads) {
            long[] slots = t.slots().clone();
            List<FrameMaps.ActivationMap> frames = maps.thread(t.id());
            List<VmStateImage.ActivationImage> activations = new ArrayList<>();
            for (int i = 0; i < t.activations().size(); i++) {
                VmStateImage.ActivationImage a = t.activations().get(i);
                activations.add(new VmStateImage.ActivationImage(a.owner(), a.name(), a.descriptor(), a.pc(), a.sp(),
                        a.bp(), f.applyAsInt(a.lockedMonitor()), a.onReturn(), a.afterCall(), a.clinitOf()));
                for (int slot : frames == null || i >= frames.size() ? new int[0] : frames.get(i).referenceSlots()) {
                    if (slot >= 0 && slot < slots.length) {   // as the walk read them (HeapGraph#roots)
                        slots[slot] = f.applyAsInt((int) slots[slot]);
                    }
                }
            }
            threads.add(new VmStateImage.ThreadImage(t.id(), t.name(), f.applyAsInt(t.javaThread()), t.state(),
                    t.wakeAt(), f.applyAsInt(t.monitorObject()), t.savedMonitorCount(), t.blockedIn(), t.notified(),
                    f.applyAsInt(t.pendingException()), f.applyAsInt(t.uncaught()), t.diedOfException(), t.permit(),
                    t.daemon(), t.exitPhase(), slots, activations));
        }
        s.threads.clear();
        s.threads.addAll(threads);
        return s;
    }

    private Result result(VmStateImage state, long movedObjects) {
        return new Result(state, marking.objects(), marking.liveBytes(), Math.max(0, graph.state().bytesInUse - marking.liveBytes()),
                movedObjects, written, deleted, graph.state().top, state.top);
    }
}
