package org.vheap.device.cli;

import java.util.ArrayList;
import java.util.List;
import org.vheap.cli.CliValues;
import org.vheap.device.DeviceConfig;
import org.vheap.device.DeviceEvents;
import org.vheap.device.store.GrpcHeapStore;
import org.vheap.device.store.HeapStore;
import org.vheap.device.store.MemoryHeapStore;
import org.vheap.device.store.flash.FlashFrontedStore;
import org.vheap.device.store.flash.FlashHeapStore;
import org.vheap.device.store.flash.FlashStoreConfig;
import picocli.CommandLine.Option;

/**
 * The options every command that runs an app shares: the store, this device, its memory, and the checkpoint
 * triggers. {@link #config} turns them into a validated {@link DeviceConfig}; sizes and durations are read as
 * the server's and the gateway's are ({@link CliValues}: {@code 512k}, {@code 64m}; {@code 500ms}, {@code 10s},
 * {@code 2m}, plain seconds).
 */
final class DeviceOptions {
    private static final String FLASH = "flash:";
    private static final String NO_STORE = "give --server HOST:PORT, --store memory or --store flash:DIR (or flash:DIR"
            + " and --server: the device's flash in front of the server)";

    @Option(names = "--app", description = "The app's name in the store.")
    String app;

    @Option(names = "--server", paramLabel = "HOST:PORT", description = "The heap server (or gateway) holding the app's heap.")
    String server;

    @Option(names = "--store", paramLabel = "memory|flash:DIR", description = "'memory': a store inside this process"
            + " (nothing outlives the run); 'flash:DIR': the device's own persistent heap, a log in DIR (its checkpoints"
            + " outlive kill -9 and reboots; resume from it). 'flash:DIR' with --server: the heap in DIR in front of the"
            + " server, which gets every checkpoint (evictions and faults stay on the device).")
    String store;

    @Option(names = "--flash-block", paramLabel = "SIZE", defaultValue = "128k",
            description = "With --store flash:DIR, the log's write block. Default: ${DEFAULT-VALUE}.")
    String flashBlock;

    @Option(names = "--flash-size", paramLabel = "SIZE", description = "With --store flash:DIR, the most bytes its"
            + " logs may take, the cleaner's copies included (at least 8 blocks); when the app's records do not fit even"
            + " after cleaning, the app pauses and says so. Default: no bound.")
    String flashSize;

    @Option(names = "--flash-segment", paramLabel = "SIZE", description = "With --store flash:DIR, the bytes of the"
            + " log's segments, which the cleaner frees one at a time (a cleaning needs a segment's room free). Default: a"
            + " 32nd of --flash-size, at most 4m, at least a block.")
    String flashSegment;

    @Option(names = "--device", defaultValue = "device-1", description = "This device's name (the lease holder). Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--memory", defaultValue = "512k", description = "Device memory for heap lines. Default: ${DEFAULT-VALUE}.")
    String memory;

    @Option(names = "--nursery", paramLabel = "SIZE",
            description = "Of the memory, this much holds new objects; most die there without ever reaching the store "
                    + "(0: off). Default: an eighth of --memory, at most 1m.")
    String nursery;

    @Option(names = "--file-space", paramLabel = "SIZE",
            description = "The bytes the app's own files may hold together (its file system lives in its heap, so "
                    + "files travel with it); a write beyond fails with \"No space left on device\". Default: 64m.")
    String fileSpace;

    @Option(names = "--working-set", paramLabel = "SIZE",
            description = "Collect the user heap a few working sets of this size at a time, so a collection reads the "
                    + "part of the heap it collects (a power of two, e.g. a quarter of --memory). Default: 0, every "
                    + "collection of the user heap is whole.")
    String workingSet;

    @Option(names = "--young", negatable = true, defaultValue = "false", fallbackValue = "true",
            description = "Collect the lines the nursery promotes into (young lines) alone while they are still in "
                    + "memory, so structures that outgrew the nursery and died soon after are dropped without a write "
                    + "(--working-set takes its place). Default: off.")
    boolean young;

    @Option(names = "--compact", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Full collections of the user heap also move the live objects of mostly free lines together "
                    + "into dense ones (--no-compact: objects stay where they were promoted). Default: on.")
    boolean compact = true;

