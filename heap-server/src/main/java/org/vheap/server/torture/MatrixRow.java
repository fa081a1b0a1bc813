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
    private int continued;
    private final List<String> lost = new ArrayList<>();
    private final List<String> torn = new ArrayList<>();

    MatrixRow(KillKind kind) {
        this.kind = kind;
    }

    KillKind kind() {
        return kind;
    }

    void point() {
        points++;
    }

    /** The app went on exactly after one of this kind's points. */
    void continued() {
        continued++;
    }

    /** What a check found wrong after one of this kind's points ({@link TallyRun#problem()}), at point {@code at}. */
    void problem(int at, String problem) {
        (problem.startsWith("lost") ? lost : torn).add("point " + at + ": " + problem);
    }

    int points() {
        return points;
    }

    int continuedCount() {
        return continued;
    }

    int lostOrTorn() {
        return lost.size() + torn.size();
    }

    /** Every problem, lost ones first. */
    List<String> problems() {
        List<String> all = new ArrayList<>(lost);
        all.addAll(torn);
        return all;
    }
}
