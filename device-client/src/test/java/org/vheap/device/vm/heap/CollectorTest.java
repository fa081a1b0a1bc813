package org.vheap.device.vm.heap;

import org.vheap.format.ObjectLayout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vheap.device.store.MemoryHeapStore;
import org.vheap.server.testing.TestHeaps;

/**
 * The user heap's collector: working sets collected a group at a time (what they free and keep, what they fault), the
 * young lines, and full collections, over a paged heap on an in-memory store, and randomized model checks of them.
 */
class CollectorTest {
    private final MemoryHeapStore store = new MemoryHeapStore();

    /** A chain of {@code n} new nodes valued {@code first} on, linked through field 0; the head is returned. */
    private static int chain(TestObjectHeap h, int n, long first) {
        int head = 0;
        for (int i = n - 1; i >= 0; i--) {
            int node = h.node(first + i);
            h.set(node, 0, head);
            head = node;
        }
        return head;
    }

    private static List<Long> values(TestObjectHeap h, int head) {
        List<Long> out = new ArrayList<>();
        for (int n = head; n != 0; n = h.get(n, 0)) {
            out.add(h.value(n));
        }
        return out;
    }

    @Test
    void aGroupFreesWhatDiedInItAndKeepsWhatAnOldObjectNames() {
        try (TestObjectHeap h = new TestObjectHeap(store, TestHeaps.app("ws-frees"), 64, 4)) {
            int old = h.allocate(TestObjectHeap.FAN);
            h.roots.add(old);
            h.collector.collect(h.rootVisitor());   // the fan is old now: its working set has nothing new
            chain(h, 100, 0);                        // garbage, three working sets of it
            int live = chain(h, 20, 1000);
            h.set(old, 0, live);                     // named only from the old fan: its remembered set has the slot
            long inUse = h.allocator.bytesInUse();

            h.verifyRemembered();
            assertThat(h.collector.workingSetsCollectable()).isTrue();
            Collector.Result r = h.collector.collectWorkingSets(h.rootVisitor());

            assertThat(r.workingSets()).as("working sets collected together").isBetween(1, Collector.MAX_GROUP);
            assertThat(r.freedBytes()).as("freed").isEqualTo(100 * TestObjectHeap.NODE_BYTES);
            assertThat(h.allocator.bytesInUse()).isEqualTo(inUse - 100 * TestObjectHeap.NODE_BYTES);
            assertThat(values(h, h.get(old, 0))).hasSize(20).startsWith(1000L).endsWith(1019L);
            h.verifyRemembered();
            Collector.Result full = h.collector.collect(h.rootVisitor());
            assertThat(full.freedBytes()).as("a full collection finds nothing the group left").isZero();
        }
    }

    @Test
    void aDeadOldObjectKeepsWhatItNamesUntilAFullCollection() {
        try (TestObjectHeap h = new TestObjectHeap(store, TestHeaps.app("ws-conservative"), 64, 4)) {
            int old = h.allocate(TestObjectHeap.FAN);
            h.roots.add(old);
            h.collector.collect(h.rootVisitor());
            h.set(old, 3, chain(h, 200, 0));
            h.roots.clear();   // the fan dies; its working set is not in the group, so its slot is still a root

            Collector.Result partial = h.collector.collectWorkingSets(h.rootVisitor());
            assertThat(partial.freedBytes()).as("the working sets' collection keeps the chain").isZero();
            Collector.Result full = h.collector.collect(h.rootVisitor());
            assertThat(full.liveBytes()).as("a full collection frees it all").isZero();
            assertThat(h.allocator.top()).as("the allocation pointer back at the start").isEqualTo(TestObjectHeap.LINE);
        }
    }

