package org.vheap.device.vm.natives;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.io.ByteArrayOutputStream;
import org.vheap.device.vm.JavaError;
import org.vheap.device.vm.Vm;
import org.vheap.device.vm.net.HostSockets;

/**
 * {@code java.net} and {@code java.nio.channels} sockets ({@code Socket}, {@code ServerSocket}, {@code SocketChannel},
 * {@code ServerSocketChannel}) over the device's host sockets ({@link HostSockets}, leased on its network). The JDK's
 * {@code NioSocketImpl} and channel classes run unmodified; their natives ({@code sun.nio.ch.Net},
 * {@code SocketDispatcher}, the socket side of {@code FileDispatcherImpl}) go to the host sockets, always
 * non-blocking: where the JDK would block it polls ({@code Net.poll}), which waits in the VM's socket poller as boot
 * class {@code org.vheap.device.boot.net.HeapSockets} does. Addresses are IPv4 (the VM reports no IPv6, as a host with
 * IPv6 disabled does); names resolve through the device host's resolver. Datagram and multicast sockets are refused
 * with a SocketException saying so.
 */
final class SocketNatives {
    private static final String NET = "sun/nio/ch/Net";
    private static final String FD = "Ljava/io/FileDescriptor;";
    private static final String INET = "Ljava/net/InetAddress;";
    private static final String HEAP_SOCKETS = "org/vheap/device/boot/net/HeapSockets";
    private static final String DISPATCHER = "sun/nio/ch/FileDispatcherImpl";
    /** struct iovec on a 64-bit machine: base u8, length u8. */
    private static final int IOVEC = 16;
    /** The VM's struct epoll_event: events u4 at 0, the descriptor u4 at 8. */
    private static final int EVENT = 16;
    private static final String NO_MULTICAST = "multicast is not available to apps on a vheap device";

    private final Vm vm;
    private final HostSockets sockets;
    private final BootCalls boot;

    private SocketNatives(Vm vm) {
        this.vm = vm;
        this.sockets = vm.sockets();
        this.boot = new BootCalls(vm, HEAP_SOCKETS);
    }

    static void register(Natives n, Vm vm) {
        SocketNatives natives = new SocketNatives(vm);
        natives.registerNet(n);
        natives.registerDispatchers(n);
        natives.registerAddresses(n);
        natives.registerHeapSockets(n);
        natives.registerSelectors(n);
    }

    private int number(long fileDescriptor) {
        return FileNatives.number(vm, (int) fileDescriptor);
    }

