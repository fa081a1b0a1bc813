package org.vheap.api;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Checkpoints from the app's side. {@link #now()} asks the device for a checkpoint and returns once it is
 * committed: everything the app did before the call survives a crash of the device, and a resumed app goes
 * on from just after the call (where {@code now()} returns the id of the checkpoint it resumed from).
 */
public final class Checkpoint {
    private static final List<CheckpointListener> LISTENERS = new CopyOnWriteArrayList<>();
    private static Thread dispatcher;

    private Checkpoint() {
    }

    /** Whether the app runs on a vheap device VM. */
    public static boolean available() {
        try {
            return vmPresent();
        } catch (UnsatisfiedLinkError notOnVheap) {
            return false;
        }
    }

    /**
     * Takes a checkpoint of the whole app (all its threads) at the next safepoint and returns its id.
     *
     * @throws IllegalStateException when the app does not run on a vheap device
     */
    public static long now() {
        long ticket;
        try {
            ticket = request();
        } catch (UnsatisfiedLinkError notOnVheap) {
            throw new IllegalStateException("not running on a vheap device: no checkpoint taken");
        }
        while (true) {
            long id = result(ticket);
            if (id != 0) {
                return id;
            }
            Thread.yield(); // the checkpoint is taken at the next safepoint
        }
    }

    /**
     * Adds a listener; the first one starts the daemon thread that delivers events. Has no effect (and
     * starts nothing) when the app does not run on a vheap device.
     */
    public static synchronized void addListener(CheckpointListener listener) {
        if (listener == null) {
            throw new NullPointerException("listener");
        }
        if (!available()) {
            return;
        }
        LISTENERS.add(listener);
        startEvents();
    }

    /** Starts the daemon thread that delivers the device's events to listeners, once. */
    static synchronized void startEvents() {
        if (dispatcher == null && available()) {
            dispatcher = new Thread(Checkpoint::deliverEvents, "vheap-events");
            dispatcher.setDaemon(true);
            dispatcher.start();
        }
    }

    public static void removeListener(CheckpointListener listener) {
        LISTENERS.remove(listener);
    }

    private static void deliverEvents() {
        while (true) {
            String event = nextEvent();
            if (event == null) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
                continue;
            }
            // "checkpointed <id>", "failed <reason>", "resumed <id> <device>", "lost <lease id> <resource>"
            String[] parts = event.split(" ", 3);
            if (parts[0].equals("lost")) {
                Leases.lost(Long.parseLong(parts[1]), parts.length > 2 ? parts[2] : "");
                continue;
            }
            for (CheckpointListener l : LISTENERS) {
                try {
                    switch (parts[0]) {
                        case "checkpointed" -> l.checkpointed(Long.parseLong(parts[1]));
                        case "failed" -> l.checkpointFailed(event.substring("failed ".length()));
                        case "resumed" -> l.resumed(Long.parseLong(parts[1]), parts.length > 2 ? parts[2] : "");
                        default -> {
                        }
                    }
                } catch (RuntimeException e) {
                    // a failing listener does not stop the others
                }
            }
        }
    }

    // ---- VM entry points: replaced by the vheap device VM; elsewhere they fail with UnsatisfiedLinkError ----

    private static native boolean vmPresent();

    /** Asks for a checkpoint; returns a ticket for {@link #result}. */
    private static native long request();

    /** The checkpoint that served the ticket, or 0 while pending. */
    private static native long result(long ticket);

    /** The next event for the listeners, or null. */
    private static native String nextEvent();
}
