package org.vheap.server.store;

import javax.sql.DataSource;

/**
 * Where the statements of one heap's line calls (faults and flushes: {@link PgHeapStore#transact}) are sent. On one
 * PostgreSQL, and on Citus by default, that is the store's one pool. With {@code --citus-route-to-workers} it is a pool
 * on the Citus worker that holds the heap's shard, so those statements skip the coordinator's hop and planning
 * ({@link HeapDatabase#routing()}). Every other call (leases, commits, anything that takes an id from a sequence) goes
 * to the store's pool.
 *
 * <p>Routing only saves time: a statement sent to any node of a Citus cluster reaches the heap's shard, so a heap
 * routed to the wrong node (its shard just moved) still reads and writes the same rows.
 */
public interface HeapRouting {
    /** The pool for the statements of heap {@code heapId}. */
    DataSource forHeap(long heapId);

    /** Every heap's statements to {@code pool}. */
    static HeapRouting to(DataSource pool) {
        return heapId -> pool;
    }
}
