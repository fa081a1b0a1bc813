package org.vheap.format;

import java.util.Arrays;
import org.vheap.format.HeapClasses.HeapClass;

/**
 * The dominator tree of a {@link HeapGraph}'s reachable objects, and what it answers: each object's retained bytes
 * (its own and those of every object only it keeps alive) and each class's. An object d dominates o when every path
 * from the roots to o passes through d; the roots hang from one virtual node above them all.
 *
 * <p>Computed by Lengauer and Tarjan's algorithm (the simple version, with path compression: O(e log n)) over
 * arrays indexed by the objects' rank in address order, found by binary search among the marked references. It holds
 * about 80 bytes per object and 8 per reference in memory for the time of its computation; the result keeps 12 bytes
 * per object.
 *
 * <p>A class's retained bytes count each of its instances' retained bytes once: an instance the dominator tree places
 * below another instance of the same class is already inside that one's, as heap analyzers define a class's retained
 * size (a lower bound of what freeing every instance would free).
 */
public final class HeapDominators {
    private final int[] refs;
    private final long[] retained;
    private final long[] classRetained;

    private HeapDominators(int[] refs, long[] retained, long[] classRetained) {
        this.refs = refs;
        this.retained = retained;
        this.classRetained = classRetained;
    }

    /** Told how the computation goes: a step of it and the objects done. */
    public interface Progress {
        void step(String what, long done);
    }

    /** The retained bytes of the reachable object at {@code ref}, or -1 when it is not reachable. */
    public long retainedBytes(int ref) {
        int i = Arrays.binarySearch(refs, ref);
        return i < 0 ? -1 : retained[i];
    }

    /** The retained bytes of class id {@code id}'s reachable instances (see the class comment). */
    public long classRetainedBytes(int id) {
        return id >= 0 && id < classRetained.length ? classRetained[id] : 0;
    }

    /** Computes the dominator tree of what {@code marking} reached in {@code graph}. */
    public static HeapDominators of(HeapGraph graph, HeapGraph.Marking marking, Progress progress) {
        int[] refs = marking.references();
        int n = refs.length;
        // the graph, by rank + 1 (node 0 is the virtual root): successors in compressed rows
        int nodes = n + 1;
        int[] succStart = new int[nodes + 1];
        IntList succ = new IntList(Math.max(16, 2 * n));
        IntList rootRanks = new IntList(64);
        for (HeapGraph.Root r : graph.roots()) {
            int i = Arrays.binarySearch(refs, r.ref());
            if (i >= 0) {
                rootRanks.add(i + 1);
            }
        }
        succStart[0] = 0;
        for (int i = 0; i < rootRanks.size; i++) {
            succ.add(rootRanks.items[i]);
        }
        long[] sizes = new long[nodes];
        int[] classIds = new int[nodes];
        for (int v = 1; v < nodes; v++) {
            succStart[v] = succ.size;
            int ref = refs[v - 1];
            HeapClass c = graph.classOf(ref);
            sizes[v] = graph.sizeOf(ref, c);
            classIds[v] = c.id();
            graph.forEachSlot(ref, c, slot -> {
                int to = Arrays.binarySearch(refs, graph.referenceAt(slot));
                if (to >= 0) {
                    succ.add(to + 1);
                }
            });
            if ((v & 0xFFFF) == 0) {
                progress.step("references", v);
            }
        }
        succStart[nodes] = succ.size;
        int[] idom = lengauerTarjan(nodes, succStart, succ.items, progress);
        long[] retained = new long[nodes];
        // children of each node in the dominator tree, in compressed rows, to walk it once from the top
        int[] childStart = new int[nodes + 1];
        for (int v = 1; v < nodes; v++) {
            if (idom[v] >= 0) {
                childStart[idom[v] + 1]++;
            }
        }
        for (int v = 0; v < nodes; v++) {
            childStart[v + 1] += childStart[v];
        }
        int[] children = new int[childStart[nodes]];
        int[] fill = Arrays.copyOf(childStart, nodes);
        for (int v = 1; v < nodes; v++) {
            if (idom[v] >= 0) {
                children[fill[idom[v]]++] = v;
            }
        }
        long[] classRetained = new long[graph.classes().maxId() + 1];
        walkTree(childStart, children, sizes, classIds, retained, classRetained);
        progress.step("retained sizes", n);
        return new HeapDominators(refs, Arrays.copyOfRange(retained, 1, nodes), classRetained);
    }

    /**
     * Walks the dominator tree depth first: each node's retained bytes are its own and its children's; a node adds its
     * retained bytes to its class's when no node above it is of its class.
     */
    private static void walkTree(int[] childStart, int[] children, long[] sizes, int[] classIds, long[] retained,
                                 long[] classRetained) {
        int nodes = sizes.length;
        int[] onPath = new int[classRetained.length];   // nodes of each class on the current path
        int[] stack = new int[nodes];
        int[] next = new int[nodes];                    // the next child to visit of each node on the stack
        int top = 0;
        stack[0] = 0;
        next[0] = childStart[0];
        while (top >= 0) {
            int v = stack[top];
            if (next[v] < childStart[v + 1]) {
                int c = children[next[v]++];
                if (c != 0) {
                    onPath[classIds[c]]++;
                }
                stack[++top] = c;
                next[c] = childStart[c];
                continue;
            }
            retained[v] += sizes[v];
            top--;
            if (v != 0) {
                onPath[classIds[v]]--;
                if (onPath[classIds[v]] == 0) {
                    classRetained[classIds[v]] += retained[v];
                }
                retained[stack[top]] += retained[v];
            }
        }
    }

