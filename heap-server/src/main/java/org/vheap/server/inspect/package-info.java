/**
 * Heap inspection on the server: a committed checkpoint read whole from the store into a spool file
 * ({@link org.vheap.server.inspect.HeapSnapshots}, which keeps the last few), and the questions asked of its objects
 * ({@link org.vheap.server.inspect.HeapSnapshot}: histogram, objects of a class, strings, one object, a path from the
 * roots). The heap's format and the walk itself are heap-format's ({@link org.vheap.format.HeapGraph}), the same
 * definitions the device VM lays its heap out by; the calls that serve them are {@code grpc.HeapInspectionCalls}.
 */
package org.vheap.server.inspect;
