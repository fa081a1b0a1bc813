/**
 * The control plane: the {@code vheap.v1.DeviceControl} service. Devices attach with a long-lived stream
 * ({@code Attach}) and register (name, memory, resources, running apps); operators ask the server to
 * suspend, resume and migrate apps, and the server pushes the matching commands down the device's stream
 * and waits for its answer.
 *
 * <ul>
 *   <li>{@link org.vheap.server.control.DeviceRegistry} — the attached devices and the commands pending on
 *       them, in memory (a server restart forgets them; devices attach again). At most one attachment per
 *       device name: the newer replaces the older.</li>
 *   <li>{@link org.vheap.server.control.DeviceControlService} — the gRPC service: finds where an app runs
 *       from its heap's lease in the store (the lease holder is the device running it), checks every
 *       precondition before it sends anything, then sends commands and turns the device's answers (or
 *       their absence) into statuses.</li>
 * </ul>
 *
 * <p>Choices: a command waits for its answer for a bounded time (the server's command timeout, 30 s by
 * default) and then fails with DEADLINE_EXCEEDED; the device may still carry it out, and a late answer is
 * dropped. Waiting is asynchronous: no gRPC thread is held while a device works. An app "runs" on a device
 * when that device holds an unexpired lease on its heap (the store's clock decides); an app nobody holds
 * is suspended, and may be resumed anywhere.
 */
package org.vheap.server.control;