    /**
     * A group reads its remembered slots and its live objects; a full collection reads the whole live heap, its lines
     * brought in by batches (a store read for many) as marking reaches them.
     */
    @Test
    void aGroupFaultsAtMostItsLinesAndItsRememberedLinesWhereAFullCollectionReadsTheLiveHeap() {
        try (TestObjectHeap h = new TestObjectHeap(store, TestHeaps.app("ws-faults"), 32, 4)) {
            int root = h.allocate(TestObjectHeap.FAN);   // three levels of fans: 1,057 of them, 560 lines
            for (int i = 0; i < TestObjectHeap.FAN_SLOTS; i++) {
                int fan = h.allocate(TestObjectHeap.FAN);
                h.set(root, i, fan);
                for (int j = 0; j < TestObjectHeap.FAN_SLOTS; j++) {
                    h.set(fan, j, h.allocate(TestObjectHeap.FAN));
                }
            }
            h.roots.add(root);
            h.collector.collect(h.rootVisitor());
            long liveLines = h.allocator.top() / TestObjectHeap.LINE;
            int leaf = h.get(h.get(root, 7), 9);
            int garbage = 0;   // fans, too large for the holes the tree left: side by side at the top, three working sets
            for (int i = 0; i < 12; i++) {
                int fan = h.allocate(TestObjectHeap.FAN);
                h.set(fan, 0, garbage);
                garbage = fan;
            }
            h.set(leaf, 0, chain(h, 10, 20_000));      // new objects an old leaf names

            Collector.Result r = h.collector.collectWorkingSets(h.rootVisitor());
            long faulted = h.memory.collectionLinesFaulted();
            long bound = r.workingSets() * 4L + r.rememberedLines();
            assertThat(faulted).as("lines the group's collection faulted in").isLessThanOrEqualTo(bound);
            assertThat(faulted).as("far fewer than the live heap's lines").isLessThan(liveLines / 10);
            assertThat(r.freedBytes()).as("freed by %s", r).isEqualTo(12 * TestObjectHeap.FAN_BYTES);

            long readsBefore = h.memory.stats().fetchTransactions();
            h.collector.collect(h.rootVisitor());
            long fullFaulted = h.memory.collectionLinesFaulted();
            assertThat(fullFaulted).as("a full collection faults the live heap in").isGreaterThan(liveLines / 2);
            assertThat(h.memory.stats().fetchTransactions() - readsBefore).as("store reads of the full collection's marking,"
                    + " which brings waiting objects' lines in by batches").isLessThan(fullFaulted / 4);
            assertThat(values(h, h.get(leaf, 0))).hasSize(10).endsWith(20_009L);
        }
    }

    /** The distinct lines a chain's nodes lie on. */
    private static long linesOf(TestObjectHeap h, int head) {
        Set<Long> lines = new HashSet<>();
        for (int n = head; n != 0; n = h.get(n, 0)) {
            lines.add(ObjectLayout.address(n) / TestObjectHeap.LINE);
        }
        return lines.size();
    }

    /** Lines faulted in walking a chain (the cache holds a tenth of what the chain spans, so each walk faults anew). */
    private static long walkFaults(TestObjectHeap h, int head) {
        long before = h.memory.linesFaulted();
        assertThat(values(h, head)).hasSize(500);
        return h.memory.linesFaulted() - before;
    }

    /**
     * 4,000 nodes valued 0..3999, ten to a line, of which one in eight survives: chained in order through reference 0
     * (values 0, 8, 16, ...). Returns the chain's head; nothing roots it yet.
     */
    private static int sparseChain(TestObjectHeap h) {
        int head = 0;
        int tail = 0;
        for (int i = 0; i < 4000; i++) {
            int node = h.node(i);
            if (i % 8 == 0) {
                if (tail == 0) {
                    head = node;
                } else {
                    h.set(tail, 0, node);
                }
                tail = node;
            }
        }
        return head;
    }

    /** The node {@code n} links after {@code node} along reference 0. */
    private static int nth(TestObjectHeap h, int node, int n) {
        for (int i = 0; i < n; i++) {
            node = h.get(node, 0);
        }
        return node;
    }

