package org.vheap.device.vm.net;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A selector's set of descriptors and the events it waits for on each: the JDK's {@code EPollSelectorImpl} keeps one
 * (an epoll instance on Linux) and changes it with {@code EPoll.ctl}. Its members are the app's sockets and the
 * selector's {@link WakeUp}.
 */
final class PollSet {
    /** epoll_ctl's operations, as Linux numbers them. */
    static final int ADD = 1;
    static final int DELETE = 2;
    static final int MODIFY = 3;

    final int fd;
    /** Descriptor to poll bits (EPOLLIN and EPOLLOUT are POLLIN and POLLOUT). */
    final Map<Integer, Integer> events = new LinkedHashMap<>();

    PollSet(int fd) {
        this.fd = fd;
    }
}
