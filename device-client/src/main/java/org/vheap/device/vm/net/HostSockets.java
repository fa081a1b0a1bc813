package org.vheap.device.vm.net;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vheap.device.vm.JavaError;
import org.vheap.device.vm.thread.Scheduler;
import org.vheap.device.vm.thread.VmThread;

/**
 * The app's sockets: descriptors (numbers from {@link #FIRST}, above every file of the heap's file system) to host
 * sockets, the operations the JDK's socket natives need (non-blocking, in {@code IOStatus} terms: a count,
 * {@link #EOF}, or {@link #UNAVAILABLE} when the call would block), and what a checkpoint keeps of them.
 *
 * <p><b>Moves.</b> A connection cannot move with the app (its peer talks to this host), so a checkpoint records each
 * open socket ({@link #encode}) and a resume ({@link #restore}) marks every recorded connection lost: its next use
 * throws a {@code SocketException} saying the connection was lost when the app moved, and its lease is reported lost
 * (the app's lease listeners hear of it). A listening socket is bound again at its address on the new device when the
 * device has the network and the port is free; otherwise it is lost the same way. A socket opened after the
 * checkpoint never existed for the resumed app.
 *
 * <p><b>Selectors.</b> A selector's poll set ({@link PollSet}, the JDK's epoll instance) and wake-up ({@link WakeUp},
 * its eventfd) are descriptors here too, so the JDK's {@code EPollSelectorImpl} runs unmodified; a selector open at
 * a checkpoint is lost at a resume like a connection (its channels are).
 *
 * <p><b>Blocking.</b> Every host channel is non-blocking; a green thread that must wait (the JDK's {@code Net.poll})
 * waits in the {@link SocketPoller}, so other green threads run meanwhile and a checkpoint can be taken.
 *
 * <p>Only the VM's interpreter host thread uses it.
 */
public final class HostSockets {
    /** The first socket descriptor: HeapFiles numbers files from 3 up, far below. */
    public static final int FIRST = 1 << 20;
    /** IOStatus.EOF and IOStatus.UNAVAILABLE. */
    public static final int EOF = -1;
    public static final int UNAVAILABLE = -2;
    /** poll(2)'s bits, as Linux defines them (what the JDK's Net.pollinValue() and friends answer). */
    public static final int POLLIN = 0x1;
    public static final int POLLOUT = 0x4;
    public static final int POLLERR = 0x8;
    public static final int POLLHUP = 0x10;
    public static final int POLLNVAL = 0x20;
    /** The VM state attachment that records the open sockets at a checkpoint. */
    public static final String ATTACHMENT = "sockets";
    /** SOL_SOCKET and its options the JDK reads back, with Linux's numbers. */
    private static final int SOL_SOCKET = 1;
    private static final int SO_SNDBUF = 7;
    private static final int SO_RCVBUF = 8;
    private static final int SO_LINGER = 13;
    private static final int DEFAULT_BUFFER = 65536;
    private static final int BACKLOG = 50;
    private static final String SOCKET_EXCEPTION = "java/net/SocketException";
    /** The errno values epoll_ctl sets. */
    private static final int ENOENT = 2;
    private static final int EBADF = 9;
    private static final int EEXIST = 17;
    private static final int EINVAL = 22;

    private final SocketPoller poller;
    private final Map<Integer, HostSocket> open = new LinkedHashMap<>();
    /** Descriptors a move cut, with the message their next use throws. */
    private final Map<Integer, String> lost = new LinkedHashMap<>();
    private final Map<Integer, PollSet> pollSets = new LinkedHashMap<>();
    private final Map<Integer, WakeUp> wakeUps = new LinkedHashMap<>();
    private NetworkGate gate = NetworkGate.NONE;
    private int next = FIRST;

    public HostSockets(Scheduler scheduler) {
        this.poller = new SocketPoller(scheduler);
    }

    /** The device's network (until set, every socket is refused). */
    public void gate(NetworkGate gate) {
        this.gate = gate;
    }

    /** Whether {@code fd} is a socket's descriptor (open, lost or closed) rather than a file's. */
    public static boolean isSocket(int fd) {
        return fd >= FIRST;
    }

    // ---- the JDK's natives ----

