package org.vheap.server.torture;

import java.util.ArrayList;
import java.util.List;

/**
 * One kind's figures in the matrix's table: the points tried, the points after which the app went on exactly from a checkpoint reported committed (or a newer
 * one), and those after which it did not: a committed checkpoint lost, or the heap torn. Not thread-safe: the matrix's
 * one thread keeps it.
 */
final class MatrixRow {
    private final KillKind kind;
    private int points;
    /** The points whose kills were followed by the app going on exactly (a point may kill twice). */
    private final java.util.Set<Integer> continued = new java.util.TreeSet<>();
    /** The points after which something was lost or torn, with what. */
    private final java.util.Map<Integer, String> problems = new java.util.TreeMap<>();

    MatrixRow(KillKind kind) {
        this.kind = kind;
    }

    KillKind kind() {
        return kind;
    }

    void point() {
        points++;
    }

    /** The app went on exactly after a kill of point {@code at}. */
    void continued(int at) {
        continued.add(at);
    }

    /** What a check found wrong after a kill of point {@code at} ({@link TallyRun#problem()}). */
    void problem(int at, String problem) {
        problems.putIfAbsent(at, problem);
    }

    int points() {
        return points;
    }

    /** The points after whose every kill the app went on exactly. */
    int continuedCount() {
        return (int) continued.stream().filter(p -> !problems.containsKey(p)).count();
    }

    int lostOrTorn() {
        return problems.size();
    }

    /** Every problem, by point. */
    List<String> problems() {
        List<String> all = new ArrayList<>();
        problems.forEach((at, what) -> all.add("point " + at + ": " + what));
        return all;
    }
}
