package org.vheap.device.store;

import java.time.Duration;
import java.util.Objects;

/**
 * What a device asks for when it opens an app's heap.
 *
 * @param app              the application's name
 * @param device           the device taking the lease
 * @param create           create the heap if it does not exist
 * @param lineSize         bytes per line on create (power of two, 64..1 MiB); ignored for an existing heap
 * @param lease            how long the lease lasts without renewal; {@link Duration#ZERO} for the store's default
 * @param baseCheckpointId the checkpoint to start from; 0 for the newest
 */
public record OpenRequest(String app, String device, boolean create, int lineSize, Duration lease,
                          long baseCheckpointId) {
    public OpenRequest {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(lease, "lease");
        if (lineSize != 0 && (lineSize < 64 || lineSize > (1 << 20) || Integer.bitCount(lineSize) != 1)) {
            throw new IllegalArgumentException("line size must be a power of two from 64 to 1 MiB, got " + lineSize);
        }
    }

    /** Opens or creates {@code app} from its newest checkpoint with the store's default lease. */
    public static OpenRequest create(String app, String device, int lineSize) {
        return new OpenRequest(app, device, true, lineSize, Duration.ZERO, 0);
    }
}