    /**
     * Net.socket0: a new stream socket's descriptor, under a lease on the device's network; {@code server} for a
     * server socket's (which listens from its bind on), else a connection's (whose bind only names its local end).
     */
    public int open(boolean stream, boolean server) {
        if (!stream) {
            throw new JavaError(SOCKET_EXCEPTION, "datagram sockets are not available to apps on a vheap device");
        }
        long lease;
        try {
            lease = gate.open("socket " + next);
        } catch (NetworkGate.Refused e) {
            throw new JavaError(SOCKET_EXCEPTION, "the network is a device resource: " + e.getMessage());
        }
        int fd = next++;
        open.put(fd, new HostSocket(fd, lease, server));
        return fd;
    }

    /** Net.bind0: a server socket listens from here on (a host channel binds and listens at once). */
    public void bind(int fd, byte[] address, int port) {
        HostSocket s = socket(fd);
        java.nio.channels.NetworkChannel ch = null;
        try {
            InetSocketAddress at = new InetSocketAddress(InetAddress.getByAddress(address), port);
            if (s.serverSocket) {
                ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET);
                ch = server;
                server.configureBlocking(false);
                server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                server.bind(at, BACKLOG);
                s.server = server;
            } else {
                SocketChannel channel = SocketChannel.open(StandardProtocolFamily.INET);
                ch = channel;
                channel.configureBlocking(false);
                channel.bind(at);
                s.channel = channel;
            }
            s.local = (InetSocketAddress) ch.getLocalAddress();
        } catch (IOException e) {
            closeQuietly(ch);
            throw javaError(e);
        }
    }

    /** Net.connect0: 1 when connected, {@link #UNAVAILABLE} while the connection is under way. */
    public int connect(int fd, byte[] address, int port) {
        HostSocket s = socket(fd);
        try {
            if (s.channel == null) {
                s.channel = SocketChannel.open(StandardProtocolFamily.INET);
                s.channel.configureBlocking(false);
            }
            s.remote = new InetSocketAddress(InetAddress.getByAddress(address), port);
            applyOptions(s);
            return s.channel.connect(s.remote) ? 1 : UNAVAILABLE;
        } catch (IOException e) {
            throw javaError(e);
        }
    }

    /** Net.pollConnect with no wait: whether the connection is made (an exception when it failed). */
    public boolean finishConnect(int fd) {
        HostSocket s = socket(fd);
        try {
            return s.channel != null && s.channel.finishConnect();
        } catch (IOException e) {
            throw javaError(e);
        }
    }

    /** Net.accept: a new connection's descriptor, or {@link #UNAVAILABLE} when nobody is connecting. */
    public int accept(int fd) {
        HostSocket s = socket(fd);
        if (!s.listening()) {
            throw new JavaError(SOCKET_EXCEPTION, "Socket is not bound yet");
        }
        SocketChannel ch = null;
        int n = 0;
        try {
            ch = s.server.accept();
            if (ch == null) {
                return UNAVAILABLE;
            }
            ch.configureBlocking(false);
            n = open(true, false);
            HostSocket c = open.get(n);
            c.channel = ch;
            c.remote = (InetSocketAddress) ch.getRemoteAddress();
            c.local = (InetSocketAddress) ch.getLocalAddress();
            return n;
        } catch (IOException | JavaError e) {
            if (n != 0) {
                close(n);
            } else {
                closeQuietly(ch);
            }
            throw e instanceof IOException io ? javaError(io) : (JavaError) e;
        }
    }

    /** Reads into {@code b[off, off+len)}: a count, {@link #EOF}, or {@link #UNAVAILABLE}. */
    public int read(int fd, byte[] b, int off, int len) {
        SocketChannel ch = connection(fd);
        try {
            int n = ch.read(ByteBuffer.wrap(b, off, len));
            return n == 0 && len > 0 ? UNAVAILABLE : n;
        } catch (IOException e) {
            throw javaError(e);
        }
    }

    /** Writes {@code b[off, off+len)}: the count written, or {@link #UNAVAILABLE} when none could be. */
    public int write(int fd, byte[] b, int off, int len) {
        SocketChannel ch = connection(fd);
        try {
            int n = ch.write(ByteBuffer.wrap(b, off, len));
            return n == 0 && len > 0 ? UNAVAILABLE : n;
        } catch (IOException e) {
            throw javaError(e);
        }
    }

    /** Net.shutdown: 0 input, 1 output, 2 both. */
    public void shutdown(int fd, int how) {
        SocketChannel ch = connection(fd);
        try {
            if (how != 1) {
                ch.shutdownInput();
            }
            if (how != 0) {
                ch.shutdownOutput();
            }
        } catch (IOException e) {
            throw javaError(e);
        }
    }

    /** The local address (unbound: the wildcard, port 0). */
    public InetSocketAddress localAddress(int fd) {
        HostSocket s = socket(fd);
        try {
            if (s.channel != null && s.channel.getLocalAddress() != null) {
                return (InetSocketAddress) s.channel.getLocalAddress();
            }
        } catch (IOException e) {
            throw javaError(e);
        }
        return s.local != null ? s.local : new InetSocketAddress(0);
    }

    /** The peer's address, or null when not connected. */
    public InetSocketAddress remoteAddress(int fd) {
        return socket(fd).remote;
    }

    /** Net.getIntOption0: what the app set, else the host's defaults. */
    public int getOption(int fd, int level, int name) {
        HostSocket s = socket(fd);
        Integer v = s.options.get(level << 16 | name);
        if (v != null) {
            return v;
        }
        if (level == SOL_SOCKET && (name == SO_SNDBUF || name == SO_RCVBUF)) {
            return DEFAULT_BUFFER;
        }
        return level == SOL_SOCKET && name == SO_LINGER ? -1 : 0;
    }

    /** Net.setIntOption0: kept for getOption, and applied to the host's connection where it means something there. */
    public void setOption(int fd, int level, int name, int value) {
        HostSocket s = socket(fd);
        s.options.put(level << 16 | name, value);
        applyOptions(s);
    }

    /** Closes the descriptor (a lost one too); closing a closed one does nothing. */
    public void close(int fd) {
        lost.remove(fd);
        pollSets.remove(fd);
        for (PollSet set : pollSets.values()) {
            set.events.remove(fd);   // as the kernel drops a closed descriptor from every epoll set
        }
        WakeUp w = wakeUps.remove(fd);
        if (w != null) {
            poller.signalled(w);   // a thread in its selector wakes and finds the selector closing
        }
        HostSocket s = open.remove(fd);
        if (s == null) {
            return;
        }
        poller.closed(s);
        closeQuietly(s.server);
        closeQuietly(s.channel);
        poller.flush();   // a channel a selector knew is released by its next selection: the port is free now
        gate.close(s.lease);
    }

    // ---- waiting ----

    /**
     * Net.poll's core: the poll bits of {@code events} ready now; when none and {@code nanos} is not 0, puts the
     * calling green thread to sleep until the socket is ready, closed, or {@code nanos} pass (< 0: no timeout), and
     * answers 0 (the caller looks again when it runs). {@link #POLLNVAL} for a closed descriptor.
     */
    public int await(VmThread t, int fd, int events, long nanos) {
        poller.cancel(t);
        if (!open.containsKey(fd) && !lost.containsKey(fd)) {
            return POLLNVAL;
        }
        HostSocket s = socket(fd);
        if (s.selectable() == null || SocketPoller.ops(s, events) == 0) {
            return POLLHUP;   // neither bound nor connected, or nothing of these events can come: no wait
        }
        int ready = poller.readyNow(s, events);
        if (ready == 0 && nanos != 0) {
            poller.await(t, Map.of(s, events), null, nanos);
        }
        return ready;
    }

    // ---- selectors ----

    /** EPoll.create: a selector's poll set. */
    public int createPollSet() {
        int fd = next++;
        pollSets.put(fd, new PollSet(fd));
        return fd;
    }

    /** EventFD.eventfd0: a selector's wake-up. */
    public int createWakeUp() {
        int fd = next++;
        wakeUps.put(fd, new WakeUp(fd));
        return fd;
    }

    /** EventFD.set0: signals the wake-up; a thread waiting in its selector wakes. */
    public void signal(int fd) {
        WakeUp w = wakeUp(fd);
        w.signalled = true;
        poller.signalled(w);
    }

    /** IOUtil.drain on a wake-up: clears it; whether it was signalled. */
    public boolean reset(int fd) {
        WakeUp w = wakeUp(fd);
        boolean was = w.signalled;
        w.signalled = false;
        return was;
    }

    /** EPoll.ctl: adds, changes or deletes {@code fd}'s events in the poll set; 0, or the errno epoll_ctl would set. */
    public int control(int pollSet, int op, int fd, int events) {
        PollSet set = pollSets.get(pollSet);
        if (set == null || !open.containsKey(fd) && !wakeUps.containsKey(fd) && !lost.containsKey(fd)) {
            return EBADF;
        }
        boolean member = set.events.containsKey(fd);
        switch (op) {
            case PollSet.ADD -> {
                if (member) {
                    return EEXIST;
                }
                set.events.put(fd, events);
            }
            case PollSet.MODIFY, PollSet.DELETE -> {
                if (!member) {
                    return ENOENT;
                }
                if (op == PollSet.DELETE) {
                    set.events.remove(fd);
                } else {
                    set.events.put(fd, events);
                }
            }
            default -> {
                return EINVAL;
            }
        }
        return 0;
    }

    /**
     * EPoll.wait's core: up to {@code max} ready members of the poll set as (descriptor, poll bits) pairs; when none is
     * ready and {@code nanos} is not 0, puts the calling green thread to sleep until one is, the selector's wake-up is
     * signalled, or {@code nanos} pass (< 0: no timeout), and answers none (the caller looks again when it runs).
     */
    public int[] awaitEvents(VmThread t, int pollSet, int max, long nanos) {
        poller.cancel(t);
        PollSet set = pollSets.get(pollSet);
        if (set == null) {
            String why = lost.get(pollSet);
            throw new JavaError("java/io/IOException", why != null ? why : "Bad file descriptor");
        }
        Map<HostSocket, Integer> sockets = new LinkedHashMap<>();
        WakeUp wakeUp = null;
        List<Integer> ready = new ArrayList<>();
        for (Map.Entry<Integer, Integer> e : set.events.entrySet()) {
            HostSocket s = open.get(e.getKey());
            WakeUp w = wakeUps.get(e.getKey());
            if (s != null && s.selectable() != null) {
                sockets.put(s, e.getValue());
            } else if (w != null) {
                wakeUp = w;
                if (w.signalled && (e.getValue() & POLLIN) != 0) {
                    ready.add(w.fd);
                    ready.add(POLLIN);
                }
            } else if (s == null) {   // a closed or lost socket the selector has not let go of yet
                ready.add(e.getKey());
                ready.add(POLLHUP | POLLERR);
            }
        }
        for (Map.Entry<HostSocket, Integer> e : poller.readyNow(sockets).entrySet()) {
            ready.add(e.getKey().fd);
            ready.add(e.getValue());
        }
        if (ready.isEmpty() && nanos != 0) {
            poller.await(t, sockets, wakeUp, nanos);
        }
        int[] pairs = new int[Math.min(ready.size(), 2 * max)];
        for (int i = 0; i < pairs.length; i++) {
            pairs[i] = ready.get(i);
        }
        return pairs;
    }

    /** Wakes the green threads whose sockets are ready (between quanta). */
    public void poll() {
        poller.poll();
    }

    /**
     * Every green thread waits: blocks the host up to {@code nanos} or until a waited-for socket is ready; false when
     * no thread waits for a socket (the caller sleeps as it would).
     */
    public boolean idle(long nanos) {
        return poller.idle(nanos);
    }

    /** The app stopped running here: every socket is closed and its lease given back. */
    public void closeAll() {
        for (Integer fd : new ArrayList<>(open.keySet())) {
            close(fd);
        }
        lost.clear();
        pollSets.clear();
        wakeUps.clear();
        poller.close();
    }

    // ---- checkpoints ----

    /**
     * What a checkpoint keeps: the next descriptor, the lost ones with their messages, and each open socket's
     * descriptor, kind (listening or not) and addresses.
     */
    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(next);
            Map<Integer, String> gone = new LinkedHashMap<>(lost);
            for (Integer fd : pollSets.keySet()) {
                gone.put(fd, "a selector was lost when the app moved: its channels stay on the device that opened them");
            }
            for (Integer fd : wakeUps.keySet()) {
                gone.put(fd, "a selector's wake-up was lost when the app moved");
            }
            out.writeInt(gone.size());
            for (Map.Entry<Integer, String> e : gone.entrySet()) {
                out.writeInt(e.getKey());
                out.writeUTF(e.getValue());
            }
            out.writeInt(open.size());
            for (HostSocket s : open.values()) {
                out.writeInt(s.fd);
                out.writeLong(s.lease);
                out.writeBoolean(s.listening());
                out.writeUTF(s.describe());
                writeAddress(out, s.local);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Takes up a checkpoint's sockets ({@link #encode}) on this device: listening sockets bound again where they can
     * be, every other one lost, and each loss reported to the device (its lease).
     */
    public void restore(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            next = in.readInt();
            for (int n = in.readInt(); n > 0; n--) {
                lost.put(in.readInt(), in.readUTF());
            }
            for (int n = in.readInt(); n > 0; n--) {
                int fd = in.readInt();
                long lease = in.readLong();
                boolean listening = in.readBoolean();
                String what = in.readUTF();
                InetSocketAddress address = readAddress(in);
                String why = listening ? listenAgain(fd, address) : "the app moved";
                if (why != null) {
                    lost.put(fd, what + " was lost when the app moved: "
                            + (listening ? why : "a connection stays on the device that opened it"));
                    gate.lost(lease, what);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("the checkpoint's record of sockets is corrupt", e);
        }
    }

    /** Binds a checkpoint's listening socket again at its address; null when done, else why not. */
    private String listenAgain(int fd, InetSocketAddress address) {
        long lease;
        try {
            lease = gate.open("listening socket on " + address);
        } catch (NetworkGate.Refused e) {
            return e.getMessage();
        }
        HostSocket s = new HostSocket(fd, lease, true);
        open.put(fd, s);
        try {
            bind(fd, address.getAddress().getAddress(), address.getPort());
            return null;
        } catch (JavaError e) {
            open.remove(fd);
            gate.close(lease);
            return "cannot bind " + address + " here (" + e.getMessage() + ")";
        }
    }

    private static void writeAddress(DataOutputStream out, InetSocketAddress a) throws IOException {
        byte[] ip = a == null ? new byte[0] : a.getAddress().getAddress();
        out.writeByte(ip.length);
        out.write(ip);
        out.writeShort(a == null ? 0 : a.getPort());
    }

    private static InetSocketAddress readAddress(DataInputStream in) throws IOException {
        byte[] ip = new byte[in.readUnsignedByte()];
        in.readFully(ip);
        int port = in.readUnsignedShort();
        try {
            return ip.length == 0 ? null : new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new IOException("an address of " + ip.length + " bytes", e);
        }
    }

    // ---- shared steps ----

    private HostSocket socket(int fd) {
        HostSocket s = open.get(fd);
        if (s != null) {
            return s;
        }
        String why = lost.get(fd);
        throw new JavaError(SOCKET_EXCEPTION, why != null ? why : "Bad file descriptor");
    }

    private WakeUp wakeUp(int fd) {
        WakeUp w = wakeUps.get(fd);
        if (w == null) {
            String why = lost.get(fd);
            throw new JavaError("java/io/IOException", why != null ? why : "Bad file descriptor");
        }
        return w;
    }

    private SocketChannel connection(int fd) {
        HostSocket s = socket(fd);
        if (s.channel == null) {
            throw new JavaError(SOCKET_EXCEPTION, "Socket is not connected");
        }
        return s.channel;
    }

    private static void applyOptions(HostSocket s) {
        if (s.channel == null) {
            return;
        }
        try {
            Integer noDelay = s.options.get(6 << 16 | 1);   // IPPROTO_TCP, TCP_NODELAY
            if (noDelay != null) {
                s.channel.setOption(StandardSocketOptions.TCP_NODELAY, noDelay != 0);
            }
            Integer keepAlive = s.options.get(SOL_SOCKET << 16 | 9);   // SO_KEEPALIVE
            if (keepAlive != null) {
                s.channel.setOption(StandardSocketOptions.SO_KEEPALIVE, keepAlive != 0);
            }
            Integer linger = s.options.get(SOL_SOCKET << 16 | SO_LINGER);   // seconds, -1 off
            if (linger != null) {
                s.channel.setOption(StandardSocketOptions.SO_LINGER, linger);
            }
            Integer receive = s.options.get(SOL_SOCKET << 16 | SO_RCVBUF);
            if (receive != null) {
                s.channel.setOption(StandardSocketOptions.SO_RCVBUF, receive);
            }
            Integer send = s.options.get(SOL_SOCKET << 16 | SO_SNDBUF);
            if (send != null) {
                s.channel.setOption(StandardSocketOptions.SO_SNDBUF, send);
            }
        } catch (IOException e) {
            throw javaError(e);
        }
    }

    private static void closeQuietly(java.nio.channels.Channel c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (IOException ignored) {
            // closing: the app already let go of it
        }
    }

    /** A host failure as the exception HotSpot's natives throw (ConnectException, BindException, SocketException). */
    private static JavaError javaError(IOException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof ConnectException) {
            return new JavaError("java/net/ConnectException", message);
        }
        if (e instanceof BindException) {
            return new JavaError("java/net/BindException", message);
        }
        if (e instanceof ClosedChannelException) {
            return new JavaError(SOCKET_EXCEPTION, "Socket closed");
        }
        if (message.equals("Connection reset by peer")) {
            return new JavaError(SOCKET_EXCEPTION, "Connection reset");   // as HotSpot's socket natives say it
        }
        return new JavaError(SOCKET_EXCEPTION, message);
    }
}
