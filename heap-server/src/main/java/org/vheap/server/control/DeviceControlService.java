package org.vheap.server.control;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.vheap.cli.CliValues;
import org.vheap.proto.v1.AppReport;
import org.vheap.proto.v1.Command;
import org.vheap.proto.v1.CommandResult;
import org.vheap.proto.v1.ControlMessage;
import org.vheap.proto.v1.DeviceControlGrpc;
import org.vheap.proto.v1.DeviceMessage;
import org.vheap.proto.v1.DeviceReport;
import org.vheap.proto.v1.ListDevicesRequest;
import org.vheap.proto.v1.ListDevicesResponse;
import org.vheap.proto.v1.MigrateAppRequest;
import org.vheap.proto.v1.MigrateAppResponse;
import org.vheap.proto.v1.Register;
import org.vheap.proto.v1.ResetDeviceTokenRequest;
import org.vheap.proto.v1.ResetDeviceTokenResponse;
import org.vheap.proto.v1.ResumeAppRequest;
import org.vheap.proto.v1.ResumeAppResponse;
import org.vheap.proto.v1.SuspendAppRequest;
import org.vheap.proto.v1.SuspendAppResponse;
import org.vheap.security.AccessTokens;
import org.vheap.server.auth.AccessPolicy;
import org.vheap.server.auth.AttachGuard;
import org.vheap.server.grpc.StoreStatus;
import org.vheap.server.store.AppRecord;
import org.vheap.server.store.DeviceTokens;
import org.vheap.server.store.HeapLease;
import org.vheap.server.store.HeapNames;
import org.vheap.server.store.PgHeapStore;
import org.vheap.store.StoreException;

/**
 * The {@code vheap.v1.DeviceControl} service: devices' control streams into the {@link DeviceRegistry},
 * and the operator calls that suspend, resume and migrate apps by sending commands down those streams.
 *
 * <p><b>Contract.</b> Where an app runs is read from the store: the holder of an unexpired lease on its
 * heap. Every precondition (app exists, devices attached, checkpoint exists, target differs from the
 * source) is checked before the first command is sent, so a refused call changes nothing. A command's
 * answer is awaited for at most the command timeout (DEADLINE_EXCEEDED after it); a device's refusal is
 * FAILED_PRECONDITION with the device's message; a device that detaches first is UNAVAILABLE. A migration
 * whose resume fails after the suspend succeeded leaves the app suspended and says so, with the checkpoint.
 * No gRPC thread waits for a device: answers complete the calls asynchronously.
 *
 * <p><b>Access</b> (when the {@link AccessPolicy} requires tokens). The operator calls (ListDevices, SuspendApp,
 * ResumeApp, MigrateApp, ResetDeviceToken) need the admin token. An Attach needs the token of the device its
 * Register names, or the admin token; it is checked before the device is attached, so a refused stream
 * (UNAUTHENTICATED or PERMISSION_DENIED) replaces no attached device. ResetDeviceToken replaces the name's
 * token in the store and ends the device's current stream here with UNAUTHENTICATED. The token is checked again
 * once the stream is attached, for a reset that came between: only then is the device told {@code Attached} and
 * do commands and listings see it (a stream refused by that second check has replaced the device's older one).
 */
