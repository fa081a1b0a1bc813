package org.vheap.device;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.vheap.device.store.SessionProbe;
import org.vheap.device.vm.heap.CollectorProbe;

/**
 * A place inside the device's collections or its writes to the store where the crash tests kill it: at the {@code n}-th
 * time the VM passes {@code point} (counted from this process's start), the thread passing it says so on the error
 * stream and stops there for good, so that a {@code kill -9} sent when the line appears lands at exactly that place.
 * Given with the hidden {@code --crash-at POINT:N} of {@code ./vheap device run|resume|start}, where POINT is a
 * collector's ({@link CollectorProbe.Point}): {@code minor} (half way through a minor collection), {@code promotion} (an
 * object just copied into the user heap), {@code full} (a full collection after marking, before its sweep) or
 * {@code young} (a young collection, {@code --young}, after marking, before its sweep); or a write's
 * ({@link SessionProbe.Point}): {@code flush} (a flush acknowledged by the store, its lines still FLUSHING),
 * {@code preflush} (a background pre-flush acknowledged, on the writer thread) or {@code commit} (a checkpoint committed
 * by the store, the app not told yet).
 *
 * <p>Only the thread passing the point stops: the device's other threads (a pre-flush in flight, the control stream)
 * go on, as they would for the moment a real crash takes. A device given a crash point hangs there until it is killed:
 * it is for tests, never for running apps.
 */
public final class CrashPoint implements CollectorProbe, SessionProbe {
    private static final List<String> POINTS = Stream.concat(Arrays.stream(CollectorProbe.Point.values()),
            Arrays.stream(SessionProbe.Point.values())).map(p -> p.name().toLowerCase(Locale.ROOT)).toList();

    private final String point;
    private final long nth;
    private final PrintStream err;
    private long passed;

    /** Stops at the {@code nth} pass of {@code point}, one of {@link #POINTS}' names. */
    private CrashPoint(String point, long nth, PrintStream err) {
        this.point = point;
        this.nth = nth;
        this.err = java.util.Objects.requireNonNull(err, "err");
    }

    /** Parses {@code POINT:N} ({@code minor:3}, {@code promotion:250}, {@code commit:2}, ...). */
    public static CrashPoint parse(String spec, PrintStream err) {
        int colon = spec.indexOf(':');
        String point = colon > 0 ? spec.substring(0, colon) : "";
        long nth = 0;
        try {
            nth = colon > 0 ? Long.parseLong(spec.substring(colon + 1)) : 0;
        } catch (NumberFormatException e) {
            nth = 0;
        }
        if (!POINTS.contains(point) || nth < 1) {
            throw new IllegalArgumentException("--crash-at takes POINT:N with POINT one of " + String.join(", ", POINTS)
                    + " and N >= 1 (the N-th time the VM passes it), got '" + spec + "'");
        }
        return new CrashPoint(point, nth, err);
    }

    @Override
    public void passed(CollectorProbe.Point p) {
        passed(p.name());
    }

    @Override
    public void passed(SessionProbe.Point p) {
        passed(p.name());
    }

    private void passed(String name) {
        synchronized (this) {   // the writer thread passes pre-flushes, the VM's thread the rest
            if (!point.equalsIgnoreCase(name) || ++passed != nth) {
                return;
            }
        }
        err.println("vheap: crash point " + point + " #" + nth + " reached; the VM stops here until the device is killed");
        err.flush();
        while (true) {
            LockSupport.park(this);
            Thread.interrupted();   // an interrupt does not end the stop either: only the kill does
        }
    }

    @Override
    public String toString() {
        return point + ":" + nth;
    }
}
