/**
 * {@code ./vheap bench fleet}: many devices' store traffic at once against one heap server, or a gateway in front of
 * several. Each {@link org.vheap.server.fleet.FleetDevice} is a synthetic device with the real store client
 * ({@code HeapStoreClient}) making the calls a device makes (open, lease renewals, faults, counted flushes,
 * checkpoints), one call per step, think time between; {@link org.vheap.server.fleet.FleetRun} drives them on a pool
 * of threads and {@link org.vheap.server.fleet.FleetStats} collects what they saw, interval by interval;
 * {@link org.vheap.server.fleet.ProcessMemory} reads the heap server's resident memory; the command
 * ({@code cli.FleetBench}) prints the table and the raw batched JDBC writes on the same database beside it.
 */
package org.vheap.server.fleet;
