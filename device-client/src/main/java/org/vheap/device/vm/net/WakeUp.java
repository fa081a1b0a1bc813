package org.vheap.device.vm.net;

/**
 * A selector's wake-up: the JDK's {@code EventFD} (an eventfd on Linux), which {@code Selector.wakeup} signals and
 * the selector resets once it woke. A thread waiting in a selector wakes when it is signalled.
 */
final class WakeUp {
    final int fd;
    boolean signalled;

    WakeUp(int fd) {
        this.fd = fd;
    }
}
