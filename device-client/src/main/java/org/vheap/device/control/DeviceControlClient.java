package org.vheap.device.control;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vheap.proto.v1.AppStatus;
import org.vheap.proto.v1.Command;
import org.vheap.proto.v1.CommandResult;
import org.vheap.proto.v1.ControlMessage;
import org.vheap.proto.v1.DeviceControlGrpc;
import org.vheap.proto.v1.DeviceMessage;
import org.vheap.proto.v1.DeviceReport;
import org.vheap.proto.v1.Register;

/**
 * A device's control stream to its heap server ({@code DeviceControl.Attach}).
 *
 * <p><b>Contract.</b> {@link #start()} attaches in the background and registers; the device is
 * <em>attached</em> once the server has acknowledged the registration ({@link #awaitAttached}). Each command
 * the server pushes runs on its own command thread through the {@link DeviceControlHandler} and is answered
 * with a {@code CommandResult} (a thrown exception → {@code ok=false} with its message). When the stream
 * breaks, the client attaches again after a backoff from {@value #MIN_BACKOFF_MILLIS} ms doubling to
 * {@value #MAX_BACKOFF_MILLIS} ms (reset once attached), registering the apps {@code runningApps} lists
 * then; it gives up only when the server says the registration is invalid (INVALID_ARGUMENT), a newer attach
 * of the same device name replaced it (ABORTED), or the server refuses its credential (UNAUTHENTICATED,
 * PERMISSION_DENIED: a server requiring tokens wants this device's token, {@code vheap token --device NAME}, or
 * the admin token); {@link #gaveUp()} then says why, and {@link #awaitAttached} returns false at once.
 * The stream carries {@code authorization: Bearer <token>} when the client is given a token. {@link #close()} ends the stream and shuts the channel and threads down within
 * a bounded time. Thread-safe.
 *
 * <p><b>Risks.</b> A command is not retried across a reconnect: the server fails it when the stream breaks,
 * so a suspend may have been carried out by a handler whose answer was lost.
 */
public final class DeviceControlClient implements AutoCloseable {
    static final long MIN_BACKOFF_MILLIS = 200;
    static final long MAX_BACKOFF_MILLIS = 5_000;
    private static final long CLOSE_WAIT_MILLIS = 5_000;
    private static final Logger log = LoggerFactory.getLogger(DeviceControlClient.class);

    private final String target;
    private final String token;                            // null: none
    private final DeviceRegistration registration;
    private final DeviceControlHandler handler;
    private final Supplier<List<String>> runningApps;
    private final ManagedChannel channel;
    private final ScheduledExecutorService connector;
    private final ExecutorService commands;

    private final Object lock = new Object();
    private Session session;                               // guarded by lock: the current stream
    private boolean started;                               // guarded by lock
    private boolean closed;                                // guarded by lock
    private boolean attached;                              // guarded by lock
    private long backoffMillis = MIN_BACKOFF_MILLIS;       // guarded by lock
    private Status gaveUp;                                 // guarded by lock: why it stopped attaching
    private Status lastFailure;                            // guarded by lock: why the last stream ended
    private Supplier<DeviceReport> reports;                // guarded by lock: null, none sent
    private long reportEveryMillis;                        // guarded by lock

    /**
     * @param target      the heap server (or gateway), {@code host:port}; plaintext
     * @param runningApps the apps running on the device, asked at every (re)registration
     */
    public DeviceControlClient(String target, DeviceRegistration registration, DeviceControlHandler handler,
                               Supplier<List<String>> runningApps) {
        this(target, org.vheap.security.ClientTls.plaintext(), registration, handler, runningApps);
    }

    /** As above, over {@code tls} (plaintext or TLS). */
    public DeviceControlClient(String target, org.vheap.security.ClientTls tls, DeviceRegistration registration,
                               DeviceControlHandler handler, Supplier<List<String>> runningApps) {
        this(target, tls, null, registration, handler, runningApps);
    }

