package org.vheap.device.vm;

import java.util.List;
import org.vheap.device.vm.heap.Collector;
import org.vheap.device.vm.heap.MinorCollector;
import org.vheap.device.vm.heap.CollectionLog;
import org.vheap.device.vm.heap.CollectionLog.Kind;
import org.vheap.device.vm.heap.HeapMemory;
import org.vheap.device.vm.heap.WorkingSets;
import org.vheap.device.vm.interp.CallSites;
import org.vheap.device.vm.interp.Interpreter;
import org.vheap.device.vm.interp.MethodInvoker;
import org.vheap.device.vm.interp.StackRoots;
import org.vheap.device.vm.loader.VmClass;
import org.vheap.device.vm.loader.VmField;
import org.vheap.device.vm.loader.VmMethod;
import org.vheap.device.vm.natives.BlockingCalls;
import org.vheap.device.vm.net.HostSockets;
import org.vheap.device.vm.natives.NativeLibrary;
import org.vheap.device.vm.natives.Natives;
import org.vheap.device.vm.thread.Activation;
import org.vheap.device.vm.thread.Scheduler;
import org.vheap.device.vm.thread.ThreadState;
import org.vheap.device.vm.thread.VmThread;
import org.vheap.format.FrameMaps;
import org.vheap.format.VmStateImage;

/**
 * Boots the JDK's library on a fresh heap and runs a main class, as the {@code java} launcher does:
 * creates the system and main thread groups and the main thread, runs {@code System.initPhase1}, loads and
 * initializes the main class, calls {@code main(String[])}, schedules green threads until every non-daemon
 * thread has ended, then runs {@code Shutdown.shutdown()}. Returns the exit status: {@code System.exit}'s
 * argument, 1 if main ended with an uncaught exception, else 0.
 *
 * <p>Thread endings follow HotSpot: an uncaught exception goes to {@code Thread.dispatchUncaughtException}
 * (which prints {@code Exception in thread "main" ...}), then {@code Thread.exit()} runs, then joiners wake.
 */
public final class VmLauncher {
    /** Faults since the user heap's last collection, in frames, that induce one ({@link #pagingInducesCollection}). */
    static final int INDUCING_FAULTS = 4;
    /** The heap grows by at least this much between collections. */
    static final long MIN_GROWTH_BEFORE_COLLECTION = 4L << 20;
    /** Near the heap's limit, a full collection comes after half the room left is taken, but never before this much. */
    static final long MIN_ROOM_GROWTH = 256L << 10;
    /** The bytes an app's files may take together unless the device says otherwise ({@code --file-space}). */
    public static final long DEFAULT_FILE_SPACE = 64L << 20;
    /** What {@link #launch} and {@link #resume} return when the {@link SafepointListener} suspended the app. */
    public static final int SUSPENDED = -1;
    /** The longest the scheduler sleeps (all threads waiting) before it visits a safepoint again. */
    private static final long MAX_IDLE_NANOS = 20_000_000L;

    private final Vm vm;
    private final Interpreter interpreter;
    private final MethodInvoker invoker;
    private final int quantum;
    private final Natives natives;
    private final StackRoots stackRoots = new StackRoots();
    private final Collector collector;
    private final MinorCollector minorCollector;
    /** Check the write barrier before every minor collection (tests). */
    private boolean verifyRememberedSets;
    /** Full collections compact the user heap too. */
    private boolean compactUserHeap;
    private long bytesCompacted;
    /** The thread groups while the library boots (before the main thread's Thread object names them), else 0. */
    private final int[] bootRoots = new int[2];
    private final java.util.Map<VmThread, Integer> exitPhase = new java.util.HashMap<>();
    private VmThread mainThread;
    private boolean mainDiedOfException;
    private long liveAfterLastCollection;
    /** {@link HeapMemory#linesFaulted} when the user heap was last collected. */
    private long faultsAtLastCollection;
    private long peakHeapBytes;
    /** Each collection: its kind, pause (on the VM's clock) and the lines it touched and faulted. */
    private final CollectionLog collectionLog = new CollectionLog();
    private long bytesPromoted;
    private SafepointListener safepoints = (collected, switched) -> false;

    public VmLauncher(Vm vm, CallSites.Synthesizer synthesizer, int quantum) {
        this(vm, synthesizer, quantum, DEFAULT_FILE_SPACE);
    }

    /** A VM whose app may keep {@code fileSpace} bytes of files in its heap (its own file system). */
    public VmLauncher(Vm vm, CallSites.Synthesizer synthesizer, int quantum, long fileSpace) {
        this.vm = vm;
        this.quantum = quantum;
        this.natives = new Natives();
        this.invoker = new MethodInvoker(vm, natives);
        BlockingCalls blockingCalls = new BlockingCalls(vm);
        this.interpreter = new Interpreter(vm, invoker, new CallSites(vm.classes(), synthesizer), blockingCalls);
        NativeLibrary.registerAll(natives, vm, invoker, interpreter.backtraces(), blockingCalls, fileSpace);
        this.collector = new Collector(vm.memory(), vm.allocator(), vm.nursery(), vm.shapes());
        this.minorCollector = new MinorCollector(vm.memory(), vm.allocator(), vm.nursery(), vm.shapes());
    }

