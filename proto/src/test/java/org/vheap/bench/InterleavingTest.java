package org.vheap.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The harness's order of operations, on a clock that only the operations move (each adds its own "duration"):
 * which side runs when, what the warm-up leaves out, where the caps stop a phase. Nothing is timed for real.
 */
class InterleavingTest {
    private final AtomicLong now = new AtomicLong();
    private final AtomicInteger settled = new AtomicInteger();
    private final Interleaving interleaving = new Interleaving(now::get, settled::incrementAndGet);
    private final List<String> log = new ArrayList<>();

    /** A side that logs {@code NAME[w]INDEX} or {@code NAME INDEX} and takes {@code nanos} (warm-up: 1000x longer). */
    private Interleaving.Op side(String name, long nanos) {
        return interleaving.timed((index, warmup) -> {
            log.add(name + (warmup ? "w" : " ") + index);
            now.addAndGet(warmup ? nanos * 1000 : nanos);
        });
    }

    @Test
    void roundsAlternateWhichSideGoesFirstInBlocks() throws Exception {
        Interleaving.Result r = interleaving.measure(Interleaving.Plan.of(4).block(2), side("a", 10), side("b", 20));
        assertThat(log).containsExactly("a 0", "a 1", "b 0", "b 1", "b 2", "b 3", "a 2", "a 3");
        assertThat(r.rounds()).isEqualTo(2);
        assertThat(r.capped()).isFalse();
        assertThat(r.ended()).isFalse();
        assertThat(r.samples(0, 0).values()).containsExactly(10, 10, 10, 10);
        assertThat(r.samples(0, 1).values()).containsExactly(20, 20, 20, 20);
    }

    @Test
    void comparisonsOfARoundRunOneAfterTheOther() throws Exception {
        Interleaving.Result r = interleaving.measure(List.of(List.of(side("read-a", 1), side("read-b", 1)),
                List.of(side("empty-a", 1), side("empty-b", 1))), Interleaving.Plan.of(2));
        assertThat(log).containsExactly("read-a 0", "read-b 0", "empty-a 0", "empty-b 0",
                "read-b 1", "read-a 1", "empty-b 1", "empty-a 1");
        assertThat(r.comparison(1)).hasSize(2).allSatisfy(s -> assertThat(s.count()).isEqualTo(2));
    }

    @Test
    void warmUpRunsEverySideInTurnUntilBothBoundsAreMetAndIsNotSampled() throws Exception {
        Interleaving.Op a = side("a", 1);
        Interleaving.Op b = side("b", 1);
        // 3 ops per side at least, and 5000 ns: each turn of both sides takes 2 x 2 x 1000 ns
        long[] ran = interleaving.warmUp(List.of(a, b), new Interleaving.WarmUp(3, 5000, Long.MAX_VALUE, 2));
        assertThat(ran).containsExactly(4, 4);
        assertThat(log).containsExactly("aw0", "aw1", "bw0", "bw1", "aw2", "aw3", "bw2", "bw3");
        assertThat(settled).hasValue(1);

        log.clear();
        Interleaving.Result r = interleaving.measure(Interleaving.Plan.of(2), a, b);
        assertThat(log).containsExactly("a 0", "b 0", "b 1", "a 1");
        assertThat(r.samples(0, 0).values()).containsExactly(1, 1);   // no warm-up (1000 ns) sample
        assertThat(r.samples(0, 1).values()).containsExactly(1, 1);
    }

    @Test
    void warmUpStopsAtItsCapEvenIfTooFewOperationsRan() throws Exception {
        long[] ran = interleaving.warmUp(List.of(side("a", 1)), new Interleaving.WarmUp(1_000, 0, 3000, 1));
        assertThat(ran).containsExactly(3);
    }

    @Test
    void aSideStopsAtItsTimeCapAndThePhaseAtItsOwn() throws Exception {
        // a takes 100 per op and stops after spending more than 250; b goes on to its 6 samples
        Interleaving.Result sides = interleaving.measure(Interleaving.Plan.of(6).sideCap(250), side("a", 100), side("b", 1));
        assertThat(sides.samples(0, 0).count()).isEqualTo(3);
        assertThat(sides.samples(0, 1).count()).isEqualTo(6);
        assertThat(sides.capped()).isFalse();

        log.clear();
        // no round starts once 50 ns have passed; the first always runs
        Interleaving.Result phase = interleaving.measure(Interleaving.Plan.of(100).cap(50), side("a", 20), side("b", 20));
        assertThat(log).containsExactly("a 0", "b 0", "b 1", "a 1");
        assertThat(phase.rounds()).isEqualTo(2);
        assertThat(phase.capped()).isTrue();
    }

    @Test
    void anOperationThatReturnsEndEndsThePhaseWithTheSamplesSoFar() throws Exception {
        List<Integer> rounds = new ArrayList<>();
        Interleaving.Op a = side("a", 5);
        Interleaving.Op b = (index, warmup) -> {
            log.add("b " + index);
            return index == 1 ? Interleaving.END : 7;
        };
        Interleaving.Result r = interleaving.measure(Interleaving.Plan.of(5).beforeRound(rounds::add), a, b);
        assertThat(log).containsExactly("a 0", "b 0", "b 1");
        assertThat(rounds).containsExactly(0, 1);
        assertThat(r.ended()).isTrue();
        assertThat(r.samples(0, 0).values()).containsExactly(5);
        assertThat(r.samples(0, 1).values()).containsExactly(7);
    }

    @Test
    void aFailingOperationFailsThePhase() {
        Interleaving.Op broken = (index, warmup) -> {
            throw new IllegalStateException("read of line 3 returned 0 lines");
        };
        assertThatThrownBy(() -> interleaving.measure(Interleaving.Plan.of(3), side("a", 1), broken))
                .hasMessage("read of line 3 returned 0 lines");
    }

    @Test
    void badBoundsAreRefused() {
        assertThatThrownBy(() -> Interleaving.Plan.of(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Interleaving.Plan.of(1).block(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Interleaving.WarmUp(1, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