    /**
     * The immediate dominator of every node of the graph rooted at node 0 (-1: unreachable, or the root itself), by
     * Lengauer and Tarjan's algorithm with path compression, iteratively.
     */
    static int[] lengauerTarjan(int nodes, int[] succStart, int[] succ, Progress progress) {
        int[] dfnum = new int[nodes];
        Arrays.fill(dfnum, -1);
        int[] vertex = new int[nodes];
        int[] parent = new int[nodes];
        // depth-first numbering, iteratively
        int[] stack = new int[nodes];
        int[] edge = new int[nodes];
        int count = 0;
        int top = 0;
        stack[0] = 0;
        edge[0] = succStart[0];
        dfnum[0] = count;
        vertex[count++] = 0;
        parent[0] = -1;
        while (top >= 0) {
            int v = stack[top];
            if (edge[v] < succStart[v + 1]) {
                int w = succ[edge[v]++];
                if (dfnum[w] < 0) {
                    dfnum[w] = count;
                    vertex[count++] = w;
                    parent[w] = v;
                    stack[++top] = w;
                    edge[w] = succStart[w];
                }
            } else {
                top--;
            }
        }
        // predecessors in compressed rows
        int[] predStart = new int[nodes + 1];
        for (int v = 0; v < nodes; v++) {
            for (int e = succStart[v]; e < succStart[v + 1]; e++) {
                predStart[succ[e] + 1]++;
            }
        }
        for (int v = 0; v < nodes; v++) {
            predStart[v + 1] += predStart[v];
        }
        int[] pred = new int[predStart[nodes]];
        int[] fill = Arrays.copyOf(predStart, nodes);
        for (int v = 0; v < nodes; v++) {
            for (int e = succStart[v]; e < succStart[v + 1]; e++) {
                pred[fill[succ[e]]++] = v;
            }
        }
        int[] semi = new int[nodes];
        int[] ancestor = new int[nodes];
        int[] label = new int[nodes];
        int[] idom = new int[nodes];
        int[] sameDom = new int[nodes];
        int[] bucketHead = new int[nodes];
        int[] bucketNext = new int[nodes];
        Arrays.fill(ancestor, -1);
        Arrays.fill(idom, -1);
        Arrays.fill(sameDom, -1);
        Arrays.fill(bucketHead, -1);
        for (int v = 0; v < nodes; v++) {
            semi[v] = dfnum[v];
            label[v] = v;
        }
        int[] path = new int[nodes];
        for (int i = count - 1; i > 0; i--) {
            int w = vertex[i];
            int p = parent[w];
            int s = dfnum[p];
            for (int e = predStart[w]; e < predStart[w + 1]; e++) {
                int v = pred[e];
                if (dfnum[v] < 0) {
                    continue;   // a predecessor the walk never reached
                }
                int u = dfnum[v] <= dfnum[w] ? v : eval(v, ancestor, label, semi, path);
                if (semi[u] < s) {
                    s = semi[u];
                }
            }
            semi[w] = s;
            int sv = vertex[s];
            bucketNext[w] = bucketHead[sv];
            bucketHead[sv] = w;
            ancestor[w] = p;   // link
            for (int v = bucketHead[p]; v >= 0; v = bucketNext[v]) {
                int u = eval(v, ancestor, label, semi, path);
                if (semi[u] < semi[v]) {
                    sameDom[v] = u;
                } else {
                    idom[v] = p;
                }
            }
            bucketHead[p] = -1;
            if ((i & 0xFFFF) == 0) {
                progress.step("dominators", count - i);
            }
        }
        for (int i = 1; i < count; i++) {
            int w = vertex[i];
            if (sameDom[w] >= 0) {
                idom[w] = idom[sameDom[w]];
            }
        }
        return idom;
    }

    /** The node of least semi-dominator number on the forest path above {@code v}, compressing the path. */
    private static int eval(int v, int[] ancestor, int[] label, int[] semi, int[] path) {
        if (ancestor[v] < 0) {
            return v;
        }
        // collect the path up to the forest root's child, then compress it from the top down
        int n = 0;
        int a = v;
        while (ancestor[ancestor[a]] >= 0) {
            path[n++] = a;
            a = ancestor[a];
        }
        for (int i = n - 1; i >= 0; i--) {
            int x = path[i];
            int anc = ancestor[x];
            if (semi[label[anc]] < semi[label[x]]) {
                label[x] = label[anc];
            }
            ancestor[x] = ancestor[anc];
        }
        return label[v];
    }

    /** A growable list of ints. */
    private static final class IntList {
        int[] items;
        int size;

        IntList(int capacity) {
            items = new int[capacity];
        }

        void add(int v) {
            if (size == items.length) {
                items = Arrays.copyOf(items, items.length * 2);
            }
            items[size++] = v;
        }
    }
}
