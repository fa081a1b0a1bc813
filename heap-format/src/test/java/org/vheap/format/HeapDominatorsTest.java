package org.vheap.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Lengauer and Tarjan's immediate dominators, against the definition, on random graphs with cycles and diamonds. */
class HeapDominatorsTest {
    @Test
    void immediateDominatorsAreWhatTheDefinitionGivesOnRandomGraphs() {
        Random random = new Random(7);
        for (int graph = 0; graph < 400; graph++) {
            int nodes = 2 + random.nextInt(40);
            List<List<Integer>> succ = new ArrayList<>();
            for (int v = 0; v < nodes; v++) {
                succ.add(new ArrayList<>());
            }
            int edges = random.nextInt(3 * nodes);
            for (int e = 0; e < edges; e++) {
                succ.get(random.nextInt(nodes)).add(1 + random.nextInt(nodes - 1));
            }
            int[] start = new int[nodes + 1];
            List<Integer> flat = new ArrayList<>();
            for (int v = 0; v < nodes; v++) {
                start[v] = flat.size();
                flat.addAll(succ.get(v));
            }
            start[nodes] = flat.size();
            int[] idom = HeapDominators.lengauerTarjan(nodes, start, flat.stream().mapToInt(Integer::intValue).toArray(),
                    (what, done) -> { });
            int[] expected = byDefinition(nodes, succ);
            assertThat(idom).as("graph %d: %s", graph, succ).containsExactly(expected);
        }
    }

    /** The immediate dominator of each node (-1: the root, or unreachable): the strict dominator nearest to it. */
    private static int[] byDefinition(int nodes, List<List<Integer>> succ) {
        BitSet reachable = reach(nodes, succ, -1);
        BitSet[] dominators = new BitSet[nodes];
        for (int v = 0; v < nodes; v++) {
            dominators[v] = new BitSet();
        }
        for (int d = 0; d < nodes; d++) {
            BitSet without = reach(nodes, succ, d);
            for (int v = 0; v < nodes; v++) {
                if (reachable.get(v) && (v == d || !without.get(v))) {
                    dominators[v].set(d);   // every path from the root to v passes d
                }
            }
        }
        int[] idom = new int[nodes];
        for (int v = 0; v < nodes; v++) {
            idom[v] = -1;
            if (v == 0 || !reachable.get(v)) {
                continue;
            }
            // the strict dominator that every other strict dominator dominates: the one with the most dominators
            for (int d = dominators[v].nextSetBit(0); d >= 0; d = dominators[v].nextSetBit(d + 1)) {
                if (d != v && (idom[v] < 0 || dominators[d].cardinality() > dominators[idom[v]].cardinality())) {
                    idom[v] = d;
                }
            }
        }
        return idom;
    }

    /** The nodes reachable from node 0 without passing {@code removed} (-1: none removed). */
    private static BitSet reach(int nodes, List<List<Integer>> succ, int removed) {
        BitSet seen = new BitSet();
        if (removed == 0) {
            return seen;
        }
        List<Integer> work = new ArrayList<>(List.of(0));
        seen.set(0);
        while (!work.isEmpty()) {
            int v = work.remove(work.size() - 1);
            for (int w : succ.get(v)) {
                if (w != removed && !seen.get(w)) {
                    seen.set(w);
                    work.add(w);
                }
            }
        }
        return seen;
    }
}