    /** The tier: hot methods translated into host code from {@code threshold} calls and loops on; -1: off. */
    public void setTier(int threshold) {
        interpreter.setTier(threshold);
    }

    /** Methods the tier translated so far. */
    public int translatedMethods() {
        return interpreter.translatedMethods();
    }

    /**
     * The native substitutions of this VM: a device adds its own (the app API) before the app starts. The
     * natives the JDK's library needs are registered already.
     */
    public Natives natives() {
        return natives;
    }

    /** Who is told as collections pass their points (the crash tests: {@link org.vheap.device.vm.heap.CollectorProbe}). */
    public void setCollectorProbe(org.vheap.device.vm.heap.CollectorProbe probe) {
        collector.setProbe(probe);
        minorCollector.setProbe(probe);
    }

    /** Who is told of every safepoint of the running app (checkpoints, suspension). */
    public void setSafepointListener(SafepointListener listener) {
        this.safepoints = java.util.Objects.requireNonNull(listener, "listener");
    }

    /**
     * Runs {@code mainClass}'s main with {@code args} and returns the exit status, or {@link #SUSPENDED} when the
     * safepoint listener suspended the app.
     */
    public int launch(String mainClass, List<String> args) {
        vm.bootClasses();
        mainThread = new VmThread(1, "main");
        vm.threads().add(mainThread);
        vm.scheduler().add(mainThread);
        bootLibrary();
        VmClass main;
        try {
            main = vm.classes().load(mainClass.replace('.', '/'));
        } catch (JavaError e) {
            vm.console().err().print(mainClassFailure(mainClass, e));
            return 1;
        }
        VmMethod mainMethod = main.declaredMethod("main", "([Ljava/lang/String;)V");
        if (mainMethod == null || !mainMethod.isStatic()) {
            vm.console().err().println("Error: Main method not found in class " + mainClass
                    + ", please define the main method as:\n   public static void main(String[] args)\n"
                    + "or a JavaFX application class must extend javafx.application.Application");
            return 1;
        }
        int argv = vm.newArray(vm.classes().load("[Ljava/lang/String;"), args.size());
        for (int i = 0; i < args.size(); i++) {
            vm.putRef(Vm.elementAddress(argv, i, 2), vm.strings().newString(args.get(i)));
        }
        invoker.pushActivation(mainThread, mainMethod, new long[] {argv}, VmThread.RETURN_END_THREAD);
        invoker.initializer().initialize(mainThread, main);
        return runApp();
    }

    /**
     * What the {@code java} launcher prints when loading the main class fails (its {@code LauncherHelper}: the class
     * is loaded, not initialized, and then linked, which verifies it).
     */
    static String mainClassFailure(String mainClass, JavaError e) {
        String error = e.className().replace('/', '.');
        if (e.className().equals("java/lang/NoClassDefFoundError")) {
            // ClassNotFoundException for the main class itself; a class it needs, or a wrong name, as it is
            String cause = mainClass.replace('.', '/').equals(e.missingClass())
                    ? "java.lang.ClassNotFoundException: " + mainClass : error + ": " + e.getMessage();
            return "Error: Could not find or load main class " + mainClass + "\nCaused by: " + cause + "\n";
        }
        if (e.className().equals("java/lang/VerifyError") && e.appLoaderStep() != JavaError.AppLoaderStep.DEFINE_CLASS) {
            // HotSpot verifies when it links the class, after loading it
            return "Error: Unable to initialize main class " + mainClass + "\nCaused by: " + error + ": " + e.getMessage() + "\n";
        }
        return "Error: LinkageError occurred while loading main class " + mainClass + "\n\t" + error
                + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "\n";
    }

    private int runApp() {
        if (!schedule()) {
            return SUSPENDED;
        }
        if (vm.exitStatus() == null) {
            shutdown();
        }
        vm.writeHeapHeader();
        // as a process reports it: the low eight bits of the status
        return (vm.exitStatus() != null ? vm.exitStatus() : mainDiedOfException ? 1 : 0) & 0xFF;
    }

    /** The version of code preparation a checkpoint's pcs refer to. */
    static int preparerVersion() {
        return MethodInvoker.preparerVersion();
    }

    /**
     * Reads a checkpoint's VM state for this VM to resume.
     *
     * @throws IllegalArgumentException when it is not one this VM can resume: another format, or pcs of another
     *                                  code preparer (with what is wrong)
     */
    public static VmStateImage readState(byte[] vmState) {
        return VmStateImage.decode(vmState, preparerVersion());
    }

