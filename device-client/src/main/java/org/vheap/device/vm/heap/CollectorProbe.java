package org.vheap.device.vm.heap;

/**
 * Points inside the collectors, announced as a collection passes them. The crash tests stop a device at one and kill
 * it there ({@code org.vheap.device.CrashPoint}, {@code --crash-at}), to prove that a kill in the middle of a collection
 * loses nothing a checkpoint committed. The collectors only announce; {@link #NONE} does nothing.
 */
@FunctionalInterface
public interface CollectorProbe {
    /** A point inside a collection; the user heap and the nursery are half rewritten at each. */
    enum Point {
        /** A minor collection has copied what its roots name (originals forwarded), before scanning the copies. */
        MINOR,
        /** A minor collection has just copied an object into the user heap; its nursery original is not forwarded yet. */
        PROMOTION,
        /** A full collection has marked (and, compacting, moved) what is live, before its sweep frees the rest. */
        FULL,
        /** A young collection has marked what is live in the young lines, before its sweep frees the rest. */
        YOUNG
    }

    CollectorProbe NONE = point -> { };

    void passed(Point point);
}
