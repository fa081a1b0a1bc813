/**
 * What every client of the heap store shares: {@link org.vheap.client.HeapStoreClient} (the generated stubs
 * with a deadline, and a checkpoint commit streamed in batches), {@link org.vheap.client.VheapHeaders} (the
 * {@code vheap-app} and {@code vheap-device} headers a gateway routes and limits by) and
 * {@link org.vheap.client.ServerUnreachable} (the one sentence for "nothing answers at HOST:PORT", which the
 * channels' status hints put into a failed call's status). Channels are the callers' to build and close.
 */
package org.vheap.client;
