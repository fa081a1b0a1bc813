package org.vheap.device.store;

import org.vheap.store.StoreException;

/**
 * The device's view of a heap store: where an application's virtual heap lives (the seed's "store",
 * figures 11a-c). Implementations: {@link MemoryHeapStore} (in this process, for tests and
 * {@code --store memory}), {@link GrpcHeapStore} (a heap server, directly or through a gateway), the flash store
 * ({@code --store flash:DIR}, a log on the device) and that store in front of a heap server.
 *
 * <p>A store serves many apps. {@link #openHeap} takes the app's exclusive writer lease and returns a
 * {@link HeapSession}, through which every line read, flush and checkpoint of that app goes. The system
 * blobs (read-only, content-addressed class files shared by every app) are store-wide.
 *
 * <p>Every method either completes or throws {@link StoreException}; none returns a partial result.
 * Implementations are thread-safe.
 */
public interface HeapStore extends AutoCloseable {

    /**
     * Opens (and, when {@code request.create()}, creates) an app's heap and takes its lease.
     *
     * @throws StoreException {@code LEASE_HELD} while another device holds the lease, {@code NOT_FOUND}
     *         when the app does not exist and create is false, {@code UNAVAILABLE} when unreachable
     */
    HeapSession openHeap(OpenRequest request);

    /**
     * The system blobs of this store: content-addressed class files shared by all apps, which the VMs' system
     * segments hold. {@code app} names the app on
     * whose behalf the calls are made (a gateway routes and authorizes by it); the blobs are store-wide.
     */
    SystemBlobStore systemBlobs(String app);

    /**
     * Whether what is committed here outlives this process: true for a heap server (and for any store that keeps
     * its heaps), false for {@link MemoryHeapStore}. A device checkpoints on its own by default only on a store
     * that persists ({@code DeviceConfig#checkpointInterval}): on one that does not, a checkpoint protects nothing
     * from a crash.
     */
    default boolean persistent() {
        return true;
    }

    /**
     * Connects now rather than at the first call, and warms the call path with a call that changes nothing (a device
     * that waits for apps: its first resume then finds both ready). May block up to a call's deadline; a store with
     * nothing to connect does nothing.
     */
    default void connect() {
    }

    /** Releases connections; sessions still open are abandoned (their leases expire on the server). */
    @Override
    void close();
}
