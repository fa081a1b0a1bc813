package org.vheap.server.control;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.vheap.proto.v1.Attached;
import org.vheap.proto.v1.ControlMessage;
import org.vheap.proto.v1.DeviceInfo;
import org.vheap.proto.v1.DeviceReport;
import org.vheap.proto.v1.Register;

/**
 * One device attached over one {@code Attach} stream: what it registered, the apps it says run on it, and
 * the stream to it. Messages to the device are sent under the stream's lock (gRPC observers are not
 * thread-safe); once the stream has ended, sends are refused.
 */
final class AttachedDevice {
    static final String RUNNING = "running";

    private final String name;
    private final long memoryBytes;
    private final List<String> resources;
    private final Instant connectedSince;
    private final StreamObserver<ControlMessage> stream;
    private final TreeSet<String> running = new TreeSet<>();   // guarded by itself
    private boolean ended;                                      // guarded by stream
    private volatile boolean acknowledged;
    private volatile DeviceReport report;                       // null before the first
    private volatile Instant lastSeen;

    AttachedDevice(Register r, Instant connectedSince, StreamObserver<ControlMessage> stream) {
        this.name = r.getDevice();
        this.memoryBytes = r.getMemoryBytes();
        this.resources = List.copyOf(r.getResourcesList());
        this.connectedSince = connectedSince;
        this.stream = stream;
        running.addAll(r.getAppsRunningList());
    }

    /** Whether {@link #acknowledge} ran: the attach was admitted (its token checked twice). */
    boolean acknowledged() {
        return acknowledged;
    }

    String name() {
        return name;
    }

    Instant connectedSince() {
        return connectedSince;
    }

    /** Sends one message; false if the stream has ended (or ends while sending). */
    boolean send(ControlMessage m) {
        synchronized (stream) {
            if (ended) {
                return false;
            }
            try {
                stream.onNext(m);
                return true;
            } catch (RuntimeException e) {   // the call was cancelled under us
                ended = true;
                return false;
            }
        }
    }

    /**
     * Tells the device it is attached ({@code Attached}, with its attach time); from now on commands and listings
     * see it ({@link DeviceRegistry#attached}).
     */
    void acknowledge() {
        // before the message: a device that has its Attached is listed (a command may reach it just ahead of the
        // Attached, which a device takes in either order)
        acknowledged = true;
        send(ControlMessage.newBuilder().setAttached(Attached.newBuilder().setDevice(name)
                .setConnectedSince(timestamp(connectedSince))).build());
    }

    /** Ends the stream: completed when {@code status} is null, else with that status. Idempotent. */
    void end(Status status) {
        synchronized (stream) {
            if (ended) {
                return;
            }
            ended = true;
            try {
                if (status == null) {
                    stream.onCompleted();
                } else {
                    stream.onError(status.asRuntimeException());
                }
            } catch (RuntimeException ignored) {
                // already cancelled by the device: nothing to end
            }
        }
    }

    /** "running" adds the app to the running apps, any other state removes it. */
    void appState(String app, String state) {
        synchronized (running) {
            if (RUNNING.equals(state)) {
                running.add(app);
            } else {
                running.remove(app);
            }
        }
    }

    /** A message came from the device at {@code now}. */
    void seen(Instant now) {
        lastSeen = now;
    }

    /** The device's report replaces the one before. */
    void report(DeviceReport r) {
        report = r;
    }

    DeviceInfo info() {
        List<String> apps;
        synchronized (running) {
            apps = new ArrayList<>(running);
        }
        DeviceInfo.Builder b = DeviceInfo.newBuilder().setDevice(name).setMemoryBytes(memoryBytes).addAllResources(resources)
                .addAllAppsRunning(apps).setConnectedSince(timestamp(connectedSince));
        DeviceReport r = report;
        if (r != null) {
            b.setReport(r);
        }
        Instant seen = lastSeen;
        return b.setLastSeen(timestamp(seen == null ? connectedSince : seen)).build();
    }

    static Timestamp timestamp(Instant i) {
        return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
    }
}
