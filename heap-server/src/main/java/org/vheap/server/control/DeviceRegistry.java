package org.vheap.server.control;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vheap.proto.v1.Command;
import org.vheap.proto.v1.CommandResult;
import org.vheap.proto.v1.ControlMessage;
import org.vheap.proto.v1.DeviceInfo;
import org.vheap.proto.v1.Register;

/**
 * The devices attached to this server and the commands pending on them, in memory.
 *
 * <p><b>Contract.</b> At most one attachment per device name: attaching a name that is attached replaces
 * the older attachment, whose stream ends with ABORTED and whose pending commands fail. {@link #send}
 * pushes a command and returns a future of the device's {@link CommandResult}; it fails with UNAVAILABLE
 * ("device 'X' disconnected") when the attachment ends before the answer. A command's future leaves the
 * registry when it completes in any way (so a caller's timeout removes it), and a late answer is dropped.
 * After {@link #close()} every stream has ended and attaching is refused.
 *
 * <p><b>Concurrency.</b> Called from the gRPC threads of many streams and operator calls at once. The
 * registry's lock guards its maps and is never held while sending to a device or completing a future;
 * messages to one device are serialised under that device's stream lock.
 */
public final class DeviceRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeviceRegistry.class);

    private final Clock clock;
    private final AtomicLong commandIds = new AtomicLong();
    private final Map<String, AttachedDevice> devices = new TreeMap<>();   // guarded by this
    private final Map<Long, Pending> pending = new HashMap<>();           // guarded by this
    private boolean closed;                                                 // guarded by this

    private record Pending(AttachedDevice device, Command command, CompletableFuture<CommandResult> result) {
    }

    /** @param clock stamps the attach times ({@code connected_since}) */
    public DeviceRegistry(Clock clock) {
        this.clock = clock;
    }

    /**
     * Attaches a registered device on {@code stream}; an older attachment of the same name is ended (ABORTED)
     * and its pending commands fail. The caller has checked the registration, and acknowledges it
     * ({@link AttachedDevice#acknowledge}) once it has checked the device's token again.
     */
    AttachedDevice attach(Register r, StreamObserver<ControlMessage> stream) {
        AttachedDevice device = new AttachedDevice(r, clock.instant(), stream);
        AttachedDevice old;
        List<Pending> orphaned;
        synchronized (this) {
            if (closed) {
                throw Status.UNAVAILABLE.withDescription("the heap server is shutting down").asRuntimeException();
            }
            old = devices.put(device.name(), device);
            orphaned = old == null ? List.of() : removePending(old);
        }
        if (old != null) {
            log.info("device '{}' attached again; its older control stream is replaced", device.name());
            old.end(Status.ABORTED.withDescription("device '" + device.name()
                    + "' attached again on another stream; this stream is replaced"));
            fail(orphaned, "device '" + device.name() + "' disconnected (replaced by a new attach)");
        } else {
            log.info("device '{}' attached ({} bytes of memory, resources {})", device.name(), r.getMemoryBytes(),
                    r.getResourcesList());
        }
        return device;
    }

    /**
     * Forgets this attachment (if it is still the device's current one) and fails its pending commands with
     * UNAVAILABLE. Does not end the stream.
     */
    void detach(AttachedDevice device) {
        List<Pending> orphaned;
        boolean current;
        synchronized (this) {
            current = devices.remove(device.name(), device);
            orphaned = removePending(device);
        }
        if (current) {
            log.info("device '{}' detached", device.name());
        }
        fail(orphaned, "device '" + device.name() + "' disconnected");
    }

    /** The current attachment of a device, or null. */
    synchronized AttachedDevice device(String name) {
        return devices.get(name);
    }

    /** The current attachment of a device once it was acknowledged (what commands go to), or null. */
    synchronized AttachedDevice attached(String name) {
        AttachedDevice d = devices.get(name);
        return d != null && d.acknowledged() ? d : null;
    }

    /** The devices attached now, as ListDevices tells them (with their last reports), sorted by name. */
    public List<DeviceInfo> infos() {
        return devices().stream().map(AttachedDevice::info).toList();
    }

    /** The acknowledged attached devices, sorted by name. */
    synchronized List<AttachedDevice> devices() {
        return devices.values().stream().filter(AttachedDevice::acknowledged).toList();
    }

    /** The acknowledged devices' names as a list for messages: {@code "a, b"} or {@code "none"}. */
    synchronized String names() {
        List<String> names = devices().stream().map(AttachedDevice::name).toList();
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    /**
     * Sends a command to an attached device. The future completes with the device's answer (ok or not), or
     * fails with UNAVAILABLE if the device is (or becomes) detached first.
     */
    CompletableFuture<CommandResult> send(AttachedDevice device, Command.Kind kind, String app, long checkpointId) {
        long id = commandIds.incrementAndGet();
        Command command = Command.newBuilder().setCommandId(id).setKind(kind).setApp(app)
                .setCheckpointId(checkpointId).build();
        CompletableFuture<CommandResult> result = new CompletableFuture<>();
        synchronized (this) {
            if (devices.get(device.name()) != device) {
                result.completeExceptionally(disconnected("device '" + device.name() + "' disconnected"));
                return result;
            }
            pending.put(id, new Pending(device, command, result));
        }
        result.whenComplete((r, e) -> {
            synchronized (this) {
                pending.remove(id);
            }
        });
        if (!device.send(ControlMessage.newBuilder().setCommand(command).build())) {
            detach(device);   // its stream is gone: fails this command too
        }
        return result;
    }

    /** A device's answer: completes the command it names, if that is pending on this attachment. */
    void complete(AttachedDevice from, CommandResult r) {
        Pending p;
        synchronized (this) {
            p = pending.get(r.getCommandId());
            if (p == null || p.device() != from) {
                p = null;
            } else {
                pending.remove(r.getCommandId());
            }
        }
        if (p == null) {
            log.info("device '{}' answered command {}, which is not pending on it (late or unknown); dropped",
                    from.name(), r.getCommandId());
            return;
        }
        if (r.getOk()) {
            switch (p.command().getKind()) {
                case SUSPEND -> from.appState(p.command().getApp(), "suspended");
                case STOP_APP -> from.appState(p.command().getApp(), "stopped");
                case RESUME -> from.appState(p.command().getApp(), AttachedDevice.RUNNING);
                default -> { }
            }
        }
        p.result().complete(r);
    }

    /** Ends every device's stream with UNAVAILABLE and fails every pending command; refuses attaching after. */
    @Override
    public void close() {
        List<AttachedDevice> all;
        List<Pending> orphaned;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(devices.values());
            orphaned = new ArrayList<>(pending.values());
            devices.clear();
            pending.clear();
        }
        for (AttachedDevice d : all) {
            d.end(Status.UNAVAILABLE.withDescription("the heap server is shutting down"));
        }
        for (Pending p : orphaned) {
            p.result().completeExceptionally(disconnected("device '" + p.device().name()
                    + "' disconnected (the heap server is shutting down)"));
        }
    }

    private List<Pending> removePending(AttachedDevice device) {   // holding this
        List<Pending> removed = new ArrayList<>();
        pending.values().removeIf(p -> {
            if (p.device() == device) {
                removed.add(p);
                return true;
            }
            return false;
        });
        return removed;
    }

    private static void fail(List<Pending> orphaned, String why) {
        for (Pending p : orphaned) {
            p.result().completeExceptionally(disconnected(why));
        }
    }

    private static RuntimeException disconnected(String why) {
        return Status.UNAVAILABLE.withDescription(why).asRuntimeException();
    }
}
