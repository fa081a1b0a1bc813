/**
 * The test fixtures shared by the heap server's tests and, through the heap server's test jar
 * ({@code vheap-heap-server}, type {@code test-jar}), by the device client's and other modules' tests:
 * one embedded PostgreSQL for the whole test run ({@link org.vheap.server.testing.TestDatabase}), a real
 * heap server per test class, in process or on loopback, with a channel
 * ({@link org.vheap.server.testing.TestHeapServer}), the run's heap server for clients that dial an address
 * ({@link org.vheap.server.testing.RunWideHeapServer}), a movable clock
 * ({@link org.vheap.server.testing.MutableClock}), test data ({@link org.vheap.server.testing.TestHeaps}) and an
 * address where nothing answers, with what commands say of it ({@link org.vheap.server.testing.UnreachableServer}).
 * Only this package is in the test jar.
 */
package org.vheap.server.testing;