    @Option(names = "--tier", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Hot methods are translated into host code that the host JIT compiles (--no-tier: every"
                    + " instruction interpreted). Default: on.")
    boolean tier = true;

    @Option(names = "--write-behind", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Evictions write dirty lines in the background while clean ones leave room (--no-write-behind: "
                    + "each eviction of a dirty line waits for its write, and reports a failed store at once). Default: on.")
    boolean writeBehind = true;

    @Option(names = "--max-heap", defaultValue = "1g", description = "Virtual heap limit (OutOfMemoryError beyond). Default: ${DEFAULT-VALUE}.")
    String maxHeap;

    @Option(names = "--checkpoint-every-lines", paramLabel = "N", defaultValue = "0",
            description = "Checkpoint when N lines were dirtied since the last checkpoint (0: off). Default: ${DEFAULT-VALUE}.")
    int everyLines;

    @Option(names = "--checkpoint-interval", paramLabel = "DURATION",
            description = "Checkpoint at least this often, e.g. 500ms, 10s, 1m (0s: off), so a crash of the device "
                    + "(kill -9, power loss) loses at most that much of the app's work. Default: 10s with --server or --store "
                    + "flash:DIR; off with --store memory (nothing outlives the process there).")
    String interval;

    @Option(names = "--checkpoint-after-gc", description = "Checkpoint after each garbage collection.")
    boolean afterGc;

    @Option(names = "--checkpoint-on-switch", description = "Checkpoint at every green-thread switch (slow; for testing).")
    boolean onSwitch;

    @Option(names = "--no-checkpoint-on-suspend", negatable = false,
            description = "Suspend to the last checkpoint instead of taking one (later work is lost).")
    boolean noCheckpointOnSuspend;

    @Option(names = "--resource", paramLabel = "NAME", description = "A resource this device offers apps (repeatable), e.g. console, sensor:temperature, net (TCP sockets).")
    List<String> resources = new ArrayList<>();

    @Option(names = "--mount", paramLabel = "HOSTDIR:/PATH[:ro]",
            description = "A host directory apps see at /PATH (repeatable; :ro read-only), leased as resource mount:/PATH.")
    List<String> mounts = new ArrayList<>();

    @Option(names = "--lease", paramLabel = "DURATION", defaultValue = "0s",
            description = "How long the heap lease lasts unrenewed, e.g. 10s (0s: the server's default). Default: ${DEFAULT-VALUE}.")
    String lease;

    @Option(names = "--wait-lease", paramLabel = "DURATION", defaultValue = "0s",
            description = "Wait this long for another device's lease on the heap to end (0s: fail at once). Default: ${DEFAULT-VALUE}.")
    String waitLease;

    @Option(names = "--preflush-lines", paramLabel = "N", defaultValue = "64",
            description = "Write dirty lines in the background once N are dirty, ahead of checkpoints (0: off). Default: ${DEFAULT-VALUE}.")
    int preflushLines;

    @Option(names = "--store-retry", paramLabel = "DURATION", defaultValue = "30s",
            description = "How long a line read or flush retries an unavailable store (a server restart, its database away) before the app stops; checkpoints wait for the store regardless. Default: ${DEFAULT-VALUE}.")
    String storeRetry;

    @Option(names = "--read-ahead", paramLabel = "N",
            description = "On a miss that continues an ascending run of misses, read up to N lines after it, and the 4 before it, in the same store call (0: off). Default: an eighth of the lines the memory holds beside the nursery, at most 32.")
    Integer readAhead;

    @Option(names = "--crash-at", paramLabel = "POINT:N", hidden = true,
            description = "Tests only: stop the VM at the N-th time it passes POINT (minor, promotion, full, young, flush, preflush, commit) and wait there to be killed.")
    String crashAt;

    @Option(names = "--eager-resume", description = "On resume, bring in every heap line before the app runs (default: lazily, as the app touches them).")
    boolean eagerResume;

    @Option(names = {"-v", "--verbose"}, description = "Report each checkpoint on stderr.")
    boolean verbose;

    @Option(names = "--tls", description = "Connect to --server with TLS (trusting the system's certificates unless --tls-ca).")
    boolean tls;

    @Option(names = "--tls-ca", paramLabel = "FILE", description = "Trust the PEM certificates in FILE (implies --tls).")
    java.nio.file.Path tlsCa;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:VHEAP_TOKEN}",
            description = "Access token sent with every call (the app's, or the admin token; or set VHEAP_TOKEN).")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Read the access token from FILE; a token issued when this run creates the app is written there.")
    java.nio.file.Path tokenFile;

