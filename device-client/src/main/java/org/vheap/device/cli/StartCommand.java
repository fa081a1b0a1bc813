package org.vheap.device.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.vheap.cli.CliValues;
import org.vheap.device.DeviceAgent;
import org.vheap.device.DeviceConfig;
import org.vheap.device.DeviceConsole;
import org.vheap.device.DeviceException;
import org.vheap.device.control.DeviceControlClient;
import org.vheap.device.control.DeviceControlHandler;
import org.vheap.device.control.DeviceRegistration;
import org.vheap.device.store.HeapStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code vheap device start}: a long-running device. It registers with the heap server (name, memory,
 * resources) and keeps a control stream open, so the server can suspend and resume apps here ({@code vheap
 * migrate}); it runs several apps at once, each on its own VM; and it reads commands from standard input:
 * {@code run APP CLASSPATH MAINCLASS [ARGS]}, {@code resume APP [CHECKPOINT]}, {@code suspend APP},
 * {@code checkpoint APP}, {@code stop APP}, {@code apps}, {@code quit}. The apps' output is the device's output;
 * the device's own messages go to stderr, prefixed {@code vheap:}. End of input keeps the device running
 * until it is killed; {@code quit} (or Ctrl-C, or SIGTERM from {@code docker stop}) suspends every app with a
 * checkpoint, then stops. {@code --run} starts apps without a prompt (run, or resumed when they have a heap).
 * Each app is also checkpointed every 10 s unless {@code --checkpoint-interval} says otherwise, so a device that
 * crashes loses at most the last 10 s of any app's work.
 */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = "Start a device that registers with the heap server, runs several apps, obeys the server's "
                + "suspend/resume (vheap migrate), and reads commands from stdin: run APP CLASSPATH MAINCLASS [ARGS], "
                + "resume APP [CHECKPOINT], suspend APP, checkpoint APP, stop APP, apps, quit. Each app is checkpointed every "
                + "10 s (--checkpoint-interval; 0s: off), so a crash of the device (kill -9) loses at most the last 10 s.")
final class StartCommand implements Callable<Integer> {
    @Mixin
    DeviceOptions options;

    @Mixin
    ControlTokenOptions controlToken = new ControlTokenOptions();

    @picocli.CommandLine.Option(names = "--line-cache", defaultValue = "64m",
            description = "Copies of app lines kept after an app leaves, so it fetches only changed lines when it returns (0: none). Default: ${DEFAULT-VALUE}.")
    String lineCache;

    @picocli.CommandLine.Option(names = "--run", paramLabel = "'APP CLASSPATH MAINCLASS [ARGS]'",
            description = "An app to start once attached (repeatable): run fresh, or resumed from its newest checkpoint "
                    + "when it has a heap already, so a device that restarts (a container) goes on with its apps.")
    List<String> runAtStart = new ArrayList<>();

    @picocli.CommandLine.Option(names = "--no-warm-up",
            description = "Do not warm up in the background at start (by default the device boots the JDK's library once in a"
                    + " scratch VM and suspends and resumes it, so apps that arrive later, a migration above all, find its classes"
                    + " parsed and its code compiled: about a second and a half of one core; it says 'warmed up' when done).")
    boolean noWarmUp;

    /** How often the device tells the server how its apps run (the console's devices page, the server's /metrics). */
    static final Duration REPORT_EVERY = Duration.ofSeconds(5);

    /** The device's commands (the process's standard input; a test's own). */
    InputStream in = System.in;
    /** The device's own messages (the process's standard error; a test's own). */
    PrintStream log = System.err;

