package org.vheap.bench;

import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;
import org.vheap.cli.LatencySamples;

/**
 * How a bench compares sides (gRPC vs raw JDBC, direct vs through a gateway, lazy vs eager resume) so that
 * the machine's drift and noise hit them alike: an unmeasured warm-up that runs every side in turn, then
 * measured rounds in which the sides take turns, the order reversed every other round.
 *
 * <p><b>Sides and operations.</b> A side is an {@link Op}: one operation, which returns the nanoseconds it
 * took as the bench measures it ({@link #timed} times a whole operation with this interleaving's clock), or
 * {@link #END} to end the phase there (a call that timed out). Its {@code index} counts that side's warm-up
 * operations from 0, and separately its measured ones from 0.
 *
 * <p><b>Warm-up</b> ({@link #warmUp}): every side runs {@link WarmUp#chunk()} operations in turn, always in
 * the given order, until each ran at least {@link WarmUp#minOps()} and {@link WarmUp#minNanos()} have passed
 * (the JIT needs time, not just calls), or {@link WarmUp#capNanos()} have passed; then a full GC, so warm-up
 * garbage is not collected inside a measured operation. Nothing of it is kept.
 *
 * <p><b>Measured rounds</b> ({@link #measure}): a phase measures one or more <em>comparisons</em> (each a list
 * of sides, e.g. [read direct, read through the gateway]); in each round every comparison in turn runs each of
 * its sides for {@link Plan#block()} operations, in the given order in even rounds (0, 2, ...) and reversed in
 * odd ones. A side is done when it has {@link Plan#samples()} samples or has spent more than
 * {@link Plan#sideCapNanos()} in measured operations; the phase ends when every side is done, when a round
 * would start after {@link Plan#capNanos()} (at least one round runs), or when an operation returns
 * {@link #END}.
 *
 * <p>Not thread-safe: one bench thread runs a phase.
 */
public final class Interleaving {
    /** What an operation returns to end the phase at once (no sample). */
    public static final long END = -1;

    /** One operation of one side. */
    @FunctionalInterface
    public interface Op {
        /** Runs one operation; returns its nanoseconds as measured, or {@link #END}. */
        long run(long index, boolean warmup) throws Exception;
    }

    /** An operation whose whole run is the measure (see {@link #timed}). */
    @FunctionalInterface
    public interface Action {
        void run(long index, boolean warmup) throws Exception;
    }

    /**
     * The warm-up's bounds: until every side ran {@code minOps} and {@code minNanos} passed, or {@code capNanos}
     * passed (Long.MAX_VALUE: no cap); {@code chunk} operations per side per turn.
     */
    public record WarmUp(long minOps, long minNanos, long capNanos, int chunk) {
        public WarmUp {
            if (minOps < 0 || minNanos < 0 || capNanos < 0 || chunk < 1) {
                throw new IllegalArgumentException("bad warm-up bounds: " + minOps + " ops, " + minNanos + " ns, cap "
                        + capNanos + " ns, chunks of " + chunk);
            }
        }
    }

    /**
     * A measured phase: {@code samples} per side, {@code block} operations per side per round, a side done
     * after {@code sideCapNanos} of measured time, no round started after {@code capNanos} (Long.MAX_VALUE: no
     * cap), {@code beforeRound} told each round's number (from 0) before it runs.
     */
    public record Plan(int samples, int block, long sideCapNanos, long capNanos, IntConsumer beforeRound) {
        public Plan {
            if (samples < 1 || block < 1 || sideCapNanos < 0 || capNanos < 0) {
                throw new IllegalArgumentException("bad plan: " + samples + " samples, blocks of " + block
                        + ", side cap " + sideCapNanos + " ns, cap " + capNanos + " ns");
            }
        }

        /** {@code samples} per side, one operation per side per round, no caps. */
        public static Plan of(int samples) {
            return new Plan(samples, 1, Long.MAX_VALUE, Long.MAX_VALUE, round -> { });
        }

        public Plan block(int ops) {
            return new Plan(samples, ops, sideCapNanos, capNanos, beforeRound);
        }

        public Plan sideCap(long nanos) {
            return new Plan(samples, block, nanos, capNanos, beforeRound);
        }

        public Plan cap(long nanos) {
            return new Plan(samples, block, sideCapNanos, nanos, beforeRound);
        }

        public Plan beforeRound(IntConsumer callback) {
            return new Plan(samples, block, sideCapNanos, capNanos, callback);
        }
    }

    /**
     * What a phase measured: {@link #samples(int, int)} of each comparison's sides, the rounds run, and
     * whether the time cap or an {@link #END} stopped it before every side was done.
     */
    public static final class Result {
        private final LatencySamples[][] samples;
        private int rounds;
        private boolean capped;
        private boolean ended;

