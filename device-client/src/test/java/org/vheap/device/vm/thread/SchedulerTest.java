package org.vheap.device.vm.thread;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link Scheduler}'s choice of the next thread: round robin, and sleepers due at once in the order they were due. */
class SchedulerTest {
    private long now;
    private final Scheduler scheduler = new Scheduler(() -> now);

    private VmThread thread(int id) {
        VmThread t = new VmThread(id, "t" + id);
        scheduler.add(t);
        return t;
    }

    @Test
    void runnableThreadsTakeTurns() {
        VmThread a = thread(1);
        VmThread b = thread(2);
        VmThread c = thread(3);
        assertThat(scheduler.pick()).isSameAs(a);
        assertThat(scheduler.pick()).isSameAs(b);
        assertThat(scheduler.pick()).isSameAs(c);
        assertThat(scheduler.pick()).isSameAs(a);
    }

    /**
     * A thread that ran long (T04SleepOrdering's sleeper of 0 ms translating its first calls, on a loaded machine) let
     * both a 100 ms and a 200 ms sleeper come due; the one next in turn, the 200 ms one, ran and printed first.
     */
    @Test
    void sleepersDueAtTheSamePickRunInTheOrderTheyWereDue() {
        VmThread longRunner = thread(1);
        VmThread sleeps200 = thread(2);   // next in turn after the long runner
        VmThread sleeps100 = thread(3);
        scheduler.sleep(sleeps200, 200_000_000L);
        scheduler.sleep(sleeps100, 100_000_000L);
        assertThat(scheduler.pick()).isSameAs(longRunner);
        longRunner.state = ThreadState.TERMINATED;
        now += 250_000_000L;
        assertThat(scheduler.pick()).isSameAs(sleeps100);
        assertThat(sleeps200.state).isEqualTo(ThreadState.RUNNABLE);
        assertThat(scheduler.pick()).as("then turns again").isSameAs(sleeps200);
        assertThat(scheduler.pick()).isSameAs(sleeps100);
    }

    /**
     * Two computing threads and one that sleeps a millisecond each time it runs, a quantum taking a millisecond: every
     * thread gets its turn (a review found that running the due sleeper out of turn and going on after it starved the
     * thread between them).
     */
    @Test
    void aThreadThatSleepsAfterEveryQuantumStarvesNoOne() {
        thread(1);
        thread(2);
        VmThread sleeper = thread(3);
        int[] turns = turns(300, 1_000_000L, sleeper, 1_000_000L);
        assertThat(turns[1]).as("the first computing thread").isGreaterThanOrEqualTo(90);
        assertThat(turns[2]).as("the second").isGreaterThanOrEqualTo(90);
        assertThat(turns[3]).as("the sleeper").isGreaterThanOrEqualTo(90);
    }

    /** A thread parking for a nanosecond, again and again, while another computes: both run, in turn. */
    @Test
    void aThreadParkingForANanosecondAgainAndAgainLetsTheOthersRun() {
        thread(1);
        VmThread parker = thread(2);
        int[] turns = turns(100, 1_000, parker, 1);
        assertThat(turns[1]).isEqualTo(50);
        assertThat(turns[2]).isEqualTo(50);
    }

    /**
     * Picks {@code quanta} times, each quantum taking {@code quantumNanos}; {@code sleeper} sleeps {@code sleepNanos}
     * at the end of each of its quanta. Returns the quanta each thread ran, by its id.
     */
    private int[] turns(int quanta, long quantumNanos, VmThread sleeper, long sleepNanos) {
        int[] turns = new int[scheduler.threads().size() + 1];
        for (int quantum = 0; quantum < quanta; quantum++) {
            VmThread t = scheduler.pick();
            turns[t.id()]++;
            if (t == sleeper) {
                scheduler.sleep(sleeper, sleepNanos);
            }
            now += quantumNanos;
        }
        return turns;
    }

    @Test
    void aSleeperNotYetDueDoesNotRun() {
        VmThread sleeper = thread(1);
        scheduler.sleep(sleeper, 100);
        assertThat(scheduler.pick()).isNull();
        assertThat(scheduler.nanosUntilNextWake()).isEqualTo(100);
        now += 100;
        assertThat(scheduler.pick()).isSameAs(sleeper);
    }
}
