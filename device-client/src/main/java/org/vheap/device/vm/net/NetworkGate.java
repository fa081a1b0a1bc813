package org.vheap.device.vm.net;

/**
 * The device's side of an app's sockets: the network is a device resource (the seed's leases), so every socket is
 * opened under a lease on it, and a socket a move cuts is a lost lease the app hears of. The device implements it with
 * its resource leases; a VM with no device behind it refuses every socket ({@link #NONE}).
 */
public interface NetworkGate {
    /** A gate with no network: every socket is refused. */
    NetworkGate NONE = new NetworkGate() {
        @Override
        public long open(String socket) {
            throw new Refused("the app runs on no device with a network (resource " + RESOURCE + ")");
        }

        @Override
        public void close(long lease) {
        }

        @Override
        public void lost(long lease, String socket) {
        }
    };

    /** The name of the device resource a socket is leased on. */
    String RESOURCE = "net";

    /**
     * Takes the network for a new socket, described as {@code socket} (for the app's and the operator's messages).
     *
     * @return the id of the socket's lease (above 0, never reused within the app)
     * @throws Refused when the device has no network, or another app holds it exclusively
     */
    long open(String socket);

    /** The socket was closed: its lease ends. */
    void close(long lease);

    /** The socket was cut by a move of the app: its lease is lost, and the app's lease listeners hear of it. */
    void lost(long lease, String socket);

    /** A refused socket; the message says why (what the device lacks). */
    final class Refused extends RuntimeException {
        public Refused(String why) {
            super(why);
        }
    }
}
