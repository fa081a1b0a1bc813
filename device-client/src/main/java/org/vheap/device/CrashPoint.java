package org.vheap.device;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import org.vheap.device.vm.heap.CollectorProbe;

/**
 * A place inside the device's collections where the crash tests kill it: at the {@code n}-th time the VM passes
 * {@code point} (counted from this process's start), the VM's thread says so on the error stream and stops there for
 * good, so that a {@code kill -9} sent when the line appears lands at exactly that place. Given with the hidden
 * {@code --crash-at POINT:N} of {@code ./vheap device run|resume|start}, where POINT is {@code minor} (half way
 * through a minor collection), {@code promotion} (an object just copied into the user heap), {@code full} (a full
 * collection after marking, before its sweep) or {@code young} (a young collection, {@code --young}, after marking,
 * before its sweep).
 *
 * <p>Only the VM's thread stops: the device's other threads (a pre-flush in flight, the control stream) go on, as they
 * would for the moment a real crash takes. A device given a crash point hangs there until it is killed: it is for
 * tests, never for running apps.
 */
public final class CrashPoint implements CollectorProbe {
    private final Point point;
    private final long nth;
    private final PrintStream err;
    private long passed;

    public CrashPoint(Point point, long nth, PrintStream err) {
        if (nth < 1) {
            throw new IllegalArgumentException("a crash point counts from 1, got " + nth);
        }
        this.point = java.util.Objects.requireNonNull(point, "point");
        this.nth = nth;
        this.err = java.util.Objects.requireNonNull(err, "err");
    }

    /** Parses {@code POINT:N} ({@code minor:3}, {@code promotion:250}, {@code full:1}, {@code young:2}). */
    public static CrashPoint parse(String spec, PrintStream err) {
        int colon = spec.indexOf(':');
        Point point = null;
        long nth = 0;
        if (colon > 0) {
            try {
                point = Point.valueOf(spec.substring(0, colon).toUpperCase(Locale.ROOT));
                nth = Long.parseLong(spec.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                point = null;
            }
        }
        if (point == null || nth < 1) {
            throw new IllegalArgumentException("--crash-at takes POINT:N with POINT one of minor, promotion, full, young and N >= 1"
                    + " (the N-th time the VM passes it), got '" + spec + "'");
        }
        return new CrashPoint(point, nth, err);
    }

    @Override
    public void passed(Point p) {
        if (p != point || ++passed != nth) {
            return;
        }
        err.println("vheap: crash point " + point.name().toLowerCase(Locale.ROOT) + " #" + nth
                + " reached; the VM stops here until the device is killed");
        err.flush();
        while (true) {
            LockSupport.park(this);
            Thread.interrupted();   // an interrupt does not end the stop either: only the kill does
        }
    }

    @Override
    public String toString() {
        return point.name().toLowerCase(Locale.ROOT) + ":" + nth;
    }
}
