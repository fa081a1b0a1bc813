package org.vheap.device.vm.heap;

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
 * The user heap's collector: working sets collected a group at a time (what they free and keep, what they fault) and
 * full collections, over a paged heap on an in-memory store, and a randomized model check of both.
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

    /**
     * Random graphs of nodes and fans mutated through the write barrier, collected at random (a group of working sets
     * or the whole heap), memory a tenth of the live heap: after every collection, everything reachable in a host-side
     * model is reachable in the heap with the same values and references; the barrier's remembered sets are verified
     * before every working sets' collection; a last full collection leaves exactly the model's reachable bytes.
     */
    @Test
    void randomGraphsMatchAHostModelAfterEveryCollection() {
        for (long seed = 1; seed <= 3; seed++) {
            try (TestObjectHeap h = new TestObjectHeap(store, TestHeaps.app("ws-model-" + seed), 24, 2)) {
                new GraphModel(h, new Random(seed)).run(30_000);
            }
        }
    }

    /** The randomized model check's host side: each object's references and value by its reference. */
    private static final class GraphModel {
        final TestObjectHeap h;
        final Random random;
        final Map<Integer, int[]> edges = new HashMap<>();
        final Map<Integer, Long> values = new HashMap<>();
        int partials;
        int fulls;

        GraphModel(TestObjectHeap h, Random random) {
            this.h = h;
            this.random = random;
        }

        void run(int steps) {
            for (int i = 0; i < 16; i++) {
                h.roots.add(0);
            }
            for (int step = 0; step < steps; step++) {
                List<Integer> reachable = new ArrayList<>(reachable());
                int op = random.nextInt(100);
                if (op < 45 || reachable.isEmpty()) {
                    int obj = random.nextInt(8) == 0 ? h.allocate(TestObjectHeap.FAN) : h.node(random.nextLong());
                    edges.put(obj, new int[h.classOf(obj) == TestObjectHeap.FAN ? TestObjectHeap.FAN_SLOTS : 2]);
                    values.put(obj, h.classOf(obj) == TestObjectHeap.NODE ? h.value(obj) : 0L);
                    if (reachable.isEmpty() || random.nextInt(3) == 0) {
                        h.roots.set(random.nextInt(h.roots.size()), obj);
                    } else {
                        store(reachable.get(random.nextInt(reachable.size())), obj);
                    }
                } else if (op < 85) {
                    int to = random.nextInt(4) == 0 ? 0 : reachable.get(random.nextInt(reachable.size()));
                    store(reachable.get(random.nextInt(reachable.size())), to);
                } else if (op < 92) {
                    h.roots.set(random.nextInt(h.roots.size()), 0);
                } else if (op < 99 && h.collector.workingSetsCollectable()) {
                    h.verifyRemembered();
                    h.collector.collectWorkingSets(h.rootVisitor());
                    partials++;
                    check();
                } else {
                    h.collector.collect(h.rootVisitor());
                    fulls++;
                    check();
                }
            }
            h.collector.collect(h.rootVisitor());
            check();
            long bytes = reachable().stream().mapToLong(r -> h.classOf(r) == TestObjectHeap.FAN
                    ? TestObjectHeap.FAN_BYTES : TestObjectHeap.NODE_BYTES).sum();
            assertThat(h.allocator.bytesInUse()).as("after a full collection: exactly the reachable bytes").isEqualTo(bytes);
            assertThat(partials).as("working sets' collections").isGreaterThan(50);
            assertThat(fulls).as("full collections").isGreaterThan(0);
        }

        void store(int holder, int to) {
            int[] fields = edges.get(holder);
            int i = random.nextInt(fields.length);
            fields[i] = to;
            h.set(holder, i, to);
        }

        Set<Integer> reachable() {
            Set<Integer> seen = new HashSet<>();
            List<Integer> stack = new ArrayList<>();
            for (int r : h.roots) {
                if (r != 0 && seen.add(r)) {
                    stack.add(r);
                }
            }
            while (!stack.isEmpty()) {
                for (int to : edges.get(stack.remove(stack.size() - 1))) {
                    if (to != 0 && seen.add(to)) {
                        stack.add(to);
                    }
                }
            }
            edges.keySet().retainAll(seen);   // what the model cannot reach the heap may free
            values.keySet().retainAll(seen);
            return seen;
        }

        void check() {
            for (int obj : reachable()) {
                int classId = h.classOf(obj);
                assertThat(classId).as("class of 0x%x", obj).isIn(TestObjectHeap.NODE, TestObjectHeap.FAN);
                if (classId == TestObjectHeap.NODE) {
                    assertThat(h.value(obj)).as("value of 0x%x", obj).isEqualTo(values.get(obj));
                }
                int[] fields = edges.get(obj);
                for (int i = 0; i < fields.length; i++) {
                    assertThat(h.get(obj, i)).as("field %d of 0x%x", i, obj).isEqualTo(fields[i]);
                }
            }
        }
    }
}