    /**
     * As above, the stream carrying {@code token} (this device's token or the admin token; {@code null}: none)
     * as {@code authorization: Bearer} metadata.
     */
    public DeviceControlClient(String target, org.vheap.security.ClientTls tls, String token,
                               DeviceRegistration registration, DeviceControlHandler handler,
                               Supplier<List<String>> runningApps) {
        Objects.requireNonNull(target, "target");
        if (!target.matches("[^:]+:\\d{1,5}")) {
            throw new IllegalArgumentException("the heap server address must be HOST:PORT, got '" + target + "'");
        }
        this.target = target;
        this.token = token == null ? null : org.vheap.security.AccessTokens.check(token, "device token");
        this.registration = Objects.requireNonNull(registration, "registration");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.runningApps = Objects.requireNonNull(runningApps, "runningApps");
        this.channel = NettyChannelBuilder.forTarget(target, tls.credentials()).intercept(tls.mismatchHints())
                .keepAliveTime(20, TimeUnit.SECONDS).keepAliveWithoutCalls(true).build();
        String device = registration.device();
        this.connector = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "vheap-control-" + device));
        this.commands = Executors.newCachedThreadPool(r -> daemon(r, "vheap-control-command-" + device));
    }

    /**
     * Before {@link #start}: sends {@code reports}' report once attached and every {@code every} while attached (the
     * server shows the last on its devices page and its /metrics). A report that throws is skipped.
     */
    public DeviceControlClient reportEvery(Duration every, Supplier<DeviceReport> reports) {
        if (every == null || every.toMillis() <= 0) {
            throw new IllegalArgumentException("the report interval must be positive, got " + every);
        }
        synchronized (lock) {
            if (started) {
                throw new IllegalStateException("reports are set before the control client starts");
            }
            this.reports = Objects.requireNonNull(reports, "reports");
            this.reportEveryMillis = every.toMillis();
        }
        return this;
    }

    /** Attaches in the background (see {@link #awaitAttached}). Once only. */
    public void start() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the control client of device '" + registration.device() + "' is closed");
            }
            if (started) {
                throw new IllegalStateException("the control client of device '" + registration.device() + "' is started already");
            }
            started = true;
            if (reports != null) {
                connector.scheduleWithFixedDelay(this::sendReport, reportEveryMillis, reportEveryMillis, TimeUnit.MILLISECONDS);
            }
        }
        connector.execute(this::connect);
    }

    /** Sends a report now if attached (on the connector's thread). */
    private void sendReport() {
        Session s;
        Supplier<DeviceReport> source;
        synchronized (lock) {
            s = attached ? session : null;
            source = reports;
        }
        if (s == null || source == null) {
            return;
        }
        try {
            s.send(DeviceMessage.newBuilder().setReport(source.get()).build());
        } catch (RuntimeException e) {
            log.debug("device '{}': no report this time: {}", registration.device(), e.toString());
        }
    }

    /** Tells the server an app's state changed ("running", "suspended", "stopped", ...); dropped while not attached. */
    public void appStateChanged(String app, String state) {
        Session s;
        synchronized (lock) {
            s = attached ? session : null;
        }
        if (s != null) {
            s.send(DeviceMessage.newBuilder().setAppStatus(AppStatus.newBuilder().setApp(app).setState(state)).build());
        }
    }

    /**
     * Waits until the server has acknowledged the registration; false on timeout, when closed, or once the
     * client gave up (see {@link #gaveUp()}).
     */
    public boolean awaitAttached(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!attached && !closed && gaveUp == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return attached;
        }
    }

    /**
     * Why the client stopped attaching for good (the server's status: INVALID_ARGUMENT, ABORTED,
     * UNAUTHENTICATED or PERMISSION_DENIED, with its message); {@code null} while it goes on.
     */
    public Status gaveUp() {
        synchronized (lock) {
            return gaveUp;
        }
    }

    /**
     * Why the last control stream ended or could not be opened, e.g. UNAVAILABLE {@code nothing answers at
     * HOST:PORT (connection refused): ...}; {@code null} while none has ended.
     */
    public Status lastFailure() {
        synchronized (lock) {
            return lastFailure;
        }
    }

    /** Ends the stream (the server detaches the device), then shuts the channel and threads down, bounded. */
    @Override
    public void close() {
        Session s;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            attached = false;
            s = session;
            session = null;
            lock.notifyAll();
        }
        connector.shutdownNow();
        if (s != null) {
            s.end();
        }
        commands.shutdown();
        channel.shutdown();
        try {
            if (!channel.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                channel.shutdownNow();
            }
            if (!commands.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                log.warn("device '{}': commands still running after {} ms; interrupting them", registration.device(),
                        CLOSE_WAIT_MILLIS);
                commands.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            commands.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------------------------------------------

    private void connect() {
        Session s = new Session();
        synchronized (lock) {
            if (closed) {
                return;
            }
            session = s;
        }
        s.open();
    }

    private void attached(Session s) {
        synchronized (lock) {
            if (session != s || closed) {
                return;
            }
            attached = true;
            backoffMillis = MIN_BACKOFF_MILLIS;
            lock.notifyAll();
            if (reports != null) {
                connector.execute(this::sendReport);   // the server shows it at once, not an interval later
            }
        }
        log.info("device '{}' attached to the heap server at {}", registration.device(), target);
    }

    /** A stream ended: attach again after the backoff unless the client is closed or must give up. */
    private void ended(Session s, Status status) {
        long delay;
        synchronized (lock) {
            if (session != s || closed) {
                return;
            }
            boolean wasAttached = attached;
            session = null;
            attached = false;
            lastFailure = status;
            if (givesUp(status.getCode())) {
                gaveUp = status;
                lock.notifyAll();
                log.error("device '{}' detached from {} and gives up: {}", registration.device(), target, status);
                return;
            }
            delay = backoffMillis;
            backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS);
            if (wasAttached) {
                log.warn("device '{}' lost its control stream to {} ({}); attaching again", registration.device(),
                        target, status.getCode());
            }
        }
        try {
            connector.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    /** A bad registration, a newer attach of the name, a refused credential: retrying cannot help. */
    private static boolean givesUp(Status.Code code) {
        return code == Status.Code.INVALID_ARGUMENT || code == Status.Code.ABORTED
                || code == Status.Code.UNAUTHENTICATED || code == Status.Code.PERMISSION_DENIED;
    }

    private void run(Session s, Command c) {
        CommandResult.Builder r = CommandResult.newBuilder().setCommandId(c.getCommandId());
        try {
            switch (c.getKind()) {
                case SUSPEND -> r.setCheckpointId(handler.suspend(c.getApp()));
                case RESUME -> handler.resume(c.getApp(), c.getCheckpointId());
                case STOP_APP -> handler.stop(c.getApp());
                default -> throw new UnsupportedOperationException("this device does not know the command " + c.getKind());
            }
            r.setOk(true);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.warn("device '{}' could not {} app '{}'", registration.device(), c.getKind(), c.getApp(), e);
            r.setOk(false).setMessage(e.getMessage() == null ? e.toString() : e.getMessage());
        }
        s.send(DeviceMessage.newBuilder().setResult(r).build());
    }

    private List<String> running() {
        try {
            return runningApps.get();
        } catch (RuntimeException e) {
            log.warn("device '{}': cannot list its running apps for the registration; registering none", registration.device(), e);
            return List.of();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** One Attach stream. Sends are serialised on the session (gRPC observers are not thread-safe). */
    private final class Session implements StreamObserver<ControlMessage> {
        private StreamObserver<DeviceMessage> requests;   // guarded by this
        private boolean done;                             // guarded by this

        void open() {
            DeviceControlGrpc.DeviceControlStub stub = DeviceControlGrpc.newStub(channel)
                    .withInterceptors(org.vheap.client.VheapHeaders.forDevice(registration.device()));
            if (token != null) {
                stub = stub.withInterceptors(new org.vheap.security.BearerToken(token));
            }
            StreamObserver<DeviceMessage> r = stub.attach(this);
            synchronized (this) {
                requests = r;
            }
            send(DeviceMessage.newBuilder().setRegister(Register.newBuilder().setDevice(registration.device())
                    .setMemoryBytes(registration.memoryBytes()).addAllResources(registration.resources())
                    .addAllAppsRunning(running())).build());
        }

        synchronized void send(DeviceMessage m) {
            if (done || requests == null) {
                return;
            }
            try {
                requests.onNext(m);
            } catch (RuntimeException e) {   // the call has ended under us
                done = true;
            }
        }

        /** Half-closes the stream: the server detaches the device and completes it. */
        synchronized void end() {
            if (done || requests == null) {
                return;
            }
            done = true;
            try {
                requests.onCompleted();
            } catch (RuntimeException ignored) {
                // already ended
            }
        }

        @Override
        public void onNext(ControlMessage m) {
            if (m.hasAttached()) {
                attached(this);
            } else if (m.hasCommand()) {
                Command c = m.getCommand();
                try {
                    commands.execute(() -> run(this, c));
                } catch (RejectedExecutionException e) {
                    // closing: the server fails the command when the stream ends
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            synchronized (this) {
                done = true;
            }
            ended(this, Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            synchronized (this) {
                done = true;
            }
            ended(this, Status.UNAVAILABLE.withDescription("the server ended the control stream"));
        }
    }
}
