/**
 * The app's sockets, as boot classes the VM interprets: the Java half of the JDK's socket natives (addresses built in
 * the app's heap, a green thread's wait for a socket). The sockets themselves are host sockets of the device, leased on
 * its network and never carried by a checkpoint ({@code org.vheap.device.vm.net}).
 */
package org.vheap.device.boot.net;
