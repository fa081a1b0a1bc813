package org.vheap.device.cli;

import java.time.Duration;
import java.util.function.IntSupplier;
import org.vheap.device.Device;
import org.vheap.device.DeviceException;

/**
 * Runs an app so that Ctrl-C or SIGTERM suspends it with a checkpoint rather than losing its work since the
 * last one: a shutdown hook asks the device to suspend and waits (bounded) until the checkpoint is committed.
 * A suspended run exits with status 0 after one line saying how to resume it (also when a signal suspended it).
 */
final class SuspendOnSignal {
    private static final Duration SUSPEND_TIMEOUT = Duration.ofSeconds(20);

    private SuspendOnSignal() {
    }

    static int around(Device device, DeviceOptions options, IntSupplier run) {
        java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
        Thread hook = new Thread(() -> {
            try {
                long id = device.suspend(SUSPEND_TIMEOUT);
                // the run returns once its heap is closed: the lease released, so another device resumes at once
                try {
                    if (!released.await(SUSPEND_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                        System.err.println("vheap: app " + options.app + " is checkpointed but its lease was not released;"
                                + " resume it with --wait-lease once the lease expires");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                System.err.println(resumeHint(options, id));
                System.out.flush();
                System.err.flush();
                // a suspend is a success: exit 0 rather than the signal's 143 (halt: the app's VM is done already)
                Runtime.getRuntime().halt(0);
            } catch (DeviceException e) {
                System.err.println("vheap: app " + options.app + " was not suspended: " + e.getMessage());
            }
        }, "vheap-suspend-on-signal");
        Runtime.getRuntime().addShutdownHook(hook);
        int exit;
        try {
            exit = run.getAsInt();
        } finally {
            released.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs (or ran): it reports
                return 0;
            }
        }
        if (exit == Device.SUSPENDED) {
            System.err.println(resumeHint(options, device.lastCheckpointId()));
            return 0;
        }
        return exit;
    }

    private static String resumeHint(DeviceOptions options, long checkpoint) {
        return "vheap: app " + options.app + " suspended at checkpoint " + checkpoint + "; go on with: ./vheap device resume --app "
                + options.app + (options.server != null ? " --server " + options.server : "");
    }
}