    /**
     * Whether a checkpoint can capture the VM now: at a safepoint, with no native's follow-up work queued on any
     * thread (such work lives only on the host). Otherwise the next safepoint will do.
     */
    public boolean checkpointable() {
        for (VmThread t : vm.threads()) {
            if (!t.deferred.isEmpty() || !t.deferredInit.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The VM's state for a checkpoint, taken at a safepoint where {@link #checkpointable()}; writes the heap
     * header first, so the dirty lines to commit with it include the header's tables.
     *
     * @throws HeapExhausted when the heap is too full for the header's tables (collect, then try again)
     */
    public VmStateImage checkpointState() {
        if (!vm.nursery().isEmpty()) {   // a checkpoint holds no nursery object: promote the survivors first
            long began = vm.nanoTime();
            if (!minorCollector.canPromoteAll()) {
                throw new HeapExhausted(vm.nursery().bytesUsed());
            }
            collectNursery(true);
            vm.collected(false);
            logCollection(Kind.MINOR, began, -1);
        }
        if (!vm.writeHeapHeader()) {
            throw new HeapExhausted(0);
        }
        VmStateImage s = new VmStateImage();
        s.preparer = preparerVersion();
        s.vmNanos = vm.nanoTime();
        s.vmMillis = vm.currentTimeMillis();
        s.hashSeed = vm.hashSeed();
        s.bytecodes = vm.bytecodes();
        s.collections = vm.collections();
        s.outOfMemory = vm.outOfMemory();
        s.top = vm.allocator().top();
        s.bytesInUse = vm.allocator().bytesInUse();
        s.bytesSinceCollection = vm.allocator().bytesSinceCollection();
        s.freeRanges = vm.allocator().freeRanges();
        for (VmClass c : vm.classes().classes()) {
            s.classes.add(new VmStateImage.ClassImage(c.id(), c.name(), c.hash() == null ? null : c.hash().bytes(),
                    c.module(), c.isBootstrap(), c.isHidden(), c.primitive(), c.mirror(), c.mirrorBytes,
                    c.initState.ordinal(), c.initError));
        }
        s.interned.putAll(vm.strings().internTable());
        s.mainThread = mainThread.id();
        s.mainDiedOfException = mainDiedOfException;
        s.liveAfterLastCollection = liveAfterLastCollection;
        s.peakHeapBytes = peakHeapBytes;
        s.attachments.put(NativeMemory.ATTACHMENT, vm.nativeMemory().encode());
        s.attachments.put(HostSockets.ATTACHMENT, vm.sockets().encode());
        java.util.Map<Integer, List<FrameMaps.ActivationMap>> frames = new java.util.HashMap<>();
        for (VmThread t : vm.threads()) {
            s.threads.add(threadImage(t));
            frames.put(t.id(), stackRoots.frameMaps(t));
        }
        s.attachments.put(FrameMaps.ATTACHMENT, new FrameMaps(frames).encode());
        s.schedulerNext = vm.scheduler().nextIndex();
        for (Scheduler.MonitorState m : vm.scheduler().monitorStates()) {
            s.monitors.add(new VmStateImage.MonitorImage(m.object(), m.owner() == null ? 0 : m.owner().id(), m.count(),
                    ids(m.entrants()), ids(m.waiters())));
        }
        return s;
    }

    private VmStateImage.ThreadImage threadImage(VmThread t) {
        List<VmStateImage.ActivationImage> activations = new java.util.ArrayList<>();
        int used = 0;
        for (int i = 0; i < t.depth; i++) {
            Activation act = t.activations[i];
            VmMethod m = act.method;
            Object clinit = t.clinitOf[i];
            activations.add(new VmStateImage.ActivationImage(m.owner().name(), m.name(), m.descriptor(), act.pc, act.sp, act.bp,
                    act.lockedMonitor, act.onReturn, act.afterCall, clinit == null ? null : ((VmClass) clinit).name()));
            used = Math.max(used, act.sp);
        }
        return new VmStateImage.ThreadImage(t.id(), t.debugName(), t.javaThread, t.state.ordinal(), t.wakeAt,
                t.monitorObject, t.savedMonitorCount, t.blockedIn, t.notified, t.pendingException, t.uncaught,
                t.diedOfException, t.permit, t.daemon, exitPhase.getOrDefault(t, -1),
                java.util.Arrays.copyOf(t.slots, used), activations);
    }

    private static int[] ids(List<VmThread> threads) {
        return threads.stream().mapToInt(VmThread::id).toArray();
    }

    /**
     * Goes on with an app from a checkpoint's VM state, on a VM over that checkpoint's heap whose allocator
     * starts at the image's top and whose class source gives the class files the heap ran. Returns as
     * {@link #launch} does. Lazy: nothing of the heap is read here beyond what the first instructions touch.
     */
    public int resume(VmStateImage s) {
        restore(s);
        return runRestored();
    }

    /** The first half of {@link #resume}: the VM as the image has it (classes, strings, allocator, threads, monitors). */
    public void restore(VmStateImage s) {
        vm.restoreClasses(s.classes);
        vm.restoreCounters(s.hashSeed, s.bytecodes, s.collections, s.outOfMemory);
        vm.strings().restore(s.interned);
        vm.allocator().restore(s.freeRanges, s.bytesInUse, s.bytesSinceCollection);
        byte[] nativeMemory = s.attachments.get(NativeMemory.ATTACHMENT);
        if (nativeMemory != null) {   // absent in checkpoints from before native memory
            vm.nativeMemory().restore(nativeMemory);
        }
        java.util.Map<Integer, VmThread> byId = new java.util.HashMap<>();
        for (VmStateImage.ThreadImage ti : s.threads) {
            VmThread t = new VmThread(ti.id(), ti.name());
            byId.put(t.id(), t);
        }
        for (VmStateImage.ThreadImage ti : s.threads) {
            VmThread t = byId.get(ti.id());
            restoreThread(t, ti);
            vm.threads().add(t);
            vm.scheduler().add(t);
        }
        for (VmStateImage.MonitorImage m : s.monitors) {
            vm.scheduler().restoreMonitor(new Scheduler.MonitorState(m.object(), m.owner() == 0 ? null : thread(byId, m.owner()),
                    m.count(), threads(byId, m.entrants()), threads(byId, m.waiters())));
        }
        vm.scheduler().setNextIndex(s.schedulerNext);
        byte[] sockets = s.attachments.get(HostSockets.ATTACHMENT);
        if (sockets != null) {   // absent in checkpoints from before sockets
            vm.sockets().restore(sockets);
        }
        for (VmThread t : vm.threads()) {
            if (t.blockedIn == VmThread.IN_IO) {
                vm.scheduler().wake(t);   // it waited for a socket of another device: it looks again here
            }
        }
        mainThread = thread(byId, s.mainThread);
        mainDiedOfException = s.mainDiedOfException;
        liveAfterLastCollection = s.liveAfterLastCollection;
        peakHeapBytes = s.peakHeapBytes;
    }

    /** The second half of {@link #resume}: runs the restored VM, returning as {@link #launch} does. */
    public int runRestored() {
        return runApp();
    }

    private void restoreThread(VmThread t, VmStateImage.ThreadImage ti) {
        t.javaThread = ti.javaThread();
        t.state = ThreadState.values()[ti.state()];
        t.wakeAt = ti.wakeAt();
        t.monitorObject = ti.monitorObject();
        t.savedMonitorCount = ti.savedMonitorCount();
        t.blockedIn = ti.blockedIn();
        t.notified = ti.notified();
        t.pendingException = ti.pendingException();
        t.uncaught = ti.uncaught();
        t.diedOfException = ti.diedOfException();
        t.permit = ti.permit();
        t.daemon = ti.daemon();
        if (ti.exitPhase() >= 0) {
            exitPhase.put(t, ti.exitPhase());
        }
        if (!t.ensureSlots(Math.max(ti.slots().length, 16))) {
            throw new IllegalStateException("resuming: thread " + ti.name() + " has more slots than a thread may");
        }
        System.arraycopy(ti.slots(), 0, t.slots, 0, ti.slots().length);
        for (VmStateImage.ActivationImage fi : ti.activations()) {
            if (!t.ensureActivation()) {
                throw new IllegalStateException("resuming: thread " + ti.name() + " has more activations than a thread may");
            }
            VmClass owner = vm.classes().findLoaded(fi.owner());
            VmMethod m = owner == null ? null : owner.declaredMethod(fi.name(), fi.descriptor());
            if (m == null) {
                throw new IllegalStateException("resuming: an activation of thread " + ti.name() + " runs " + fi.owner() + "."
                        + fi.name() + fi.descriptor() + ", which the resumed class table does not have");
            }
            Activation act = t.activations[t.depth];
            act.method = m;
            act.code = MethodInvoker.activationCode(m);
            act.pc = fi.pc();
            act.sp = fi.sp();
            act.bp = fi.bp();
            act.lockedMonitor = fi.lockedMonitor();
            act.onReturn = fi.onReturn();
            act.afterCall = fi.afterCall();
            if (fi.clinitOf() != null) {
                VmClass c = vm.classes().findLoaded(fi.clinitOf());
                t.clinitOf[t.depth] = c;
                if (c != null && c.initState == VmClass.InitState.INITIALIZING) {
                    c.initThread = t;
                }
            }
            t.depth++;
            t.ensureSlots(act.sp + (m.node() == null ? 0 : m.node().maxStack) + 2);
        }
    }

    private static VmThread thread(java.util.Map<Integer, VmThread> byId, int id) {
        VmThread t = byId.get(id);
        if (t == null) {
            throw new IllegalStateException("resuming: the VM state names thread " + id + ", which it does not hold");
        }
        return t;
    }

    private static List<VmThread> threads(java.util.Map<Integer, VmThread> byId, int[] ids) {
        List<VmThread> list = new java.util.ArrayList<>();
        for (int id : ids) {
            list.add(thread(byId, id));
        }
        return list;
    }

    /** The most heap in use seen at a safepoint (live objects and garbage not yet collected). */
    public long peakHeapBytes() {
        return peakHeapBytes;
    }

    /**
     * Each collection's pause so far (marking, sweeping and discarding freed lines, and writing the heap header), in
     * nanoseconds on the VM's clock, oldest first.
     */
    public long[] collectionPauses() {
        return collectionLog.pauses(Kind.FULL);
    }

    public Interpreter interpreter() {
        return interpreter;
    }

    private void bootLibrary() {
        for (String name : new String[] {"java/lang/Object", "java/lang/String", "java/lang/System", "java/lang/Class",
                "java/lang/ThreadGroup", "java/lang/Thread", "java/lang/Throwable"}) {
            initialize(vm.classes().load(name));
        }
        VmClass groupClass = vm.classes().load("java/lang/ThreadGroup");
        // the groups are roots until the main thread names them: a collection during a call may free or move them
        bootRoots[0] = vm.newObject(groupClass);
        call(groupClass.declaredMethod("<init>", "()V"), bootRoots[0]);
        bootRoots[1] = vm.newObject(groupClass);
        call(groupClass.declaredMethod("<init>", "(Ljava/lang/ThreadGroup;Ljava/lang/String;)V"), bootRoots[1], bootRoots[0],
                vm.strings().intern("main"));
        VmClass threadClass = vm.classes().load("java/lang/Thread");
        int thread = vm.newObject(threadClass);
        vm.putIntField(thread, threadClass.declaredField("priority"), 5);
        vm.putIntField(thread, threadClass.declaredField("threadStatus"), VmThread.JAVA_STATUS_RUNNABLE);
        mainThread.javaThread = thread;
        call(threadClass.declaredMethod("<init>", "(Ljava/lang/ThreadGroup;Ljava/lang/String;)V"), thread, bootRoots[1],
                vm.strings().intern("main"));
        java.util.Arrays.fill(bootRoots, 0);   // the main thread's Thread object names its group, which names its parent
        // the classes HotSpot initializes before and after initPhase1 (Threads::initialize_java_lang_classes)
        for (String name : new String[] {"java/lang/Module", "jdk/internal/misc/UnsafeConstants",
                "java/lang/reflect/Method", "java/lang/ref/Finalizer"}) {
            initialize(vm.classes().load(name));
        }
        call(vm.classes().load("java/lang/System").declaredMethod("initPhase1", "()V"));
        // the JDK's boot loader and its unnamed module, every class's (Class.getModule: ClassNatives)
        initialize(vm.classes().load("jdk/internal/loader/BootLoader"));
        for (String name : new String[] {"java/lang/OutOfMemoryError", "java/lang/NullPointerException",
                "java/lang/ClassCastException", "java/lang/ArrayStoreException", "java/lang/ArithmeticException",
                "java/lang/StackOverflowError", "java/lang/IllegalMonitorStateException",
                "java/lang/IllegalArgumentException"}) {
            initialize(vm.classes().load(name));
        }
        vm.setOutOfMemory(interpreter.exceptions().create(mainThread,
                new JavaError("java/lang/OutOfMemoryError", "Java heap space")));
    }

    /**
     * Collects garbage: the nursery when it filled up (a minor collection); a group of working sets of the user heap
     * when two working sets' worth was allocated there since the last collection, or paging got heavy (see
     * {@link Collector#collectWorkingSets} and {@link #pagingInducesCollection});
     * the whole user heap when an allocation there failed or it grew by more than it held after the last full
     * collection (at least {@link #MIN_GROWTH_BEFORE_COLLECTION}, at most half the room left below the heap's limit;
     * promotion counts as growth), which the working
     * sets' collections put off as long as they free enough. A minor collection that would not fit in the user heap
     * runs after a full one. Called only at a safepoint. Returns whether the user heap was collected (it shrank: what
     * the safepoint listener's checkpoint-after-collection policy waits for).
     */
    private boolean maybeCollect() {
        peakHeapBytes = Math.max(peakHeapBytes, vm.heapBytesInUse());
        boolean minorDue = vm.minorCollectionRequested();
        vm.minorCollectionHandled();
        boolean fullDue = vm.collectionRequested() || fullCollectionDue();
        boolean induced = !fullDue && pagingInducesCollection();
        if (!minorDue && !fullDue && !induced && !workingSetCollectionDue() && !vm.allocator().youngLines().due()) {
            return false;
        }
        long began = vm.nanoTime();
        boolean full = false;
        if (!vm.nursery().isEmpty()) {
            if (!minorCollector.canPromoteAll()) {
                collectUserHeap();   // marks through the nursery too; its sweep may make room to promote into
                logCollection(Kind.FULL, began, -1);
                began = vm.nanoTime();
                full = true;
            }
            if (minorCollector.canPromoteAll()) {
                collectNursery(false);
                logCollection(Kind.MINOR, began, -1);
                began = vm.nanoTime();
            }
        }
        boolean partial = false;
        if (!full && !fullDue && !fullCollectionDue() && vm.allocator().youngLines().due()
                && !vm.allocator().youngLines().tenureInstead()) {
            if (verifyRememberedSets) {
                minorCollector.verifyRemembered(this::visitRoots);
                began = vm.nanoTime();
            }
            collector.collectYoung(this::visitRoots);
            vm.allocator().youngLines().faulted(vm.memory().collectionLinesFaulted());
            logCollection(Kind.YOUNG, began, -1);
            began = vm.nanoTime();
            partial = true;
        }
        if (!partial && !full && !fullDue && !fullCollectionDue() && (induced || workingSetCollectionDue())
                && collector.workingSetsCollectable()) {
            if (verifyRememberedSets) {
                minorCollector.verifyRemembered(this::visitRoots);
                began = vm.nanoTime();
            }
            Collector.Result r = collector.collectWorkingSets(this::visitRoots);
            long wsLines = vm.allocator().workingSets().bytes() / vm.memory().lineSize();
            logCollection(Kind.WORKING_SET, began, r.workingSets() * wsLines + r.rememberedLines());
            began = vm.nanoTime();
            partial = true;
        }
        if (!full && (fullDue || fullCollectionDue())) {   // promotion may have grown the user heap enough
            collectUserHeap();
            logCollection(Kind.FULL, began, -1);
            full = true;
        }
        vm.collected(full);
        if (full || partial) {
            faultsAtLastCollection = vm.memory().linesFaulted();
        }
        if (full) {
            vm.writeHeapHeader();
        }
        return full || partial;
    }

    /**
     * The user heap grew by more than it held after the last full collection (at least the minimum), or by half the
     * room that collection left below the heap's limit.
     */
    private boolean fullCollectionDue() {
        long growth = Math.max(MIN_GROWTH_BEFORE_COLLECTION, liveAfterLastCollection);
        // in a heap whose limit is near, before half the room left is taken: so a collection finds room to compact
        // into, rather than running only when an allocation fails with the heap full to its limit
        long room = Math.max(MIN_ROOM_GROWTH, (vm.allocator().limit() - liveAfterLastCollection) / 2);
        return vm.allocator().bytesInUse() - liveAfterLastCollection >= Math.min(growth, room);
    }

    /**
     * Two working sets' worth was allocated in the user heap since its last collection (enough for a group's
     * collection to free something worth its reads), and some can be collected alone.
     */
    private boolean workingSetCollectionDue() {
        WorkingSets ws = vm.allocator().workingSets();
        return ws.known() && vm.allocator().bytesSinceCollection() >= 2 * ws.bytes() && collector.workingSetsCollectable();
    }

    /**
     * Paging got heavy (the seed induces a collection then): since the user heap's last collection the heap faulted
     * in {@link #INDUCING_FAULTS} times its frames, a working set's worth was allocated there (half what is otherwise
     * due; its garbage may be what crowds the frames), and some working sets can be collected alone. Never a full collection: one walks the
     * live heap through the very cache that is thrashing (measured: induced full collections made binary-trees and
     * collections at a tenth of their heap fault 1.4x and 3.5x as many lines).
     */
    private boolean pagingInducesCollection() {
        HeapMemory memory = vm.memory();
        WorkingSets ws = vm.allocator().workingSets();
        return memory.frames() > 0 && ws.known() && vm.allocator().bytesSinceCollection() >= ws.bytes()
                && memory.linesFaulted() - faultsAtLastCollection >= (long) INDUCING_FAULTS * memory.frames()
                && collector.workingSetsCollectable();
    }

    /** A full collection of the user heap now; at a safepoint (for tools, and tests that check what it found). */
    public Collector.Result collectUserHeapNow() {
        return collectUserHeap();
    }

    /** A full collection of the user heap (see {@link Collector}). */
    private Collector.Result collectUserHeap() {
        Collector.Result r = compactUserHeap ? collector.collectAndCompact(this::visitRoots, vm::forEachPinnedRoot)
                : collector.collect(this::visitRoots);
        liveAfterLastCollection = r.liveBytes();
        bytesCompacted += r.movedBytes();
        return r;
    }

    /**
     * A minor collection (see {@link MinorCollector}): eden emptied, its survivors kept for one more in a survivor
     * space, or with {@code promoteAll} every survivor promoted and the nursery empty.
     */
    private void collectNursery(boolean promoteAll) {
        if (verifyRememberedSets) {
            minorCollector.verifyRemembered(this::visitRoots);
        }
        vm.memory().collecting(true);
        MinorCollector.Result r;
        try {
            r = minorCollector.collect(this::visitRoots, promoteAll);
        } finally {
            vm.memory().collecting(false);
        }
        vm.nurseryEmptied();
        bytesPromoted += r.promotedBytes();
    }

    /** Applies a collector's root operator to every root: the VM's own and each thread's. */
    private void visitRoots(java.util.function.IntUnaryOperator roots) {
        vm.forEachVmRoot(roots);
        for (int i = 0; i < bootRoots.length; i++) {
            bootRoots[i] = roots.applyAsInt(bootRoots[i]);
        }
        for (VmThread t : vm.threads()) {
            if (t.state != ThreadState.TERMINATED) {
                stackRoots.scan(t, roots);
            } else {
                t.javaThread = roots.applyAsInt(t.javaThread);
            }
        }
    }

    /**
     * Check the write barrier before every minor collection: everything reachable is walked, and a user-heap slot
     * naming a nursery object that the remembered set lacks stops the VM with an IllegalStateException. For tests:
     * it walks the whole heap each time.
     */
    public void verifyRememberedSets(boolean verify) {
        this.verifyRememberedSets = verify;
    }

    /**
     * Whether full collections of the user heap compact it too ({@link Collector#collectAndCompact}): objects the VM
     * names from outside the heap stay ({@link Vm#forEachPinnedRoot}), the roots it rewrites may move.
     */
    public void compactUserHeap(boolean compact) {
        this.compactUserHeap = compact;
    }

    /**
     * Turns young collections on ({@link org.vheap.device.vm.heap.YoungLines}): after a minor collection, once a
     * quarter of the frames' bytes was promoted (or allocated) into young lines since the last one (4 MiB when the
     * heap is not paged), the young lines are collected alone while they are still in memory.
     */
    public void collectYoungLines() {
        HeapMemory memory = vm.memory();
        long budget = memory.frames() > 0 ? Math.max(memory.lineSize(), (long) memory.frames() * memory.lineSize() / 4)
                : MIN_GROWTH_BEFORE_COLLECTION;
        vm.allocator().enableYoungCollections(budget);
    }

    /** Bytes that full collections moved to compact the user heap (this run). */
    public long bytesCompacted() {
        return bytesCompacted;
    }

    /** Minor collections so far (this run). */
    public long minorCollections() {
        return collectionLog.count(Kind.MINOR);
    }

    /** This run's collection pauses, summed, in nanoseconds. Any thread. */
    public long pauseNanosTotal() {
        return collectionLog.pauseNanosTotal();
    }

    /** This run's longest collection pause, in nanoseconds. Any thread. */
    public long pauseNanosMax() {
        return collectionLog.pauseNanosMax();
    }

    /** Each collection of this run (the newest {@link CollectionLog#KEPT}): a snapshot. */
    public CollectionLog collectionLog() {
        return collectionLog.copy();
    }

    /** A collection of this kind ended; it began at {@code began} on the VM's clock. */
    private void logCollection(Kind kind, long began, long faultBound) {
        HeapMemory memory = vm.memory();
        collectionLog.add(new CollectionLog.Entry(kind, vm.nanoTime() - began, memory.collectionLinesTouched(),
                memory.collectionLinesFaulted(), faultBound));
    }

    /** Bytes promoted from the nursery into the user heap so far (this run). */
    public long bytesPromoted() {
        return bytesPromoted;
    }

    /** Each minor collection's pause so far, in nanoseconds on the VM's clock, oldest first. */
    public long[] minorPauses() {
        return collectionLog.pauses(Kind.MINOR);
    }

    private void initialize(VmClass c) {
        if (!invoker.initializer().initialize(mainThread, c)) {
            runToCompletion(c.toString());
        }
    }

    /** Runs a method on the main thread to completion during boot (no other thread exists yet). */
    private void call(VmMethod m, int... refs) {
        long[] args = new long[refs.length];
        for (int i = 0; i < refs.length; i++) {
            args[i] = refs[i];
        }
        invoker.pushActivation(mainThread, m, args, VmThread.RETURN_DISCARD);
        runToCompletion(m.toString());
    }

    private void runToCompletion(String what) {
        while (mainThread.depth > 0) {
            if (mainThread.state != ThreadState.RUNNABLE) {
                throw new IllegalStateException("the main thread blocked while booting the library (" + what + ")");
            }
            interpreter.run(mainThread, Integer.MAX_VALUE);
            vm.clearSafepointRequest();   // no safepoint while booting: the request waits for the app's first one
            maybeCollect(); // an allocation may have asked for a collection
        }
        if (mainThread.uncaught != 0) {
            int ex = mainThread.uncaught;
            mainThread.uncaught = 0;
            throw new IllegalStateException("booting the library failed in " + what + ": " + describe(ex));
        }
    }

    /** The class and message of an exception object, for boot failures. */
    private String describe(int ex) {
        VmField message = vm.classes().load("java/lang/Throwable").declaredField("detailMessage");
        String text = vm.strings().hostString(vm.getIntField(ex, message));
        return vm.classOf(ex).javaName() + (text == null ? "" : ": " + text);
    }

    /** Runs the app's threads until the app ends (true) or the safepoint listener suspends it (false). */
    private boolean schedule() {
        VmThread previous = null;
        boolean switched = false;
        while (vm.exitStatus() == null) {
            if (!anyLive(false)) {
                return true;
            }
            boolean collected = maybeCollect();
            vm.clearSafepointRequest();   // before the listener: a request made while it runs cuts the next quantum
            if (safepoints.atSafepoint(collected, switched)) {
                return false;
            }
            switched = false;
            VmThread t = vm.scheduler().pick();
            if (t == null) {
                long wait = vm.scheduler().nanosUntilNextWake();
                if (wait < 0) {
                    vm.console().err().println("vheap: every thread of the app is blocked (deadlock); stopping the app");
                    vm.halt(1);
                    return true;
                }
                if (!vm.sockets().idle(Math.min(wait, MAX_IDLE_NANOS))) {
                    sleepHost(Math.min(wait, MAX_IDLE_NANOS));
                }
                continue;
            }
            vm.sockets().poll();
            switched = previous != null && t != previous;
            previous = t;
            interpreter.run(t, quantum);
            if (t.depth == 0 && t.state != ThreadState.TERMINATED) {
                threadRanOut(t);
            }
        }
        return true;
    }

    private boolean anyLive(boolean includeDaemons) {
        for (VmThread t : vm.threads()) {
            if (t.state != ThreadState.TERMINATED && (includeDaemons || !t.daemon)) {
                return true;
            }
        }
        return false;
    }

    private static void sleepHost(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000L, (int) (nanos % 1_000_000L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the device was interrupted", e);
        }
    }

    /**
     * A thread's activations ran out: its run (or main) returned or threw. Runs the JDK's end-of-thread steps as
     * further activations: dispatchUncaughtException, then exit(); then the thread terminates.
     */
    private void threadRanOut(VmThread t) {
        VmClass threadClass = vm.classes().load("java/lang/Thread");
        int phase = exitPhase.getOrDefault(t, 0);
        if (phase == 0 && t.uncaught != 0) {
            int ex = t.uncaught;
            t.uncaught = 0;
            t.diedOfException = true;
            if (t == mainThread) {
                mainDiedOfException = true;
            }
            exitPhase.put(t, 1);
            invoker.pushActivation(t, threadClass.declaredMethod("dispatchUncaughtException", "(Ljava/lang/Throwable;)V"),
                    new long[] {t.javaThread, ex}, VmThread.RETURN_DISCARD);
            return;
        }
        if (phase == 1 && t.uncaught != 0) {
            int ex = t.uncaught;
            vm.console().err().print("\nException: " + vm.classOf(ex).javaName()
                    + " thrown from the UncaughtExceptionHandler in thread \"" + threadName(t) + "\"\n");
        }
        t.uncaught = 0;
        if (phase < 2) {
            exitPhase.put(t, 2);
            VmMethod exit = threadClass.declaredMethod("exit", "()V");
            if (exit != null) {
                invoker.pushActivation(t, exit, new long[] {t.javaThread}, VmThread.RETURN_DISCARD);
                return;
            }
        }
        t.state = ThreadState.TERMINATED;
        vm.putIntField(t.javaThread, threadClass.declaredField("threadStatus"), VmThread.JAVA_STATUS_TERMINATED);
        vm.scheduler().wakeAllWaiters(t.javaThread);
    }

    private String threadName(VmThread t) {
        return vm.strings().hostString(vm.getIntField(t.javaThread, vm.field("java/lang/Thread", "name")));
    }

    private void shutdown() {
        VmClass shutdown = vm.classes().load("java/lang/Shutdown");
        VmThread t = new VmThread(vm.threads().size() + 1, "DestroyJavaVM");
        t.javaThread = mainThread.javaThread;
        vm.threads().add(t);
        vm.scheduler().add(t);
        invoker.pushActivation(t, shutdown.declaredMethod("shutdown", "()V"), new long[0], VmThread.RETURN_DISCARD);
        exitPhase.put(t, 2);
        while (vm.exitStatus() == null && t.state != ThreadState.TERMINATED) {
            maybeCollect();
            VmThread next = vm.scheduler().pick();
            if (next == null) {
                long wait = vm.scheduler().nanosUntilNextWake();
                if (wait < 0) {
                    return;
                }
                if (!vm.sockets().idle(wait)) {
                    sleepHost(wait);
                }
                continue;
            }
            interpreter.run(next, quantum);
            vm.clearSafepointRequest();   // the exit runs to its end: no safepoint to ask for
            if (next.depth == 0 && next.state != ThreadState.TERMINATED) {
                if (next == t) {
                    t.state = ThreadState.TERMINATED;
                } else {
                    threadRanOut(next);
                }
            }
        }
    }
}
