package org.vheap.device.vm.thread;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH (not a test; docs/benchmarks.md says how to run it): an uncontended monitorenter/monitorexit pair, as every
 * synchronized method runs it, through the {@link Scheduler} ({@link MonitorTable}: a probe, an idle monitor reused)
 * against the way it was done before, side by side: a boxed key into a {@code HashMap} and a new {@link Monitor} per
 * enter, removed at the exit.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MonitorJmh {
    private final Scheduler scheduler = new Scheduler(System::nanoTime);
    private final VmThread thread = new VmThread(1, "bench");
    private final Map<Integer, Monitor> boxed = new HashMap<>();
    /** A few objects locked in turn, with a couple of monitors held meanwhile (a table that is not empty). */
    private final int[] objects = {0x1234, 0x5678, 0x9abc, 0xdef0};
    private int next;

    public MonitorJmh() {
        scheduler.enter(thread, 0x42);
        boxed.put(0x42, new Monitor());
    }

    @Benchmark
    public boolean monitorTable() {
        int obj = objects[next++ & 3];
        scheduler.enter(thread, obj);
        return scheduler.exit(thread, obj);
    }

    @Benchmark
    public boolean boxedHashMap() {
        int obj = objects[next++ & 3];
        Monitor m = boxed.computeIfAbsent(obj, o -> new Monitor());
        m.owner = thread;
        m.count = 1;
        m = boxed.get(obj);
        m.owner = null;
        m.count = 0;
        return boxed.remove(obj) != null;
    }
}
