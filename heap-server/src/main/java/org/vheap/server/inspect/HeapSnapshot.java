package org.vheap.server.inspect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.vheap.format.HeapClasses;
import org.vheap.format.HeapClasses.HeapClass;
import org.vheap.format.HeapDominators;
import org.vheap.format.HeapGraph;
import org.vheap.format.HeapObjects;
import org.vheap.format.HeapVerifier;
import org.vheap.server.store.CheckpointRecord;
import org.vheap.server.store.HeapToolProgress;
import org.vheap.store.StoreException;

/**
 * One committed checkpoint read whole by the server ({@link HeapSnapshots}), and the questions asked of its objects:
 * a class histogram, the objects of a class, the strings matching a pattern, one object, the path to it from a root.
 * Only reachable objects count; the walk that finds them ({@link HeapGraph#mark}) runs once, on the first question
 * that needs it. Thread-safe: the lines are read-only, the walk is made once under the snapshot's lock.
 */
public final class HeapSnapshot {
    /** A row of the class histogram; {@code retainedBytes} is -1 when not asked for. */
    public record ClassRow(String className, long instances, long bytes, long retainedBytes) {
    }

    /** What a search found: the first {@code limit} in address order, and how many matched in all. */
    public record Found(List<Integer> refs, long matches) {
    }

    private final CheckpointRecord checkpoint;
    private final int lineSize;
    private final java.util.BitSet presentLines;
    private final List<HeapVerifier.Problem> readProblems;
    private final HeapGraph graph;
    private final HeapObjects objects;
    private HeapGraph.Marking marking;
    private HeapDominators dominators;

    HeapSnapshot(CheckpointRecord checkpoint, int lineSize, java.util.BitSet presentLines,
                 List<HeapVerifier.Problem> readProblems, HeapGraph graph) {
        this.checkpoint = checkpoint;
        this.lineSize = lineSize;
        this.presentLines = presentLines;
        this.readProblems = List.copyOf(readProblems);
        this.graph = graph;
        this.objects = new HeapObjects(graph);
    }

    public CheckpointRecord checkpoint() {
        return checkpoint;
    }

    /** The heap's line size. */
    public int lineSize() {
        return lineSize;
    }

    /** The ids of the lines the checkpoint holds (a copy). */
    public java.util.BitSet presentLines() {
        return (java.util.BitSet) presentLines.clone();
    }

    /** What reading the lines found wrong (a line of the wrong length, or outside the heap): for a verification. */
    public List<HeapVerifier.Problem> readProblems() {
        return readProblems;
    }

    /** The shortest chain from a root to the object at {@code ref} (see {@link HeapGraph#pathTo}). */
    public List<HeapGraph.PathStep> pathTo(int ref, Consumer<HeapToolProgress> progress) {
        return graph.pathTo(ref, marking(progress));
    }

    public HeapGraph graph() {
        return graph;
    }

    public HeapObjects objects() {
        return objects;
    }

    /** What the walk from the roots reached, walking first if no question has yet. */
    public synchronized HeapGraph.Marking marking(Consumer<HeapToolProgress> progress) {
        if (marking == null) {
            marking = graph.mark((found, bytes) -> progress.accept(new HeapToolProgress("marking", checkpoint.lineCount(),
                    checkpoint.lineCount(), 0, found)));
        }
        return marking;
    }

    /** The dominator tree of the reachable objects, computed first if no question has needed it yet. */
    public HeapDominators dominators(Consumer<HeapToolProgress> progress) {
        HeapGraph.Marking m = marking(progress);
        synchronized (this) {
            if (dominators == null) {
                dominators = HeapDominators.of(graph, m, (step, done) -> progress.accept(new HeapToolProgress(step,
                        checkpoint.lineCount(), checkpoint.lineCount(), 0, done)));
            }
            return dominators;
        }
    }

    /**
     * Reachable instances and their bytes per class, most bytes first (most retained bytes first when
     * {@code dominators} are given, which give the rows' retained bytes); the first {@code top} (0: all).
     */
    public List<ClassRow> histogram(HeapGraph.Marking m, HeapDominators dominators, int top) {
        List<ClassRow> rows = new ArrayList<>();
        for (HeapClass c : graph.classes().all()) {
            if (m.instances(c.id()) > 0) {
                rows.add(new ClassRow(c.javaName(), m.instances(c.id()), m.bytes(c.id()),
                        dominators == null ? -1 : dominators.classRetainedBytes(c.id())));
            }
        }
        rows.sort(Comparator.comparingLong((ClassRow r) -> dominators == null ? r.bytes() : r.retainedBytes()).reversed()
                .thenComparing(ClassRow::className));
        return top > 0 && rows.size() > top ? List.copyOf(rows.subList(0, top)) : List.copyOf(rows);
    }

    /**
     * The reachable objects of the class named {@code className} (its Java name, {@code int[]}, or internal name).
     *
     * @throws StoreException NOT_FOUND when the checkpoint's class table has no such class
     */
    public Found objectsOf(HeapGraph.Marking m, String className, int limit) {
        HeapClass wanted = classNamed(className);
        return find(m, limit, ref -> graph.classOf(ref) == wanted);
    }

    /** The reachable strings in which {@code pattern} is found. */
    public Found strings(HeapGraph.Marking m, Pattern pattern, int limit) {
        HeapClass string = graph.classes().byName("java/lang/String");
        return find(m, limit, ref -> {
            if (graph.classOf(ref) != string) {
                return false;
            }
            String s = objects.stringValue(ref);
            return s != null && pattern.matcher(s).find();
        });
    }

    private Found find(HeapGraph.Marking m, int limit, java.util.function.IntPredicate matches) {
        List<Integer> refs = new ArrayList<>();
        long[] count = {0};
        m.forEachMarked(ref -> {
            if (matches.test(ref)) {
                if (refs.size() < limit) {
                    refs.add(ref);
                }
                count[0]++;
            }
        });
        return new Found(List.copyOf(refs), count[0]);
    }

    private HeapClass classNamed(String name) {
        String internal = HeapClasses.internalName(name.strip());
        HeapClass c = graph.classes().byName(internal);
        if (c == null) {
            throw new StoreException(StoreException.Reason.NOT_FOUND, "checkpoint " + checkpoint.checkpointId()
                    + " has no class " + name + " (give its Java name, like java.util.HashMap or int[])");
        }
        return c;
    }
}
