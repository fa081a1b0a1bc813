/**
 * The {@code vheap.v1.HeapStore} gRPC service over {@link org.vheap.server.store.PgHeapStore}. Store
 * failures become statuses with a message (see {@code StoreStatus}); streaming reads honour flow control;
 * checkpoint commits stream in and are published in one store transaction at half-close. Every call is
 * checked by the {@link org.vheap.server.auth.AccessPolicy} first (per-app and admin tokens), and requests
 * naming too many line ids are refused with INVALID_ARGUMENT.
 */
package org.vheap.server.grpc;