    /**
     * Compaction: survivors one in eight of what was allocated, spread over 400 lines, move together into a few dense
     * lines in the order marking meets them (a chain's nodes side by side), so walking them faults a fraction of the
     * lines it did; the roots and every reference follow them, identity hashes stay, a pinned object stays put, and
     * the lines emptied are freed.
     */
    @Test
    void compactionGathersSparseSurvivorsSoWalkingThemFaultsFewerLines() {
        try (TestObjectHeap h = new TestObjectHeap(store, TestHeaps.app("compact"), 32, 0)) {
            int head = sparseChain(h);
            int pinned = nth(h, head, 100);
            h.hash(pinned, 0xABCDE);
            h.roots.add(head);
            h.pinned.add(pinned);
            long readsFirst = h.memory.stats().fetchTransactions();
            Collector.Result first = h.collectAndCompact();
            readsFirst = h.memory.stats().fetchTransactions() - readsFirst;
            assertThat(first.movedBytes()).as("the first full collection knows no sparse lines yet").isZero();
            long linesBefore = linesOf(h, h.roots.get(0));
            long faultsBefore = walkFaults(h, h.roots.get(0));
            long inUse = h.allocator.bytesInUse();

            long readsBefore = h.memory.stats().fetchTransactions();
            Collector.Result r = h.collectAndCompact();
            assertThat(h.memory.stats().fetchTransactions() - readsBefore).as("store reads of the compacting collection"
                    + " (%d of the one before, which moved nothing): it moves objects on lines not in memory when marking"
                    + " brings them in, and fixes the slots naming them up by batches", readsFirst).isLessThan(readsFirst * 5 / 4);

            int moved = h.roots.get(0);
            assertThat(moved).as("the root follows the head of the chain").isNotEqualTo(head);
            assertThat(r.movedBytes()).as("moved: all but the pinned node and the last, on the line still being allocated"
                    + " into").isEqualTo(498 * TestObjectHeap.NODE_BYTES);
            assertThat(r.liveBytes()).isEqualTo(inUse);
            assertThat(values(h, moved)).as("the chain's values in order").hasSize(500).startsWith(0L, 8L, 16L).endsWith(3992L);
            int at = nth(h, moved, 100);
            assertThat(at).as("the pinned node, still where it was, named by the chain").isEqualTo(pinned);
            assertThat(h.hash(at)).as("its identity hash").isEqualTo(0xABCDE);
            long linesAfter = linesOf(h, moved);
            assertThat(linesAfter).as("lines holding the chain, %d before", linesBefore).isLessThan(linesBefore / 5);
            // 79 before, 16 after (14 before eviction took the lines a walk passed first: its read-ahead windows restart
            // a little more often on the compacted chain, 52 lines in 32 frames)
            assertThat(walkFaults(h, moved)).as("lines faulted walking it, %d before", faultsBefore).isLessThan(faultsBefore / 4);
            assertThat(h.collector.collect(h.rootVisitor()).liveBytes()).as("nothing lost nor kept twice").isEqualTo(inUse);
        }
    }

    /**
     * The defect: a resumed VM's first full collection moved nothing (its collector knew no earlier sweep), so a heap
     * resumed after its survivors died scattered paged them sparse until a second full collection. It now goes by the
     * free space the checkpoint saved: the same sparse chain as above, swept once by the VM that checkpointed it, is
     * compacted by the resumed VM's first collection, and nothing is lost.
     */
    @Test
    void aResumedHeapsFirstFullCollectionCompactsByTheFreeSpaceItsCheckpointSaved() {
        try (TestObjectHeap h = new TestObjectHeap(store, TestHeaps.app("compact-resumed"), 32, 0)) {
            int head = sparseChain(h);
            h.roots.add(head);
            h.collector.collect(h.rootVisitor());   // before the checkpoint: the free space it saves
            long linesBefore = linesOf(h, head);
            long inUse = h.allocator.bytesInUse();

            Collector.Result r = h.collectAndCompactAsResumed();
            assertThat(r.movedBytes()).as("moved: all but the last node, on the line still being allocated into")
                    .isEqualTo(499 * TestObjectHeap.NODE_BYTES);
            assertThat(r.liveBytes()).isEqualTo(inUse);
            int moved = h.roots.get(0);
            assertThat(moved).as("the root follows the head of the chain").isNotEqualTo(head);
            assertThat(values(h, moved)).as("the chain's values in order").hasSize(500).startsWith(0L, 8L, 16L).endsWith(3992L);
            assertThat(linesOf(h, moved)).as("lines holding the chain, %d before", linesBefore).isLessThan(linesBefore / 5);
        }
    }

