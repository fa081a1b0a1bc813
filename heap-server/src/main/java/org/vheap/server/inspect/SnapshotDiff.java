package org.vheap.server.inspect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.vheap.format.HeapClasses.HeapClass;
import org.vheap.format.HeapGraph;
import org.vheap.format.HeapLines;
import org.vheap.format.VmStateImage;
import org.vheap.server.store.HeapToolProgress;

/**
 * What changed between two checkpoints of an app ({@code ./vheap inspect diff}): per class, the reachable objects
 * added and removed, with their bytes; the lines whose bytes differ; the threads that began and ended. An object is
 * the same in both when the same address holds a reachable object of the same class and size in each: an object a
 * compacting collection moved between them counts as removed from its old address and added at its new one.
 */
public final class SnapshotDiff {
    /** A class's change: objects added and removed, and their bytes. */
    public record ClassChange(String className, long added, long bytesAdded, long removed, long bytesRemoved) {
        /** The bytes that changed either way: what the rows are ordered by. */
        public long bytesChanged() {
            return bytesAdded + bytesRemoved;
        }
    }

    /**
     * The changes, classes with the most bytes changed first; {@code linesChanged} counts lines in both whose bytes
     * differ, {@code linesAdded} and {@code linesRemoved} lines (not all zero) in one only.
     */
    public record Result(List<ClassChange> classes, long linesChanged, long linesAdded, long linesRemoved,
                         List<String> threadsAdded, List<String> threadsRemoved) {
    }

    private SnapshotDiff() {
    }

    /** What changed from {@code from} to {@code to}. */
    public static Result of(HeapSnapshot from, HeapSnapshot to, Consumer<HeapToolProgress> progress) {
        HeapGraph.Marking before = from.marking(progress);
        HeapGraph.Marking after = to.marking(progress);
        Map<String, long[]> changes = new HashMap<>();
        after.forEachMarked(ref -> count(to, from, before, ref, changes, 0));
        before.forEachMarked(ref -> count(from, to, after, ref, changes, 2));
        List<ClassChange> rows = new ArrayList<>();
        changes.forEach((name, c) -> rows.add(new ClassChange(name, c[0], c[1], c[2], c[3])));
        rows.sort(Comparator.comparingLong(ClassChange::bytesChanged).reversed().thenComparing(ClassChange::className));
        long[] lines = lines(from, to);
        return new Result(List.copyOf(rows), lines[0], lines[1], lines[2], threads(to, from), threads(from, to));
    }

    /** Counts {@code ref} of {@code in} at {@code slot} (0: added, 2: removed) unless {@code other} has it too. */
    private static void count(HeapSnapshot in, HeapSnapshot other, HeapGraph.Marking otherMarks, int ref,
                              Map<String, long[]> changes, int slot) {
        HeapClass c = in.graph().classOf(ref);
        long size = in.graph().sizeOf(ref, c);
        if (otherMarks.isMarked(ref)) {
            HeapClass there = other.graph().classOf(ref);
            if (there != null && there.name().equals(c.name()) && other.graph().sizeOf(ref, there) == size) {
                return;
            }
        }
        long[] row = changes.computeIfAbsent(c.javaName(), k -> new long[4]);
        row[slot]++;
        row[slot + 1] += size;
    }

    /** Lines whose bytes differ, lines only {@code to} has, lines only {@code from} has. */
    private static long[] lines(HeapSnapshot from, HeapSnapshot to) {
        HeapLines a = from.graph().lines();
        HeapLines b = to.graph().lines();
        int lineSize = from.lineSize();
        long end = Math.max(a.limit(), b.limit());
        long[] counts = new long[3];
        for (long line = 0; line < end; line += lineSize) {
            boolean inA = line < a.limit() && !zero(a, line, lineSize);
            boolean inB = line < b.limit() && !zero(b, line, lineSize);
            if (inA && inB) {
                counts[0] += differ(a, b, line, lineSize) ? 1 : 0;
            } else if (inB) {
                counts[1]++;
            } else if (inA) {
                counts[2]++;
            }
        }
        return counts;
    }

    private static boolean zero(HeapLines l, long line, int lineSize) {
        for (long at = line; at < line + lineSize; at += 8) {
            if (l.getLong(at) != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean differ(HeapLines a, HeapLines b, long line, int lineSize) {
        for (long at = line; at < line + lineSize; at += 8) {
            if (a.getLong(at) != b.getLong(at)) {
                return true;
            }
        }
        return false;
    }

    /** The threads of {@code in} that {@code other} lacks (by id), as {@code id 'name'}. */
    private static List<String> threads(HeapSnapshot in, HeapSnapshot other) {
        Set<Integer> there = new TreeSet<>();
        for (VmStateImage.ThreadImage t : other.graph().state().threads) {
            there.add(t.id());
        }
        List<String> only = new ArrayList<>();
        for (VmStateImage.ThreadImage t : in.graph().state().threads) {
            if (!there.contains(t.id())) {
                only.add(t.id() + " '" + t.name() + "'");
            }
        }
        return List.copyOf(only);
    }
}
