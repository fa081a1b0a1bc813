package org.vheap.device.boot.net;

import java.io.FileDescriptor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The app's sockets, the Java half: what the JDK's socket natives do that needs objects of the app's heap
 * ({@code InetAddress}es, the accepted socket's address) or a green thread's wait, written in Java and interpreted
 * like the JDK. The host half — the sockets themselves, under a lease on the device's network — is the VM's
 * ({@code vm.net.HostSockets}); the natives below are its entry points.
 */
public final class HeapSockets {
    /** The first socket descriptor (HostSockets.FIRST): a lower number is a file's. */
    private static final int FIRST = 1 << 20;
    /** IOStatus.UNAVAILABLE. */
    private static final int UNAVAILABLE = -2;
    /** poll(2)'s POLLOUT. */
    private static final int POLLOUT = 0x4;

    private HeapSockets() {
    }

    /** Whether the descriptor number is a socket's. */
    public static boolean isSocket(int fd) {
        return fd >= FIRST;
    }

    /**
     * {@code Net.poll(fd, events, timeout)}: the events ready, waiting up to {@code millis} (-1: until one is; 0: not
     * at all). The green thread sleeps in the VM's socket poller while it waits; other threads run.
     */
    public static int poll(FileDescriptor fd, int events, long millis) throws IOException {
        int n = number(fd);
        long wait = millis < 0 ? -1 : millis * 1_000_000L;
        long deadline = System.nanoTime() + wait;
        for (;;) {
            int ready = await(n, events, wait);
            if (ready != 0 || wait == 0) {
                return ready;
            }
            if (millis > 0) {
                wait = Math.max(0, deadline - System.nanoTime());
            }
        }
    }

    /**
     * {@code EPoll.wait(epfd, events, max, timeout)}: how many events of the selector's poll set are ready (written to
     * the events array), waiting up to {@code millis} (-1: until one is or the selector is woken; 0: not at all).
     */
    public static int epollWait(int epfd, long events, int max, int millis) throws IOException {
        long wait = millis < 0 ? -1 : millis * 1_000_000L;
        long deadline = System.nanoTime() + wait;
        for (;;) {
            int ready = awaitEvents(epfd, events, max, wait);
            if (ready != 0 || wait == 0) {
                return ready;
            }
            if (millis > 0) {
                wait = Math.max(0, deadline - System.nanoTime());
            }
        }
    }

    /**
     * {@code Net.pollConnect(fd, timeout)}: whether the connection under way is made, waiting up to {@code millis}
     * (-1: until it is made or fails; 0: not at all). A refused connection throws ConnectException.
     */
    public static boolean pollConnect(FileDescriptor fd, long millis) throws IOException {
        if (millis != 0) {
            poll(fd, POLLOUT, millis);
        }
        return finishConnect(number(fd));
    }

    /**
     * {@code Net.accept(fd, newfd, isaa)}: 1 with the new connection's descriptor in {@code newfd} and its peer in
     * {@code isaa[0]}, or IOStatus.UNAVAILABLE when nobody is connecting.
     */
    public static int accept(FileDescriptor fd, FileDescriptor newfd, InetSocketAddress[] isaa) throws IOException {
        int n = accept0(number(fd));
        if (n == UNAVAILABLE) {
            return n;
        }
        setNumber(newfd, n);
        isaa[0] = new InetSocketAddress(remoteInetAddress(newfd), port(n, false));
        return 1;
    }

    /** {@code Net.localInetAddress}. */
    public static InetAddress localInetAddress(FileDescriptor fd) throws IOException {
        return InetAddress.getByAddress(address(number(fd), true));
    }

    /** {@code Net.remoteInetAddress}: null when not connected. */
    public static InetAddress remoteInetAddress(FileDescriptor fd) throws IOException {
        byte[] ip = address(number(fd), false);
        return ip == null ? null : InetAddress.getByAddress(ip);
    }

    /** {@code Inet4AddressImpl.lookupAllHostAddr(host)}: the host's IPv4 addresses, as the device's resolver has them. */
    public static InetAddress[] lookupAllHostAddr(Object impl, String host) throws UnknownHostException {
        byte[] all = lookup(host);
        if (all == null || all.length == 0) {
            throw new UnknownHostException(host + ": Name or service not known");
        }
        InetAddress[] addresses = new InetAddress[all.length / 4];
        for (int i = 0; i < addresses.length; i++) {
            byte[] ip = new byte[4];
            System.arraycopy(all, i * 4, ip, 0, 4);
            addresses[i] = InetAddress.getByAddress(host, ip);
        }
        return addresses;
    }

    // ---- the VM's entry points (vm.natives.SocketNatives) ----

    private static native int number(FileDescriptor fd);

    private static native void setNumber(FileDescriptor fd, int n);

    /** Ready events now; else (wait != 0) the thread sleeps in the poller and 0 is answered. */
    private static native int await(int fd, int events, long waitNanos) throws IOException;

    /** Ready events written to the events array now; else (wait != 0) the thread sleeps in the poller and 0 is answered. */
    private static native int awaitEvents(int epfd, long events, int max, long waitNanos) throws IOException;

    private static native boolean finishConnect(int fd) throws IOException;

    private static native int accept0(int fd) throws IOException;

    private static native byte[] address(int fd, boolean local) throws IOException;

    private static native int port(int fd, boolean local) throws IOException;

    private static native byte[] lookup(String host);

    /** A socket channel's read ({@code IOUtil.read}, through HeapChannels): bytes read, -1 at the end, or -2 (none now). */
    public static native int read(int fd, byte[] b, int off, int len) throws IOException;

    /** A socket channel's write ({@code IOUtil.write}, through HeapChannels): bytes written, or -2 (none now). */
    public static native int write(int fd, byte[] b, int off, int len) throws IOException;
}
