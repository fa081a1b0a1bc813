package org.vheap.device;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vheap.device.vm.Vm;
import org.vheap.device.vm.natives.Natives;
import org.vheap.device.vm.net.NetworkGate;
import org.vheap.format.VmStateImage;

/**
 * One app's resource leases: its leases on its device's resources (the seed's leases; the device-side grant of
 * the lease records
 * the app keeps in its heap as {@code org.vheap.api.Lease} objects). Serves the VM entry points of
 * {@code org.vheap.api.Leases}; saves the grants in each checkpoint ({@link #LEASES} attachment); on resume
 * takes each leased resource again on the new device, and where the device lacks it (or another app holds
 * it exclusively) marks the lease lost and tells the app ({@code lost} event, then {@code valid()} is false).
 * Grants are released when the app stops running here (suspended, ended, stopped). Grants last while the
 * app runs: the device renews them itself, so a lease's duration matters only to how long a grant outlives
 * its app elsewhere — here, never.
 *
 * <p>Only the VM's host thread calls it.
 */
final class ResourceLeases {
    static final String LEASES = "leases";
    private static final String OWNER = "org/vheap/api/Leases";

    private record Grant(String resource, boolean exclusive, long millis) {
    }

    private final String app;
    private final DeviceResources resources;
    private final AppApi api;
    private final Map<Long, Grant> grants = new LinkedHashMap<>();
    private final Map<Long, Grant> lost = new LinkedHashMap<>();
    private long nextId = 1;
    private String refusal = "";
    /** Sockets open here, each under a lease on the device's network. */
    private int sockets;

    ResourceLeases(String app, DeviceResources resources, AppApi api) {
        this.app = app;
        this.resources = resources;
        this.api = api;
    }

    void register(Natives natives, Vm vm) {
        natives.register(OWNER, "deviceResources", "()[Ljava/lang/String;", (t, s, b) -> {
            List<String> names = resources.names();
            int array = vm.newArray(vm.classes().load("[Ljava/lang/String;"), names.size());
            for (int i = 0; i < names.size(); i++) {
                vm.putRef(Vm.elementAddress(array, i, 2), vm.strings().newString(names.get(i)));
            }
            return array;
        });
        natives.register(OWNER, "grant", "(Ljava/lang/String;ZJ)J", (t, s, b) -> {
            String resource = vm.strings().hostString((int) s[b]);
            boolean exclusive = s[b + 1] != 0;
            String why = resources.take(resource, app, exclusive);
            if (why != null) {
                refusal = why;
                return 0;
            }
            long id = nextId++;
            grants.put(id, new Grant(resource, exclusive, s[b + 2]));
            return id;
        });
        natives.register(OWNER, "refusal", "()Ljava/lang/String;", (t, s, b) -> vm.strings().newString(refusal));
        natives.register(OWNER, "release0", "(J)V", (t, s, b) -> {
            Grant g = grants.remove(s[b]);
            lost.remove(s[b]);
            if (g != null && !stillHeld(g.resource())) {
                resources.give(g.resource(), app);
            }
            return 0;
        });
        natives.register(OWNER, "granted0", "(J)Z", (t, s, b) -> grants.containsKey(s[b]) ? 1 : 0);
        natives.register(OWNER, "read0", "(J)Ljava/lang/String;", (t, s, b) -> {
            Grant g = grants.get(s[b]);
            return g == null ? 0 : vm.strings().newString(resources.read(g.resource()));
        });
    }

    /**
     * The leases of the app's sockets: each socket is opened under a shared lease on the device's network resource
     * ({@link NetworkGate#RESOURCE}), with an id from the same sequence as the app's own leases; a socket a move cut is
     * a lost lease, told to the app as its own leases are ({@code lost} event). The sockets record their leases in the
     * checkpoint themselves (VM state attachment {@code sockets}).
     */
    NetworkGate network() {
        return new NetworkGate() {
            @Override
            public long open(String socket) {
                String why = resources.take(RESOURCE, app, false);
                if (why != null) {
                    throw new Refused(why);
                }
                sockets++;
                return nextId++;
            }

            @Override
            public void close(long lease) {
                if (--sockets == 0 && !stillHeld(RESOURCE)) {
                    resources.give(RESOURCE, app);
                }
            }

            @Override
            public void lost(long lease, String socket) {
                api.event("lost " + lease + " " + RESOURCE);
            }
        };
    }

    /**
     * A shared lease the VM takes for the app on its first use of a resource it reaches without asking (a mount),
     * once: saved with the checkpoint like the app's own, so a device without the resource reports it lost.
     */
    boolean takeForVm(String resource) {
        if (stillHeld(resource)) {
            return true;
        }
        if (resources.take(resource, app, false) != null) {
            return false;   // refused: the app's use of it fails
        }
        grants.put(nextId++, new Grant(resource, false, 0));
        return true;
    }

    private boolean stillHeld(String resource) {
        if (resource.equals(NetworkGate.RESOURCE) && sockets > 0) {
            return true;
        }
        for (Grant g : grants.values()) {
            if (g.resource().equals(resource)) {
                return true;
            }
        }
        return false;
    }

    /** Saves the grants (and lost leases, which stay lost) with a checkpoint. */
    void taking(VmStateImage state) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(nextId);
            out.writeInt(grants.size() + lost.size());
            for (Map<Long, Grant> m : List.of(grants, lost)) {
                for (Map.Entry<Long, Grant> e : m.entrySet()) {
                    out.writeLong(e.getKey());
                    out.writeUTF(e.getValue().resource());
                    out.writeBoolean(e.getValue().exclusive());
                    out.writeLong(e.getValue().millis());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        state.attachments.put(LEASES, bytes.toByteArray());
    }

    /** Takes the checkpoint's leased resources again on this device; tells the app of each it cannot. */
    void resumed(VmStateImage state) {
        byte[] saved = state.attachments.get(LEASES);
        if (saved == null) {
            return;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(saved))) {
            nextId = in.readLong();
            for (int n = in.readInt(); n > 0; n--) {
                long id = in.readLong();
                Grant g = new Grant(in.readUTF(), in.readBoolean(), in.readLong());
                if (resources.take(g.resource(), app, g.exclusive()) == null) {
                    grants.put(id, g);
                } else {
                    lost.put(id, g);
                    api.event("lost " + id + " " + g.resource());
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("the checkpoint's lease records are corrupt", e);
        }
    }

    /** The app stopped running here: its resources go back to the device. */
    void releaseAll() {
        for (Grant g : new ArrayList<>(grants.values())) {
            resources.give(g.resource(), app);
        }
        if (sockets > 0) {
            resources.give(NetworkGate.RESOURCE, app);
            sockets = 0;
        }
    }
}