        private Result(List<List<Op>> comparisons, int capacity) {
            samples = new LatencySamples[comparisons.size()][];
            for (int c = 0; c < samples.length; c++) {
                samples[c] = new LatencySamples[comparisons.get(c).size()];
                for (int s = 0; s < samples[c].length; s++) {
                    samples[c][s] = new LatencySamples(capacity);
                }
            }
        }

        /** The samples of side {@code side} of comparison {@code comparison}. */
        public LatencySamples samples(int comparison, int side) {
            return samples[comparison][side];
        }

        /** The samples of comparison {@code comparison}, one per side. */
        public LatencySamples[] comparison(int comparison) {
            return samples[comparison].clone();
        }

        /** Rounds run (the last one maybe in part, when an operation ended the phase). */
        public int rounds() {
            return rounds;
        }

        /** Whether the phase's time cap stopped it before every side was done. */
        public boolean capped() {
            return capped;
        }

        /** Whether an operation returned {@link #END}. */
        public boolean ended() {
            return ended;
        }
    }

    private final LongSupplier clock;
    private final Runnable settle;

    /** Timing with {@code clock} (nanoseconds; System::nanoTime), a full GC after each warm-up. */
    public Interleaving(LongSupplier clock) {
        this(clock, System::gc);
    }

    /** As above, {@code settle} run after each warm-up instead of a full GC. */
    public Interleaving(LongSupplier clock, Runnable settle) {
        this.clock = clock;
        this.settle = settle;
    }

    /** A side whose operation is timed whole, from before to after {@code action}, with this clock. */
    public Op timed(Action action) {
        return (index, warmup) -> {
            long t0 = clock.getAsLong();
            action.run(index, warmup);
            return clock.getAsLong() - t0;
        };
    }

    /** The warm-up (see the class comment); returns the operations each side ran. */
    public long[] warmUp(List<Op> sides, WarmUp bounds) throws Exception {
        long[] index = new long[sides.size()];
        long t0 = clock.getAsLong();
        while (true) {
            long elapsed = clock.getAsLong() - t0;
            boolean enough = true;
            for (long i : index) {
                enough &= i >= bounds.minOps();
            }
            if (enough && elapsed >= bounds.minNanos() || elapsed >= bounds.capNanos()) {
                break;
            }
            for (int s = 0; s < sides.size(); s++) {
                for (int i = 0; i < bounds.chunk(); i++) {
                    sides.get(s).run(index[s]++, true);
                }
            }
        }
        settle.run();
        return index;
    }

    /** Measured rounds of one comparison (see the class comment). */
    public Result measure(Plan plan, Op... sides) throws Exception {
        return measure(List.of(List.of(sides)), plan);
    }

    /** Measured rounds of several comparisons, run one after the other in each round (see the class comment). */
    public Result measure(List<List<Op>> comparisons, Plan plan) throws Exception {
        Result result = new Result(comparisons, plan.samples());
        long[][] spent = new long[comparisons.size()][];
        for (int c = 0; c < spent.length; c++) {
            spent[c] = new long[comparisons.get(c).size()];
        }
        long t0 = clock.getAsLong();
        for (int round = 0; ; round++) {
            if (round > 0 && clock.getAsLong() - t0 > plan.capNanos()) {
                result.capped = !allDone(result, spent, plan);
                return result;
            }
            if (allDone(result, spent, plan)) {
                return result;
            }
            plan.beforeRound().accept(round);
            result.rounds = round + 1;
            for (int c = 0; c < comparisons.size(); c++) {
                List<Op> sides = comparisons.get(c);
                int n = sides.size();
                for (int k = 0; k < n; k++) {
                    int s = round % 2 == 0 ? k : n - 1 - k;
                    LatencySamples samples = result.samples[c][s];
                    if (done(samples, spent[c][s], plan)) {
                        continue;
                    }
                    int todo = Math.min(plan.block(), plan.samples() - samples.count());
                    for (int i = 0; i < todo; i++) {
                        long t = sides.get(s).run(samples.count(), false);
                        if (t == END) {
                            result.ended = true;
                            return result;
                        }
                        samples.add(t);
                        spent[c][s] += t;
                    }
                }
            }
        }
    }

    private static boolean done(LatencySamples samples, long spent, Plan plan) {
        return samples.count() >= plan.samples() || spent > plan.sideCapNanos();
    }

    private static boolean allDone(Result result, long[][] spent, Plan plan) {
        for (int c = 0; c < spent.length; c++) {
            for (int s = 0; s < spent[c].length; s++) {
                if (!done(result.samples[c][s], spent[c][s], plan)) {
                    return false;
                }
            }
        }
        return true;
    }
}