    /**
     * Random graphs of nodes and fans mutated through the write barrier, collected at random (a group of working sets,
     * the whole heap, or the whole heap compacted), memory a tenth of the live heap: after every collection, everything
     * reachable in a host-side model is reachable in the heap with the same values, identity hashes and references
     * (followed to wherever compaction moved it); pinned objects never move; the barrier's remembered sets are
     * verified before every working sets' collection; a last full collection leaves exactly the model's reachable
     * bytes.
     */
    @Test
    void randomGraphsMatchAHostModelAfterEveryCollection() {
        long moved = 0;
        for (long seed = 1; seed <= 3; seed++) {
            try (TestObjectHeap h = new TestObjectHeap(store, TestHeaps.app("ws-model-" + seed), 24, 2)) {
                moved += new GraphModel(h, new Random(seed), false).run(30_000);
            }
        }
        assertThat(moved).as("bytes compacting collections moved").isPositive();
    }

    /**
     * The same model check with young lines instead of working sets: young collections (the barrier's remembered set
     * verified before each), full and compacting ones at random; objects allocated as the minor collection's
     * promotions (into young lines, refilling the lines collections freed) or as ordinary allocations (into free
     * chunks of old and young lines too).
     */
    @Test
    void randomGraphsMatchAHostModelWithYoungCollections() {
        for (long seed = 1; seed <= 3; seed++) {
            try (TestObjectHeap h = new TestObjectHeap(store, TestHeaps.app("young-model-" + seed), 24, 0)) {
                h.allocator.enableYoungCollections(4 * TestObjectHeap.LINE);
                new GraphModel(h, new Random(seed), true).run(30_000);
            }
        }
    }

    @Test
    void aYoungCollectionFreesWhatDiedYoungWithoutWritingItAndKeepsWhatAnOldObjectNames() {
        try (TestObjectHeap h = new TestObjectHeap(store, TestHeaps.app("young-frees"), 64, 0)) {
            h.allocator.enableYoungCollections(8 * TestObjectHeap.LINE);
            int old = h.allocate(TestObjectHeap.FAN);
            h.roots.add(old);
            h.collector.collect(h.rootVisitor());   // the fan is old now
            chain(h, 5, 9000);                       // old garbage: the rest of the fan's line, which promotions leave
            long flushedBefore = h.memory.stats().linesFlushed();
            long discardedBefore = h.memory.stats().linesDiscarded();
            h.promoting = true;
            chain(h, 100, 0);                        // garbage in ten young lines
            int live = chain(h, 20, 1000);
            h.promoting = false;
            h.set(old, 0, live);                     // named only from the old fan: the young lines remember the slot
            long inUse = h.allocator.bytesInUse();

            h.verifyRemembered();
            assertThat(h.allocator.youngLines().due()).isTrue();
            Collector.Result r = h.collector.collectYoung(h.rootVisitor());

            assertThat(r.freedBytes()).as("freed").isEqualTo(100 * TestObjectHeap.NODE_BYTES);
            assertThat(h.allocator.bytesInUse()).isEqualTo(inUse - 100 * TestObjectHeap.NODE_BYTES);
            assertThat(values(h, h.get(old, 0))).hasSize(20).startsWith(1000L).endsWith(1019L);
            assertThat(h.memory.stats().linesFlushed()).as("lines written").isEqualTo(flushedBefore);
            assertThat(h.memory.stats().linesDiscarded() - discardedBefore).as("whole lines dropped").isGreaterThanOrEqualTo(8);
            h.verifyRemembered();
            long faulted = h.memory.linesFaulted();
            h.promoting = true;
            chain(h, 80, 2000);                      // into the lines the young collection freed, still in memory
            h.promoting = false;
            assertThat(h.memory.linesFaulted()).as("lines faulted reusing them").isEqualTo(faulted);
            Collector.Result full = h.collector.collect(h.rootVisitor());
            assertThat(full.freedBytes()).as("a full collection finds only the new garbage and the old")
                    .isEqualTo((80 + 5) * TestObjectHeap.NODE_BYTES);
        }
    }

