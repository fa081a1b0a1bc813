/**
 * What every side of the heap-store contract shares beyond the generated messages: the one
 * {@link org.vheap.store.StoreException} (a store call that failed and changed nothing, with its reason) and
 * {@link org.vheap.store.StoreStatusCodes}, how a reason crosses the wire as a gRPC status and comes back as
 * the same reason. The heap server's store throws it, its gRPC service answers it, the device's stores throw
 * and rebuild it.
 */
package org.vheap.store;
