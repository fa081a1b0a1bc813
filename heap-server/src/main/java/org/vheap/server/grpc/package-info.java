/**
 * The {@code vheap.v1.HeapStore} gRPC service over {@link org.vheap.server.store.PgHeapStore}. Store
 * failures become statuses with a message (see {@code StoreStatus}); streaming reads honour flow control;
 * checkpoint commits stream in and are published in one store transaction at half-close.
 */
package org.vheap.server.grpc;
