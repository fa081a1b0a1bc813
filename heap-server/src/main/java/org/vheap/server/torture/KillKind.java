package org.vheap.server.torture;

import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Where the matrix kills: a device at a random moment or at one of the crash points of its collector or of its writes
 * to the store ({@code --crash-at}, the device's {@code CrashPoint}s), the heap server with its PostgreSQL, one PostgreSQL
 * backend, or the gateway in front of the server. Each kind names the device options its run needs.
 */
public enum KillKind {
    /** The device at a random moment after it counted: mostly inside a checkpoint (one per count) or a flush. */
    DEVICE("device, running"),
    /** The device half way through a minor collection (originals forwarded, copies not yet scanned). */
    DEVICE_MINOR("device, minor collection"),
    /** The device just after it copied an object from the nursery into the user heap. */
    DEVICE_PROMOTION("device, promotion"),
    /** The device in a young collection of the user heap ({@code --young}), marked but not swept. */
    DEVICE_YOUNG("device, young collection"),
    /** The device with a flush (an eviction's write) acknowledged by the store, its lines not yet clean. */
    DEVICE_FLUSH("device, flushing"),
    /** The device with a pre-flush of a checkpoint's lines acknowledged in the background, not yet taken in. */
    DEVICE_PREFLUSH("device, pre-flushing"),
    /** The device with a checkpoint committed by the store, the app not told yet. */
    DEVICE_COMMIT("device, checkpointing"),
    /** The heap server's JVM and its PostgreSQL at once, while the device calls it; both started again. */
    SERVER("heap server + PostgreSQL"),
    /** One PostgreSQL backend of the heap server's pool: PostgreSQL ends the others and recovers in place. */
    POSTGRES("PostgreSQL backend"),
    /** The gateway the devices reach the server through (chosen: they do), while they call it; started again. */
    GATEWAY("gateway");

    private final String label;

    KillKind(String label) {
        this.label = label;
    }

    /** Its row's name in the table. */
    public String label() {
        return label;
    }

    /** Its name on the command line ({@code device-minor}). */
    public String optionName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses {@link #optionName()}; IllegalArgumentException naming the choices. */
    public static KillKind parse(String name) {
        for (KillKind k : values()) {
            if (k.optionName().equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("no kill kind '" + name + "': one of "
                + String.join(", ", java.util.Arrays.stream(values()).map(KillKind::optionName).toList()));
    }

    /** Whether it kills the device (at a random moment or at a crash point), not a process the device calls. */
    public boolean killsTheDevice() {
        return name().startsWith("DEVICE");
    }

    /** Whether it kills the device at a crash point, so that its device must be started for it. */
    boolean atCrashPoint() {
        return this != DEVICE && killsTheDevice();
    }

    /** The extra options of the device run this kind kills ({@code --crash-at minor:17}), drawn from {@code random}. */
    List<String> deviceOptions(Random random) {
        return switch (this) {
            case DEVICE_MINOR -> List.of("--crash-at", "minor:" + (1 + random.nextInt(40)));
            case DEVICE_PROMOTION -> List.of("--crash-at", "promotion:" + (1 + random.nextInt(1500)));
            case DEVICE_YOUNG -> List.of("--crash-at", "young:" + (1 + random.nextInt(3)), "--young");
            case DEVICE_FLUSH -> List.of("--crash-at", "flush:" + (1 + random.nextInt(20)));
            case DEVICE_PREFLUSH -> List.of("--crash-at", "preflush:" + (1 + random.nextInt(5)));
            case DEVICE_COMMIT -> List.of("--crash-at", "commit:" + (1 + random.nextInt(10)));
            default -> List.of();
        };
    }
}