    /** An object of the randomized model: where it lies in the heap now, and what it holds. */
    private static final class Obj {
        int ref;
        final long value;
        final int hash;
        final Obj[] fields;

        Obj(int ref, long value, int hash, int slots) {
            this.ref = ref;
            this.value = value;
            this.hash = hash;
            this.fields = new Obj[slots];
        }
    }

    /** The randomized model check's host side: the objects' graph, found in the heap anew after every collection. */
    private static final class GraphModel {
        final TestObjectHeap h;
        final Random random;
        /** The model's roots, index by index those of the heap; pinned ones likewise. */
        final Obj[] roots = new Obj[16];
        final List<Obj> pins = new ArrayList<>();
        final List<Integer> pinnedAt = new ArrayList<>();
        int partials;
        int fulls;
        long moved;

        /** Young collections are the partial ones (else working sets'). */
        final boolean young;

        GraphModel(TestObjectHeap h, Random random, boolean young) {
            this.h = h;
            this.random = random;
            this.young = young;
        }

        /** Runs {@code steps} random steps; answers the bytes compacting collections moved. */
        long run(int steps) {
            for (int i = 0; i < roots.length; i++) {
                h.roots.add(0);
            }
            int compacting = 0;
            for (int step = 0; step < steps; step++) {
                List<Obj> reachable = new ArrayList<>(reachable());
                int op = random.nextInt(100);
                if (op < 45 || reachable.isEmpty()) {
                    boolean fan = random.nextInt(8) == 0;
                    h.promoting = young && random.nextInt(4) != 0;
                    int ref = fan ? h.allocate(TestObjectHeap.FAN) : h.node(random.nextLong());
                    h.promoting = false;
                    int hash = random.nextInt(4) == 0 ? 1 + random.nextInt(0xFF_FFFF) : 0;
                    if (hash != 0) {
                        h.hash(ref, hash);
                    }
                    Obj obj = new Obj(ref, fan ? 0 : h.value(ref), hash, fan ? TestObjectHeap.FAN_SLOTS : 2);
                    if (reachable.isEmpty() || random.nextInt(3) == 0) {
                        int i = random.nextInt(roots.length);
                        roots[i] = obj;
                        h.roots.set(i, ref);
                    } else if (random.nextInt(50) == 0) {
                        pins.add(obj);
                        pinnedAt.add(ref);
                        h.pinned.add(ref);
                    } else {
                        store(reachable.get(random.nextInt(reachable.size())), obj);
                    }
                } else if (op < 85) {
                    Obj to = random.nextInt(4) == 0 ? null : reachable.get(random.nextInt(reachable.size()));
                    store(reachable.get(random.nextInt(reachable.size())), to);
                } else if (op < 92) {
                    int i = random.nextInt(roots.length);
                    roots[i] = null;
                    h.roots.set(i, 0);
                } else if (op < 98 && young) {
                    h.verifyRemembered();
                    h.collector.collectYoung(h.rootVisitor());
                    partials++;
                    check();
                } else if (op < 98 && h.collector.workingSetsCollectable()) {
                    h.verifyRemembered();
                    h.collector.collectWorkingSets(h.rootVisitor());
                    partials++;
                    check();
                } else if (random.nextBoolean()) {
                    moved += h.collectAndCompact().movedBytes();
                    compacting++;
                    check();
                } else {
                    h.collector.collect(h.rootVisitor());
                    fulls++;
                    check();
                }
            }
            h.collectAndCompact();
            check();
            long bytes = reachable().stream().mapToLong(o -> o.fields.length == 2 ? TestObjectHeap.NODE_BYTES
                    : TestObjectHeap.FAN_BYTES).sum();
            assertThat(h.allocator.bytesInUse()).as("after a full collection: exactly the reachable bytes").isEqualTo(bytes);
            assertThat(partials).as(young ? "young collections" : "working sets' collections").isGreaterThan(50);
            assertThat(fulls).as("full collections").isGreaterThan(0);
            assertThat(compacting).as("compacting collections").isGreaterThan(0);
            return moved;
        }