    private void registerNet(Natives n) {
        for (String no : new String[] {"isIPv6Available0", "isReusePortAvailable0", "shouldSetBothIPv4AndIPv6Options0",
                "canIPv6SocketJoinIPv4Group0", "canJoin6WithIPv4Group0", "canUseIPv6OptionsWithIPv4LocalAddress0"}) {
            n.register(NET, no, "()Z", (t, s, b) -> 0);
        }
        n.register(NET, "isExclusiveBindAvailable", "()I", (t, s, b) -> -1);
        n.register(NET, "initIDs", "()V", Natives.nothing());
        int[] pollBits = {HostSockets.POLLIN, HostSockets.POLLOUT, HostSockets.POLLERR, HostSockets.POLLHUP,
                HostSockets.POLLNVAL, HostSockets.POLLOUT};
        String[] pollNames = {"pollinValue", "polloutValue", "pollerrValue", "pollhupValue", "pollnvalValue", "pollconnValue"};
        for (int i = 0; i < pollBits.length; i++) {
            int bit = pollBits[i];
            n.register(NET, pollNames[i], "()S", (t, s, b) -> bit);
        }
        n.register(NET, "socket0", "(ZZZZ)I", (t, s, b) -> sockets.open(s[b + 1] != 0, s[b + 2] != 0));   // reuse: a server socket
        n.register(NET, "bind0", "(" + FD + "ZZ" + INET + "I)V", (t, s, b) -> {
            sockets.bind(number(s[b]), ipv4((int) s[b + 3]), (int) s[b + 4]);
            return 0;
        });
        n.register(NET, "listen", "(" + FD + "I)V", (t, s, b) -> {
            sockets.localAddress(number(s[b]));   // a bound socket listens from its bind on: only a bad one fails
            return 0;
        });
        n.register(NET, "connect0", "(Z" + FD + INET + "I)I", (t, s, b) ->
                sockets.connect(number(s[b + 1]), ipv4((int) s[b + 2]), (int) s[b + 3]));
        boot.forward(n, NET, "pollConnect", "(" + FD + "J)Z", "pollConnect", "(" + FD + "J)Z", false);
        boot.forward(n, NET, "accept", "(" + FD + FD + "[Ljava/net/InetSocketAddress;)I", "accept",
                "(" + FD + FD + "[Ljava/net/InetSocketAddress;)I", false);
        boot.forward(n, NET, "poll", "(" + FD + "IJ)I", "poll", "(" + FD + "IJ)I", false);
        n.register(NET, "shutdown", "(" + FD + "I)V", (t, s, b) -> {
            sockets.shutdown(number(s[b]), (int) s[b + 1]);
            return 0;
        });
        n.register(NET, "localPort", "(" + FD + ")I", (t, s, b) -> sockets.localAddress(number(s[b])).getPort());
        n.register(NET, "remotePort", "(" + FD + ")I", (t, s, b) -> {
            InetSocketAddress remote = sockets.remoteAddress(number(s[b]));
            return remote == null ? 0 : remote.getPort();
        });
        boot.forward(n, NET, "localInetAddress", "(" + FD + ")" + INET, "localInetAddress", "(" + FD + ")" + INET, false);
        boot.forward(n, NET, "remoteInetAddress", "(" + FD + ")" + INET, "remoteInetAddress", "(" + FD + ")" + INET, false);
        n.register(NET, "getIntOption0", "(" + FD + "ZII)I", (t, s, b) ->
                sockets.getOption(number(s[b]), (int) s[b + 2], (int) s[b + 3]));
        n.register(NET, "setIntOption0", "(" + FD + "ZIIIZ)V", (t, s, b) -> {
            sockets.setOption(number(s[b]), (int) s[b + 2], (int) s[b + 3], (int) s[b + 4]);
            return 0;
        });
        n.register(NET, "available", "(" + FD + ")I", (t, s, b) -> {
            sockets.localAddress(number(s[b]));   // a closed or lost socket fails here
            return 0;
        });
        n.register(NET, "sendOOB", "(" + FD + "B)I", (t, s, b) -> {
            throw new JavaError("java/net/SocketException", "urgent data is not available to apps on a vheap device");
        });
        n.register(NET, "discardOOB", "(" + FD + ")Z", (t, s, b) -> 0);
        for (String[] m : new String[][] {{"joinOrDrop4", "(Z" + FD + "III)I"}, {"blockOrUnblock4", "(Z" + FD + "III)I"},
                {"joinOrDrop6", "(Z" + FD + "[BI[B)I"}, {"blockOrUnblock6", "(Z" + FD + "[BI[B)I"},
                {"setInterface4", "(" + FD + "I)V"}, {"getInterface4", "(" + FD + ")I"},
                {"setInterface6", "(" + FD + "I)V"}, {"getInterface6", "(" + FD + ")I"}}) {
            n.register(NET, m[0], m[1], (t, s, b) -> {
                throw new JavaError("java/net/SocketException", NO_MULTICAST);
            });
        }
    }

    private void registerDispatchers(Natives n) {
        n.register("sun/nio/ch/SocketDispatcher", "read0", "(" + FD + "JI)I", (t, s, b) ->
                readNative(number(s[b]), s[b + 1], (int) s[b + 3]));
        n.register("sun/nio/ch/SocketDispatcher", "readv0", "(" + FD + "JI)J", (t, s, b) ->
                vectored(number(s[b]), s[b + 1], (int) s[b + 3], this::readNative));
        n.register(DISPATCHER, "write0", "(" + FD + "JI)I", (t, s, b) ->
                writeNative(socket(s[b]), s[b + 1], (int) s[b + 3]));
        n.register(DISPATCHER, "writev0", "(" + FD + "JI)J", (t, s, b) ->
                vectored(socket(s[b]), s[b + 1], (int) s[b + 3], this::writeNative));
        n.register(DISPATCHER, "close0", "(" + FD + ")V", (t, s, b) -> {
            sockets.close(socket(s[b]));
            return 0;
        });
        n.register(DISPATCHER, "closeIntFD", "(I)V", (t, s, b) -> {
            sockets.close((int) s[b]);
            return 0;
        });
        n.register("java/net/SocketCleanable", "cleanupClose0", "(I)V", (t, s, b) -> {
            sockets.close((int) s[b]);
            return 0;
        });
        n.register("sun/nio/ch/IOUtil", "setfdVal", "(" + FD + "I)V", (t, s, b) -> {
            FileNatives.setNumber(vm, (int) s[b], (int) s[b + 1]);
            return 0;
        });
    }