    @Override
    public Integer call() throws Exception {
        options.app = options.app == null ? "-" : options.app;
        DeviceConfig config = options.config();
        String attachToken = controlToken.resolve(options.token, options.tokenFile);
        try (HeapStore store = options.openStore(true)) {
            DeviceControlClient[] control = new DeviceControlClient[1];
            DeviceAgent agent = new DeviceAgent(config, store, DeviceConsole.host(), options.events(), (app, how) -> {
                log.println("vheap: device " + config.deviceName() + ": app " + app + " " + how);
                if (control[0] != null) {
                    control[0].appStateChanged(app, how.startsWith("suspended") ? "suspended" : "ended");
                }
            }, CliValues.bytes("--line-cache", lineCache));
            if (!noWarmUp) {
                long warmUpStart = System.nanoTime();
                agent.warmUp().whenComplete((classes, failed) -> {   // either way it changes no app's outcome
                    if (failed == null) {
                        log.println("vheap: device " + config.deviceName() + " warmed up in "
                                + (System.nanoTime() - warmUpStart) / 1_000_000 + " ms (" + classes + " classes parsed;"
                                + " a scratch app suspended and resumed)");
                    } else {
                        log.println("vheap: device " + config.deviceName() + ": the warm-up failed (apps parse their"
                                + " classes themselves): " + failed);
                    }
                });
            }
            DeviceControlHandler handler = new DeviceControlHandler() {
                @Override
                public long suspend(String app) {
                    return agent.suspend(app);
                }

                @Override
                public void resume(String app, long checkpointId) {
                    agent.resume(app, checkpointId);
                    log.println("vheap: device " + config.deviceName() + ": app " + app + " resumed");
                    control[0].appStateChanged(app, "running");
                }

                @Override
                public void stop(String app) {
                    agent.stop(app);
                }
            };
            control[0] = new DeviceControlClient(options.server, options.clientTls(), attachToken,
                    new DeviceRegistration(config.deviceName(), config.memoryBytes(), config.resources()), handler,
                    agent::runningApps).reportEvery(REPORT_EVERY, agent::report);
            Thread onSignal = new Thread(() -> suspendAll(agent, log), "vheap-device-stop");
            Runtime.getRuntime().addShutdownHook(onSignal);
            try {
                control[0].start();
                boolean attached = control[0].awaitAttached(java.time.Duration.ofSeconds(10));
                io.grpc.Status refused = attached ? null : control[0].gaveUp();
                if (refused != null) {
                    Runtime.getRuntime().removeShutdownHook(onSignal);
                    throw new DeviceException("device " + config.deviceName() + ": " + options.server
                            + " refused its control stream: " + refused.getCode() + ": " + refused.getDescription());
                } else if (!attached) {
                    io.grpc.Status why = control[0].lastFailure();
                    log.println("vheap: device " + config.deviceName() + ": not attached to " + options.server + " yet"
                            + (why == null ? "" : ": " + (why.getDescription() == null ? why.getCode() : why.getDescription()))
                            + "; retrying in the background");
                } else {
                    log.println("vheap: device " + config.deviceName() + " attached to " + options.server);
                }
                for (String app : runAtStart) {
                    try {
                        startApp(agent, control[0], log, words(app), true);
                    } catch (DeviceException | IllegalArgumentException e) {
                        log.println("vheap: --run '" + app + "': " + e.getMessage());
                    }
                }
                prompt(agent, control[0], log);
                Runtime.getRuntime().removeShutdownHook(onSignal);
                suspendAll(agent, log);
            } finally {
                control[0].close();
            }
        }
        return 0;
    }

    private void prompt(DeviceAgent agent, DeviceControlClient control, PrintStream log) throws IOException, InterruptedException {
        BufferedReader commands = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line; (line = commands.readLine()) != null; ) {
            List<String> words = words(line);
            if (words.isEmpty() || words.get(0).isEmpty() || words.get(0).startsWith("#")) {
                continue;
            }
            String verb = words.remove(0);
            try {
                switch (verb) {
                    case "run" -> startApp(agent, control, log, words, false);
                    case "resume" -> {
                        need(words, 1, "resume APP [CHECKPOINT]");
                        agent.resume(words.get(0), words.size() > 1 ? Long.parseLong(words.get(1)) : 0);
                        control.appStateChanged(words.get(0), "running");
                        log.println("vheap: device " + agent.deviceName() + ": app " + words.get(0) + " resumed");
                    }
                    case "suspend" -> {
                        need(words, 1, "suspend APP");
                        agent.suspend(words.get(0));
                    }
                    case "checkpoint" -> {
                        need(words, 1, "checkpoint APP");
                        agent.checkpoint(words.get(0));
                    }
                    case "stop" -> {
                        need(words, 1, "stop APP");
                        agent.stop(words.get(0));
                    }
                    case "apps" -> log.println("vheap: device " + agent.deviceName() + " runs: " + String.join(", ", agent.runningApps()));
                    case "quit", "exit" -> {
                        return;
                    }
                    default -> log.println("vheap: unknown command '" + verb + "' (run, resume, suspend, checkpoint, stop, apps, quit)");
                }
            } catch (DeviceException | IllegalArgumentException e) {
                log.println("vheap: " + verb + ": " + e.getMessage());
            }
        }
        // end of input (e.g. started in the background): keep serving the server until killed
        Thread.currentThread().join();
    }

    private static List<String> words(String line) {
        return new ArrayList<>(Arrays.asList(line.trim().split("\\s+")));
    }

    /** {@code APP CLASSPATH MAINCLASS [ARGS]}: runs the app, or with {@code orResume} resumes it if it has a heap. */
    private static void startApp(DeviceAgent agent, DeviceControlClient control, PrintStream log, List<String> words,
            boolean orResume) {
        need(words, 3, "run APP CLASSPATH MAINCLASS [ARGS]");
        List<Path> cp = new ArrayList<>();
        for (String e : words.get(1).split(":")) {
            cp.add(Path.of(e));
        }
        List<String> args = words.subList(3, words.size());
        if (orResume) {
            agent.runOrResume(words.get(0), cp, words.get(2), args);
        } else {
            agent.run(words.get(0), cp, words.get(2), args);
        }
        control.appStateChanged(words.get(0), "running");
        log.println("vheap: device " + agent.deviceName() + ": app " + words.get(0) + " started");
    }

    private static void need(List<String> words, int n, String usage) {
        if (words.size() < n) {
            throw new IllegalArgumentException("usage: " + usage);
        }
    }

    private static void suspendAll(DeviceAgent agent, PrintStream log) {
        for (String app : agent.runningApps()) {
            try {
                log.println("vheap: app " + app + " suspended at checkpoint " + agent.suspend(app));
            } catch (DeviceException e) {
                log.println("vheap: app " + app + " was not suspended: " + e.getMessage());
            }
        }
    }
}
