/**
 * The app's sockets on the device's host. The seed makes host resources leased, and a connection is the clearest
 * case of a resource that cannot move with a heap: its peer talks to one host. So a socket here is a host socket
 * ({@link org.vheap.device.vm.net.HostSockets}: descriptor numbers to non-blocking NIO channels), opened under a lease
 * on the device's network ({@link org.vheap.device.vm.net.NetworkGate}, the device's resource {@code net}), recorded
 * by a checkpoint and lost at a resume — its next use throws, its lease is reported lost — except a listening socket,
 * which is bound again where the network and its port are there.
 *
 * <p>The JDK's socket classes run unmodified in the VM; their natives ({@code vm.natives.SocketNatives}) call in here.
 * Where the JDK would block, a green thread waits in the {@link org.vheap.device.vm.net.SocketPoller} (a host
 * {@code Selector}) and the others run; the VM's run loop polls it between quanta and blocks in it when every thread
 * waits. An app's own selectors are the JDK's {@code EPollSelectorImpl} over {@link org.vheap.device.vm.net.PollSet}s
 * and {@link org.vheap.device.vm.net.WakeUp}s, descriptors like sockets, waiting the same way. Everything is confined
 * to the VM's interpreter host thread.
 */
package org.vheap.device.vm.net;