        void store(Obj holder, Obj to) {
            int i = random.nextInt(holder.fields.length);
            holder.fields[i] = to;
            h.set(holder.ref, i, to == null ? 0 : to.ref);
        }

        List<Obj> reachable() {
            Set<Obj> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            List<Obj> order = new ArrayList<>();
            List<Obj> stack = new ArrayList<>(pins);
            for (Obj r : roots) {
                if (r != null) {
                    stack.add(r);
                }
            }
            while (!stack.isEmpty()) {
                Obj o = stack.remove(stack.size() - 1);
                if (seen.add(o)) {
                    order.add(o);
                    for (Obj to : o.fields) {
                        if (to != null) {
                            stack.add(to);
                        }
                    }
                }
            }
            return order;
        }

        /**
         * Finds the model's objects in the heap from the roots (where a compacting collection may have moved them)
         * and checks each: one heap object per model object, its class, value, identity hash and references.
         */
        void check() {
            Map<Integer, Obj> byRef = new HashMap<>();
            Map<Obj, Integer> found = new java.util.IdentityHashMap<>();
            List<Obj> stack = new ArrayList<>();
            for (int i = 0; i < pins.size(); i++) {
                assertThat(h.pinned.get(i)).as("pinned root %d never moves", i).isEqualTo(pinnedAt.get(i));
                find(pins.get(i), pinnedAt.get(i), found, stack, "pinned root " + i);
            }
            for (int i = 0; i < roots.length; i++) {
                if (roots[i] != null) {
                    find(roots[i], h.roots.get(i), found, stack, "root " + i);
                }
            }
            while (!stack.isEmpty()) {
                Obj o = stack.remove(stack.size() - 1);
                o.ref = found.get(o);
                assertThat(byRef.putIfAbsent(o.ref, o)).as("one model object for heap object 0x%x", o.ref).isNull();
                int classId = h.classOf(o.ref);
                assertThat(classId).as("class of 0x%x", o.ref).isEqualTo(o.fields.length == 2 ? TestObjectHeap.NODE : TestObjectHeap.FAN);
                if (classId == TestObjectHeap.NODE) {
                    assertThat(h.value(o.ref)).as("value of 0x%x", o.ref).isEqualTo(o.value);
                }
                assertThat(h.hash(o.ref)).as("identity hash of 0x%x", o.ref).isEqualTo(o.hash);
                for (int i = 0; i < o.fields.length; i++) {
                    int ref = h.get(o.ref, i);
                    assertThat(ref == 0).as("field %d of 0x%x is null", i, o.ref).isEqualTo(o.fields[i] == null);
                    if (o.fields[i] != null) {
                        find(o.fields[i], ref, found, stack, "field " + i + " of 0x" + Integer.toHexString(o.ref));
                    }
                }
            }
        }

        /** {@code where} names {@code o} as {@code ref}: the first name found for it, or the same again. */
        private static void find(Obj o, int ref, Map<Obj, Integer> found, List<Obj> stack, String where) {
            Integer before = found.putIfAbsent(o, ref);
            if (before == null) {
                stack.add(o);
            } else {
                assertThat(ref).as("%s names the object found as 0x%x", where, before).isEqualTo(before);
            }
        }
    }
}
