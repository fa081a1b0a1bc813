package org.vheap.device;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * Where a resume's time went, step by step, from the resume call (opening the app's heap) to the resumed app's
 * first safepoint, in nanoseconds of the device's clock. The steps, in order:
 * <ol>
 *   <li>{@code open}: the heap opened — the lease taken and the checkpoint's VM state read, one store call (and
 *       any wait for a lease another device holds, {@code --wait-for-lease});</li>
 *   <li>{@code class files}: the VM state decoded and the class files its class table names gathered — the
 *       JDK's from this host where they are the very same bytes, the rest from the store's system blobs;</li>
 *   <li>{@code parse}: those class files in the code cache ({@link org.vheap.device.vm.loader.ParsedClasses}),
 *       parsed in parallel unless it holds them already;</li>
 *   <li>{@code setup}: the paged heap, the VM, its launcher and the checkpointer built;</li>
 *   <li>{@code restore}: the class table replayed (ids, mirrors, initialisation states), interned strings, the
 *       allocator, threads and monitors;</li>
 *   <li>{@code run}: the interpreter from the first instruction to the first safepoint.</li>
 * </ol>
 * A lazy resume reads no heap line before {@code run}; an eager one reads them all during {@code setup}.
 */
public record ResumeSteps(long openNanos, long classFilesNanos, long parseNanos, long setupNanos, long restoreNanos,
                          long runNanos) {
    /** The steps' names, in order, as {@link #nanos()} lists them. */
    public static final List<String> NAMES = List.of("open", "class files", "parse", "setup", "restore", "run");

    /** From the resume call to the first safepoint. */
    public long totalNanos() {
        return openNanos + classFilesNanos + parseNanos + setupNanos + restoreNanos + runNanos;
    }

    /** Each step's nanoseconds, in the order of {@link #NAMES}. */
    public long[] nanos() {
        return new long[] {openNanos, classFilesNanos, parseNanos, setupNanos, restoreNanos, runNanos};
    }

    /** Notes the end of each step in turn, on one clock. */
    static final class Recorder {
        private final LongSupplier clock;
        private final long[] ends = new long[NAMES.size() + 1];
        private int step;

        Recorder(LongSupplier clock) {
            this.clock = clock;
            ends[0] = clock.getAsLong();
        }

        /** The current step ended now. */
        void next() {
            if (step < NAMES.size()) {
                ends[++step] = clock.getAsLong();
            }
        }

        /** The steps so far; those not reached count zero. */
        ResumeSteps steps() {
            long[] d = new long[NAMES.size()];
            for (int i = 0; i < step; i++) {
                d[i] = ends[i + 1] - ends[i];
            }
            return new ResumeSteps(d[0], d[1], d[2], d[3], d[4], d[5]);
        }
    }
}
