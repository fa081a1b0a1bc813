/**
 * The device's side of the control plane ({@code vheap.v1.DeviceControl}): a device attaches to its heap
 * server when it starts, registers (name, memory, resources, running apps) and keeps the control stream
 * open, so the server can push suspend, resume and stop requests to it.
 *
 * <ul>
 *   <li>{@link org.vheap.device.control.DeviceControlClient} — the stream: attach, register, answer
 *       commands, report app states, reconnect with bounded backoff when the stream breaks.</li>
 *   <li>{@link org.vheap.device.control.DeviceControlHandler} — what the server may ask of a device; the
 *       device implements it over its VMs.</li>
 *   <li>{@link org.vheap.device.control.DeviceRegistration} — what the device tells the server about itself.</li>
 * </ul>
 *
 * <p>Choices: each command runs on its own thread of the client's command executor, so a long suspend
 * does not hold up the stream or other commands; an answer goes back on the stream the command came on
 * (if that stream broke meanwhile, the server has already failed the command). The registration is sent
 * afresh on every reconnect, with the apps running then. A newer attach of the same device name makes the
 * server end this stream with ABORTED; the client then stops reconnecting rather than fight over the name,
 * and likewise after INVALID_ARGUMENT (the registration itself is wrong).
 */
package org.vheap.device.control;