    @Option(names = "--tokens", paramLabel = "DIR",
            description = "One token file per app, DIR/APP.token (devices running several apps); new apps' tokens are written there.")
    java.nio.file.Path tokensDir;

    DeviceConfig config() {
        if (app == null) {
            throw new IllegalArgumentException("give --app NAME: the app's name in the store");
        }
        DeviceConfig config = new DeviceConfig().app(app).deviceName(device)
                .memoryBytes(CliValues.positiveBytes("--memory", memory))
                .maxHeapBytes(CliValues.positiveBytes("--max-heap", maxHeap))
                .checkpointEveryDirtyLines(everyLines)
                .checkpointAfterCollection(afterGc)
                .checkpointOnThreadSwitch(onSwitch)
                .checkpointOnSuspend(!noCheckpointOnSuspend)
                .resources(resources)
                .mounts(mounts.stream().map(org.vheap.device.vm.mount.Mount::parse).toList())
                .lease(CliValues.duration("--lease", lease))
                .waitForLease(CliValues.duration("--wait-lease", waitLease))
                .eagerResume(eagerResume)
                .preflushLines(preflushLines)
                .storeRetryFor(CliValues.duration("--store-retry", storeRetry));
        config.compaction(compact).writeBehind(writeBehind).youngCollections(young)
                .tierThreshold(tier ? DeviceConfig.DEFAULT_TIER_THRESHOLD : -1);
        if (nursery != null) {
            config.nurseryBytes(CliValues.bytes("--nursery", nursery));
        }
        if (fileSpace != null) {
            config.fileSpaceBytes(CliValues.bytes("--file-space", fileSpace));
        }
        if (workingSet != null) {
            long bytes = CliValues.bytes("--working-set", workingSet);
            if (bytes != 0 && Long.bitCount(bytes) != 1) {
                throw new IllegalArgumentException("--working-set '" + workingSet + "' is not 0 or a power of two (64k, 256k, 1m)");
            }
            config.workingSetBytes(bytes);
        }
        if (interval != null) {
            config.checkpointInterval(CliValues.duration("--checkpoint-interval", interval));
        }
        if (readAhead != null) {
            if (readAhead < 0) {
                throw new IllegalArgumentException("--read-ahead takes 0 (off) or more lines, got " + readAhead);
            }
            config.readAheadLines(readAhead);
        }
        if (crashAt != null) {
            org.vheap.device.CrashPoint crash = org.vheap.device.CrashPoint.parse(crashAt, System.err);
            config.collectorProbe(crash).sessionProbe(crash);
        }
        return config;
    }

    /**
     * The store the options name: --server, --store memory, --store flash:DIR, or flash:DIR and --server (a
     * {@link FlashFrontedStore}); one with --server when required.
     */
    HeapStore openStore(boolean serverRequired) {
        if (serverRequired && server == null) {
            throw new IllegalArgumentException("give --server HOST:PORT: the app's checkpoints live in a heap server");
        }
        boolean fronted = server != null && store != null && store.startsWith(FLASH);
        if (server == null && store == null) {
            throw new IllegalArgumentException(NO_STORE);
        }
        if (server != null && store != null && !fronted) {
            throw new IllegalArgumentException("--store " + store + " does not go with --server: only flash:DIR does"
                    + " (the device's flash in front of the server)");
        }
        if (flashSize != null && (store == null || !store.startsWith(FLASH))) {
            throw new IllegalArgumentException("--flash-size goes with --store flash:DIR");
        }
        if (flashSegment != null && (store == null || !store.startsWith(FLASH))) {
            throw new IllegalArgumentException("--flash-segment goes with --store flash:DIR");
        }
        if (server != null) {
            GrpcHeapStore remote = new GrpcHeapStore(server, clientTls(), DeviceTokens.of(token, tokenFile, tokensDir,
                    System.err), GrpcHeapStore.DEFAULT_DEADLINE);
            if (!fronted) {
                return remote;
            }
            try {
                return FlashFrontedStore.open(flashDir(), flashConfig(), java.time.Clock.systemUTC(), remote, server);
            } catch (RuntimeException e) {
                remote.close();
                throw e;
            }
        }
        if (store.equals("memory")) {
            return new MemoryHeapStore();
        }
        return FlashHeapStore.open(flashDir(), flashConfig(), java.time.Clock.systemUTC());
    }

    /** DIR of --store flash:DIR. */
    private java.nio.file.Path flashDir() {
        if (store.startsWith(FLASH) && store.length() > FLASH.length()) {
            return java.nio.file.Path.of(store.substring(FLASH.length()));
        }
        throw new IllegalArgumentException("--store takes 'memory' or 'flash:DIR', got '" + store + "'");
    }