public final class DeviceControlService extends DeviceControlGrpc.DeviceControlImplBase {
    /** How long a command waits for the device's answer unless the server is told otherwise. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(30);
    /** The apps one device report may name (a device runs a few; the bound keeps a report's memory and its /metrics series few). */
    static final int MAX_REPORTED_APPS = 100;
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DeviceControlService.class);

    private final PgHeapStore store;
    private final DeviceRegistry registry;
    private final Duration commandTimeout;
    private final AccessPolicy access;
    private final DeviceTokens deviceTokens;

    /** @param deviceTokens where ResetDeviceToken stores the hashes {@code access} checks Attach streams against */
    public DeviceControlService(PgHeapStore store, DeviceRegistry registry, Duration commandTimeout, AccessPolicy access,
                                DeviceTokens deviceTokens) {
        if (commandTimeout == null || commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("the command timeout must be positive, got " + commandTimeout);
        }
        this.store = store;
        this.registry = registry;
        this.commandTimeout = commandTimeout;
        this.access = access;
        this.deviceTokens = deviceTokens;
    }

    @Override
    public StreamObserver<DeviceMessage> attach(StreamObserver<ControlMessage> out) {
        return new AttachStream(out, access.attachGuard());
    }

    @Override
    public void resetDeviceToken(ResetDeviceTokenRequest r, StreamObserver<ResetDeviceTokenResponse> out) {
        String token;
        try {
            access.requireAdmin("issuing a device token");
            token = AccessTokens.generate();
            deviceTokens.replace(r.getDevice(), AccessTokens.sha256(token));
        } catch (RuntimeException e) {
            out.onError(StoreStatus.toStatus(e));
            return;
        }
        AttachedDevice current = access.required() ? registry.device(r.getDevice()) : null;
        if (current != null) {
            registry.detach(current);
            current.end(Status.UNAUTHENTICATED.withDescription("device '" + r.getDevice() + "''s token was reset;"
                    + " attach again with the new one (vheap device start --device-token-file FILE)"));
        }
        out.onNext(ResetDeviceTokenResponse.newBuilder().setDeviceToken(token).build());
        out.onCompleted();
    }

    @Override
    public void listDevices(ListDevicesRequest r, StreamObserver<ListDevicesResponse> out) {
        try {
            access.requireAdmin("listing devices");
        } catch (RuntimeException e) {
            out.onError(e);
            return;
        }
        ListDevicesResponse.Builder b = ListDevicesResponse.newBuilder();
        registry.devices().forEach(d -> b.addDevices(d.info()));
        out.onNext(b.build());
        out.onCompleted();
    }

    @Override
    public void suspendApp(SuspendAppRequest r, StreamObserver<SuspendAppResponse> out) {
        reply(out, () -> {
            access.requireAdmin("suspending an app");
            String app = r.getApp();
            AppRecord record = store.app(app);
            HeapLease lease = liveLease(record);
            if (lease == null) {
                throw failedPrecondition("app '" + app + "' is not running on any device: no device holds a live"
                        + " lease on its heap" + expiredNote(record));
            }
            AttachedDevice device = holder(app, lease);
            return command(device, Command.Kind.SUSPEND, app, 0).thenApply(res -> SuspendAppResponse.newBuilder()
                    .setCheckpointId(res.getCheckpointId()).setDevice(device.name()).build());
        });
    }

    @Override
    public void resumeApp(ResumeAppRequest r, StreamObserver<ResumeAppResponse> out) {
        reply(out, () -> {
            access.requireAdmin("resuming an app");
            String app = r.getApp();
            AppRecord record = store.app(app);
            AttachedDevice target = attached(r.getDevice(), "device");
            HeapLease lease = liveLease(record);
            if (lease != null) {
                throw failedPrecondition(runsOn(app, lease) + ": suspend it first, or migrate it");
            }
            checkCheckpoint(app, r.getCheckpointId());
            return command(target, Command.Kind.RESUME, app, r.getCheckpointId())
                    .thenApply(res -> ResumeAppResponse.getDefaultInstance());
        });
    }

    @Override
    public void migrateApp(MigrateAppRequest r, StreamObserver<MigrateAppResponse> out) {
        reply(out, () -> {
            access.requireAdmin("migrating an app");
            String app = r.getApp();
            AppRecord record = store.app(app);
            AttachedDevice target = attached(r.getToDevice(), "to_device");
            HeapLease lease = liveLease(record);
            if (lease != null && lease.holder().equals(target.name())) {
                throw Status.INVALID_ARGUMENT.withDescription("app '" + app + "' already runs on device '"
                        + target.name() + "'").asRuntimeException();
            }
            checkCheckpoint(app, r.getCheckpointId());
            AttachedDevice source = lease == null ? null : holder(app, lease);

            long start = System.nanoTime();
            CompletableFuture<Long> suspended;
            if (source == null) {
                long newest = record.newestCheckpoint() == null ? 0 : record.newestCheckpoint().checkpointId();
                suspended = CompletableFuture.completedFuture(r.getCheckpointId() != 0 ? r.getCheckpointId() : newest);
            } else {
                suspended = command(source, Command.Kind.SUSPEND, app, 0).thenApply(res ->
                        r.getCheckpointId() != 0 ? r.getCheckpointId() : res.getCheckpointId());
            }
            return suspended.thenCompose(checkpoint -> {
                long suspendMillis = source == null ? 0 : millisSince(start);
                long resumeStart = System.nanoTime();
                return command(target, Command.Kind.RESUME, app, checkpoint)
                        .handle((res, e) -> {
                            if (e != null) {
                                throw source == null ? asCompletion(e) : new CompletionException(leftSuspended(
                                        app, source.name(), checkpoint, unwrap(e)));
                            }
                            return MigrateAppResponse.newBuilder().setCheckpointId(checkpoint)
                                    .setFromDevice(source == null ? "" : source.name()).setToDevice(target.name())
                                    .setSuspendMillis(suspendMillis).setResumeMillis(millisSince(resumeStart)).build();
                        });
            });
        });
    }

    // ---------------------------------------------------------------------------------------------------

    /**
     * Sends a command and awaits the answer: completes with an ok result, or fails with the status that
     * explains why not (the device refused, disconnected, or did not answer in time).
     */
    private CompletableFuture<CommandResult> command(AttachedDevice device, Command.Kind kind, String app,
                                                     long checkpointId) {
        String what = verb(kind) + " app '" + app + "'";
        return registry.send(device, kind, app, checkpointId)
                .orTimeout(commandTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((res, e) -> {
                    if (e != null) {
                        Throwable cause = unwrap(e);
                        if (cause instanceof TimeoutException) {
                            throw new CompletionException(Status.DEADLINE_EXCEEDED.withDescription("device '"
                                    + device.name() + "' did not answer the request to " + what + " within "
                                    + CliValues.format(commandTimeout)).asRuntimeException());
                        }
                        StatusRuntimeException s = StoreStatus.toStatus(cause);
                        throw new CompletionException(s.getStatus().withDescription(s.getStatus().getDescription()
                                + " before it answered the request to " + what).asRuntimeException());
                    }
                    if (!res.getOk()) {
                        throw new CompletionException(failedPrecondition("device '" + device.name()
                                + "' could not " + what + ": " + res.getMessage()));
                    }
                    return res;
                });
    }

    /** The lease on the app's heap if it has not expired (on the store's clock), else null. */
    private HeapLease liveLease(AppRecord record) {
        HeapLease l = record.lease();
        return l != null && l.expiresAt().isAfter(store.clock().instant()) ? l : null;
    }

    private String expiredNote(AppRecord record) {
        HeapLease l = record.lease();
        return l == null ? "" : " (device '" + l.holder() + "' let its lease expire at " + l.expiresAt() + ")";
    }

    private static String runsOn(String app, HeapLease lease) {
        return "app '" + app + "' runs on device '" + lease.holder() + "' (it holds the lease until "
                + lease.expiresAt() + ")";
    }

    /** The attached device holding this live lease. */
    private AttachedDevice holder(String app, HeapLease lease) {
        AttachedDevice d = registry.attached(lease.holder());
        if (d == null) {
            throw failedPrecondition(runsOn(app, lease) + ", but that device is not connected to the server"
                    + " (connected: " + registry.names() + ")");
        }
        return d;
    }

    /** A device named in a request, which must be attached. */
    private AttachedDevice attached(String name, String field) {
        if (name.isEmpty()) {
            throw Status.INVALID_ARGUMENT.withDescription(field + " is empty: name an attached device (connected: "
                    + registry.names() + ")").asRuntimeException();
        }
        AttachedDevice d = registry.attached(name);
        if (d == null) {
            throw failedPrecondition("device '" + name + "' is not connected to the server (connected: "
                    + registry.names() + ")");
        }
        return d;
    }

    private void checkCheckpoint(String app, long checkpointId) {
        if (checkpointId < 0) {
            throw Status.INVALID_ARGUMENT.withDescription("checkpoint id must be positive (0: the newest), got "
                    + checkpointId).asRuntimeException();
        }
        if (checkpointId != 0 && store.listCheckpoints(app).stream().noneMatch(c -> c.checkpointId() == checkpointId)) {
            throw new StoreException(StoreException.Reason.NOT_FOUND, "app '" + app + "' has no checkpoint "
                    + checkpointId + " (see: vheap checkpoints --app " + app + ")");
        }
    }

    private static StatusRuntimeException leftSuspended(String app, String from, long checkpoint, Throwable e) {
        Status s = StoreStatus.toStatus(e).getStatus();
        return s.withDescription("app '" + app + "' was suspended on device '" + from + "' (checkpoint " + checkpoint
                + ") but not resumed: " + s.getDescription() + "; it stays suspended until resumed").asRuntimeException();
    }

    private static String verb(Command.Kind kind) {
        return switch (kind) {
            case SUSPEND -> "suspend";
            case RESUME -> "resume";
            case STOP_APP -> "stop";
            default -> kind.name();
        };
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private static StatusRuntimeException failedPrecondition(String message) {
        return Status.FAILED_PRECONDITION.withDescription(message).asRuntimeException();
    }

    private static Throwable unwrap(Throwable e) {
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static CompletionException asCompletion(Throwable e) {
        return e instanceof CompletionException ce ? ce : new CompletionException(e);
    }

    private interface AsyncCall<T> {
        CompletableFuture<T> start();
    }

    /** Runs the synchronous checks and starts the work; answers when it completes. */
    private static <T> void reply(StreamObserver<T> out, AsyncCall<T> call) {
        CompletableFuture<T> result;
        try {
            result = call.start();
        } catch (RuntimeException e) {
            out.onError(StoreStatus.toStatus(e));
            return;
        }
        result.whenComplete((value, e) -> {
            if (e != null) {
                out.onError(StoreStatus.toStatus(unwrap(e)));
            } else {
                out.onNext(value);
                out.onCompleted();
            }
        });
    }

    /**
     * One device's control stream: a Register first, then answers and app status updates. A protocol
     * violation ends the stream with INVALID_ARGUMENT; the stream's end detaches the device.
     */
    private final class AttachStream implements StreamObserver<DeviceMessage> {
        private final StreamObserver<ControlMessage> out;
        private final AttachGuard guard;
        private AttachedDevice device;   // gRPC delivers one stream's messages one at a time
        private boolean ended;

        AttachStream(StreamObserver<ControlMessage> out, AttachGuard guard) {
            this.out = out;
            this.guard = guard;
        }

        @Override
        public void onNext(DeviceMessage m) {
            if (ended) {
                return;
            }
            try {
                if (device != null) {
                    device.seen(store.clock().instant());
                }
                switch (m.getKindCase()) {
                    case REGISTER -> register(m.getRegister());
                    case RESULT -> registry.complete(registered("a command result"), m.getResult());
                    case APP_STATUS -> {
                        HeapNames.checkApp(m.getAppStatus().getApp());
                        registered("an app status").appState(m.getAppStatus().getApp(), m.getAppStatus().getState());
                    }
                    case REPORT -> report(registered("a report"), m.getReport());
                    default -> throw invalid("empty device message");
                }
            } catch (RuntimeException e) {
                fail(StoreStatus.toStatus(e).getStatus());
            }
        }

        /**
         * Keeps a device's report, or, when it is malformed, drops it (logged; the last good one stays): a report only
         * informs, so it never ends the stream that carries the device's commands.
         */
        private void report(AttachedDevice from, DeviceReport r) {
            String wrong = reportProblem(r);
            if (wrong == null) {
                from.report(r);
            } else {
                log.warn("device '{}': report dropped: {}", from.name(), wrong);
            }
        }

        /** What is wrong with a report; null when nothing is. */
        private static String reportProblem(DeviceReport r) {
            if (r.getAppsCount() > MAX_REPORTED_APPS) {
                return "it names " + r.getAppsCount() + " apps, at most " + MAX_REPORTED_APPS + " are taken";
            }
            if (r.getMemoryBytesUsed() < 0) {
                return "memory_bytes_used is negative";
            }
            java.util.Set<String> apps = new java.util.HashSet<>();
            for (AppReport a : r.getAppsList()) {
                try {
                    HeapNames.checkApp(a.getApp());
                } catch (RuntimeException e) {
                    return e.getMessage();
                }
                if (!apps.add(a.getApp())) {
                    return "app '" + a.getApp() + "' is named twice";
                }
                if (a.getFaults() < 0 || a.getLinesFetched() < 0 || a.getLinesFlushed() < 0 || a.getCollections() < 0
                        || a.getPauseNanosTotal() < 0 || a.getPauseNanosMax() < 0 || a.getHeapBytesUsed() < 0
                        || a.getResidentBytes() < 0 || a.getLastCheckpointId() < 0 || a.getCheckpointAgeMillis() < 0
                        || a.getCheckpointsBehind() < 0) {
                    return "app '" + a.getApp() + "': a counter is negative";
                }
            }
            return null;
        }

        private void register(Register r) {
            if (device != null) {
                throw invalid("device '" + device.name() + "' is already registered on this stream: Register is"
                        + " sent once, first");
            }
            HeapNames.checkDevice(r.getDevice());
            if (r.getMemoryBytes() < 0) {
                throw invalid("memory_bytes must not be negative, got " + r.getMemoryBytes());
            }
            r.getAppsRunningList().forEach(HeapNames::checkApp);
            guard.checkDevice(r.getDevice());
            device = registry.attach(r, out);
            // again: a ResetDeviceToken between the check and the attach found no stream to end. A failure
            // ends the stream (fail) unless that reset's end came first; the device is told it is attached
            // only after this check, so a reset after it has seen Attached always ends it as a reset.
            guard.checkDevice(r.getDevice());
            device.acknowledge();
        }

        private AttachedDevice registered(String what) {
            if (device == null) {
                throw invalid("the first message of an Attach stream is a Register, not " + what);
            }
            return device;
        }

        private void fail(Status status) {
            ended = true;
            if (device != null) {
                registry.detach(device);
                device.end(status);
            } else {
                synchronized (out) {
                    out.onError(status.asRuntimeException());
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            ended = true;
            if (device != null) {
                registry.detach(device);
            }
        }

        @Override
        public void onCompleted() {
            if (ended) {
                return;   // a failure ended the stream already: closing it again would throw (found by store-requests)
            }
            ended = true;
            if (device != null) {
                registry.detach(device);
                device.end(null);
            } else {
                synchronized (out) {
                    out.onCompleted();
                }
            }
        }

        private static StatusRuntimeException invalid(String message) {
            return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
        }
    }
}