    /** A socket's descriptor number; the dispatcher's socket natives are reached for sockets only. */
    private int socket(long fileDescriptor) {
        int fd = number(fileDescriptor);
        if (!HostSockets.isSocket(fd)) {
            throw new JavaError("java/io/IOException", "Bad file descriptor");
        }
        return fd;
    }

    /** A native read or write of {@code len} bytes at {@code address}: a count, or a negative IOStatus. */
    private interface Transfer {
        int apply(int fd, long address, int len);
    }

    /** readv/writev over {@code count} iovecs at {@code iovecs}: the total, or the first call's negative status. */
    private long vectored(int fd, long iovecs, int count, Transfer each) {
        long total = 0;
        for (int i = 0; i < count; i++) {
            long iov = iovecs + (long) i * IOVEC;
            int len = (int) vm.nativeMemory().get(iov + 8, 8);
            int moved = each.apply(fd, vm.nativeMemory().get(iov, 8), len);
            if (moved < 0) {
                return total == 0 ? moved : total;
            }
            total += moved;
            if (moved < len) {
                break;
            }
        }
        return total;
    }

    private int readNative(int fd, long address, int len) {
        byte[] bytes = new byte[len];
        int got = sockets.read(fd, bytes, 0, len);
        if (got > 0) {
            vm.nativeMemory().write(address, bytes, got);
        }
        return got;
    }

    private int writeNative(int fd, long address, int len) {
        return sockets.write(fd, vm.nativeMemory().read(address, len), 0, len);
    }

    private void registerAddresses(Natives n) {
        for (String owner : new String[] {"java/net/InetAddress", "java/net/Inet4Address", "java/net/Inet6Address",
                "java/net/DatagramPacket"}) {
            n.register(owner, "init", "()V", Natives.nothing());
        }
        for (String none : new String[] {"keepAliveOptionsSupported0", "quickAckSupported0", "incomingNapiIdSupported0"}) {
            n.register("jdk/net/LinuxSocketOptions", none, "()Z", (t, s, b) -> 0);   // jdk.net's extended options: none
        }
        n.register("java/net/InetAddressImplFactory", "isIPv6Supported", "()Z", (t, s, b) -> 0);
        String impl = "java/net/Inet4AddressImpl";
        n.register(impl, "getLocalHostName", "()Ljava/lang/String;", (t, s, b) -> vm.strings().newString("localhost"));
        boot.forward(n, impl, "lookupAllHostAddr", "(Ljava/lang/String;)[" + INET, "lookupAllHostAddr",
                "(Ljava/lang/Object;Ljava/lang/String;)[" + INET, false);
        n.register(impl, "getHostByAddr", "([B)Ljava/lang/String;", (t, s, b) -> {
            byte[] ip = vm.bytesOf((int) s[b + 1], 0, vm.arrayLength((int) s[b + 1]));
            try {
                InetAddress a = InetAddress.getByAddress(ip);
                String name = a.getHostName();
                if (name.equals(a.getHostAddress())) {
                    throw new JavaError("java/net/UnknownHostException", null);
                }
                return vm.strings().newString(name);
            } catch (UnknownHostException e) {
                throw new JavaError("java/net/UnknownHostException", e.getMessage());
            }
        });
        n.register(impl, "isReachable0", "([BI[BI)Z", (t, s, b) -> 0);
    }