    /** --flash-block and --flash-size as a flash store's config, checked. */
    private FlashStoreConfig flashConfig() {
        long block = CliValues.bytes("--flash-block", flashBlock);
        if (block < 4096 || block > FlashStoreConfig.MAX_BLOCK) {
            throw new IllegalArgumentException("--flash-block must be from 4k to 64m, got " + flashBlock);
        }
        long size = flashSize == null ? 0 : CliValues.bytes("--flash-size", flashSize);
        if (flashSize != null && size < FlashStoreConfig.MIN_BLOCKS * block) {
            throw new IllegalArgumentException("--flash-size must be at least " + FlashStoreConfig.MIN_BLOCKS
                    + " blocks of --flash-block (" + FlashStoreConfig.MIN_BLOCKS * block + " bytes), got " + flashSize);
        }
        long segment = flashSegment == null ? 0 : CliValues.bytes("--flash-segment", flashSegment);
        if (flashSegment != null && (segment < block || (size > 0 && segment > size / 4))) {
            throw new IllegalArgumentException("--flash-segment must be from a block (" + block + " bytes) to a quarter"
                    + " of --flash-size, got " + flashSegment);
        }
        return new FlashStoreConfig().blockSize((int) block).flashSize(size).segmentSize(segment).validate();
    }

    /** The store an app is resumed from: one that keeps checkpoints, a heap server or a flash store. */
    HeapStore openPersistentStore() {
        if (server == null && (store == null || !store.startsWith(FLASH))) {
            throw new IllegalArgumentException("give --server HOST:PORT or --store flash:DIR: the app's checkpoints live"
                    + " in a heap server or in the device's flash store");
        }
        return openStore(false);
    }

    /** --tls and --tls-ca as the client's TLS choice. */
    org.vheap.security.ClientTls clientTls() {
        return org.vheap.security.ClientTls.fromOptions(tls, tlsCa);
    }

    /** Checkpoint reports and store waits on stderr: failures and waits always, each checkpoint with --verbose. */
    DeviceEvents events() {
        return new StderrEvents(app, verbose, System.err);
    }

    /** {@link #events()}: one app's lines on {@code err}, each prefixed {@code vheap: app NAME:}. */
    record StderrEvents(String app, boolean verbose, java.io.PrintStream err) implements DeviceEvents {
        @Override
        public DeviceEvents forApp(String name) {
            return new StderrEvents(name, verbose, err);
        }

        @Override
        public void checkpointed(long checkpointId, int lines, long nanos, String reason) {
            if (verbose) {
                err.printf(java.util.Locale.ROOT, "vheap: app %s: checkpoint %d (%d lines, %.1f ms, %s)%n", app, checkpointId, lines,
                        nanos / 1e6, reason);
            }
        }

        @Override
        public void resumed(long checkpointId, org.vheap.device.ResumeSteps steps, long linesFetched) {
            if (verbose) {
                StringBuilder each = new StringBuilder();
                long[] nanos = steps.nanos();
                for (int i = 0; i < nanos.length; i++) {
                    each.append(i == 0 ? "" : ", ").append(org.vheap.device.ResumeSteps.NAMES.get(i))
                            .append(String.format(java.util.Locale.ROOT, " %.1f", nanos[i] / 1e6));
                }
                err.printf(java.util.Locale.ROOT, "vheap: app %s: resumed from checkpoint %d, running after %.1f ms (%s ms;"
                        + " %d heap lines fetched)%n", app, checkpointId, steps.totalNanos() / 1e6, each, linesFetched);
            }
        }

        @Override
        public void checkpointFailed(String why) {
            err.println("vheap: app " + app + ": checkpoint failed, the app is paused until the store is back: " + why);
        }

        @Override
        public void storeWaiting(String what, String why, java.time.Duration retryFor) {
            err.println("vheap: app " + app + ": could not " + what + ", the app is paused until the store is back ("
                    + (retryFor.isZero() ? "retrying a few times" : "retrying for up to " + CliValues.format(retryFor)) + "): " + why);
        }

        @Override
        public void storeBack(String what, long waitedNanos) {
            err.printf(java.util.Locale.ROOT, "vheap: app %s: the store is back after %.1f s (%s), the app goes on%n", app, waitedNanos / 1e9, what);
        }
    }
}