    private void registerHeapSockets(Natives n) {
        n.register(HEAP_SOCKETS, "number", "(" + FD + ")I", (t, s, b) -> number(s[b]));
        n.register(HEAP_SOCKETS, "setNumber", "(" + FD + "I)V", (t, s, b) -> {
            FileNatives.setNumber(vm, (int) s[b], (int) s[b + 1]);
            return 0;
        });
        n.register(HEAP_SOCKETS, "await", "(IIJ)I", (t, s, b) -> sockets.await(t, (int) s[b], (int) s[b + 1], s[b + 2]));
        n.register(HEAP_SOCKETS, "finishConnect", "(I)Z", (t, s, b) -> sockets.finishConnect((int) s[b]) ? 1 : 0);
        n.register(HEAP_SOCKETS, "accept0", "(I)I", (t, s, b) -> sockets.accept((int) s[b]));
        n.register(HEAP_SOCKETS, "address", "(IZ)[B", (t, s, b) -> {
            InetSocketAddress a = s[b + 1] != 0 ? sockets.localAddress((int) s[b]) : sockets.remoteAddress((int) s[b]);
            return a == null ? 0 : vm.newByteArray(a.getAddress().getAddress());
        });
        n.register(HEAP_SOCKETS, "port", "(IZ)I", (t, s, b) -> {
            InetSocketAddress a = s[b + 1] != 0 ? sockets.localAddress((int) s[b]) : sockets.remoteAddress((int) s[b]);
            return a == null ? 0 : a.getPort();
        });
        n.register(HEAP_SOCKETS, "lookup", "(Ljava/lang/String;)[B", (t, s, b) -> {
            try {
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                for (InetAddress a : InetAddress.getAllByName(vm.strings().hostString((int) s[b]))) {
                    if (a.getAddress().length == 4) {
                        all.writeBytes(a.getAddress());
                    }
                }
                return vm.newByteArray(all.toByteArray());
            } catch (UnknownHostException e) {
                return 0;
            }
        });
        n.register(HEAP_SOCKETS, "read", "(I[BII)I", (t, s, b) -> {
            int len = (int) s[b + 3];
            byte[] bytes = new byte[len];
            int got = sockets.read((int) s[b], bytes, 0, len);
            if (got > 0) {
                vm.putBytes((int) s[b + 1], (int) s[b + 2], bytes, got);
            }
            return got;
        });
        n.register(HEAP_SOCKETS, "write", "(I[BII)I", (t, s, b) ->
                sockets.write((int) s[b], vm.bytesOf((int) s[b + 1], (int) s[b + 2], (int) s[b + 3]), 0, (int) s[b + 3]));
    }

    /**
     * Selectors: the JDK's {@code EPollSelectorImpl} over the host sockets' poll sets and wake-ups. Its events array is
     * native memory the JDK allocates; an event is {@link #EVENT} bytes, its poll bits at 0 and its descriptor at 8.
     */
    private void registerSelectors(Natives n) {
        String epoll = "sun/nio/ch/EPoll";
        n.register(epoll, "eventSize", "()I", (t, s, b) -> EVENT);
        n.register(epoll, "eventsOffset", "()I", (t, s, b) -> 0);
        n.register(epoll, "dataOffset", "()I", (t, s, b) -> 8);
        n.register(epoll, "create", "()I", (t, s, b) -> sockets.createPollSet());
        n.register(epoll, "ctl", "(IIII)I", (t, s, b) -> sockets.control((int) s[b], (int) s[b + 1], (int) s[b + 2], (int) s[b + 3]));
        boot.forward(n, epoll, "wait", "(IJII)I", "epollWait", "(IJII)I", false);
        n.register(HEAP_SOCKETS, "awaitEvents", "(IJIJ)I", (t, s, b) -> {
            long address = s[b + 1];
            int[] pairs = sockets.awaitEvents(t, (int) s[b], (int) s[b + 3], s[b + 4]);
            for (int i = 0; i < pairs.length; i += 2) {
                long event = address + (long) (i / 2) * EVENT;
                vm.nativeMemory().put(event, 4, pairs[i + 1]);
                vm.nativeMemory().put(event + 8, 4, pairs[i]);
            }
            return pairs.length / 2;
        });
        n.register("sun/nio/ch/EventFD", "eventfd0", "()I", (t, s, b) -> sockets.createWakeUp());
        n.register("sun/nio/ch/EventFD", "set0", "(I)I", (t, s, b) -> {
            sockets.signal((int) s[b]);
            return 0;
        });
        n.register("sun/nio/ch/IOUtil", "drain", "(I)Z", (t, s, b) -> sockets.reset((int) s[b]) ? 1 : 0);
    }

    /** An InetAddress object's IPv4 address (its holder's {@code address}); IPv6 is refused as the VM has none. */
    private byte[] ipv4(int inetAddress) {
        if (inetAddress == 0) {
            throw new JavaError("java/lang/NullPointerException", null);
        }
        if (!vm.classOf(inetAddress).name().equals("java/net/Inet4Address")) {
            throw new JavaError("java/net/SocketException", "Protocol family unavailable");
        }
        int holder = vm.getIntField(inetAddress, vm.field("java/net/InetAddress", "holder"));
        int ip = vm.getIntField(holder, vm.field("java/net/InetAddress$InetAddressHolder", "address"));
        return new byte[] {(byte) (ip >>> 24), (byte) (ip >>> 16), (byte) (ip >>> 8), (byte) ip};
    }
}
