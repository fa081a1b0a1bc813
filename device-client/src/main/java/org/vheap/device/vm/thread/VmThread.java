package org.vheap.device.vm.thread;

/**
 * A green thread: its slot array (locals and operand stacks of all its activations), its activations, and its
 * scheduling state. All green threads run on the VM's one interpreter host thread, switched by the
 * {@link Scheduler} at bytecode quantum boundaries, so none of this needs host synchronization.
 */
public final class VmThread {
    /** Continuations: what to do when an activation returns. */
    public static final int RETURN_NORMAL = 0;
    /** The activation was pushed by the VM; its result is discarded. */
    public static final int RETURN_DISCARD = 1;
    /** The activation runs a class's {@code <clinit>}: on return the class is initialized. */
    public static final int RETURN_CLINIT = 2;
    /** The activation's result replaces the value on top of the caller's operand stack (a native's deferred call). */
    public static final int RETURN_REPLACE = 3;
    /** The thread's last activation: when it returns, the thread ends. */
    public static final int RETURN_END_THREAD = 4;
    /**
     * A reflective call (Method.invoke): the result, boxed if primitive (null for void), replaces the value on
     * top of the caller's stack; an exception leaving the activation is wrapped in InvocationTargetException.
     */
    public static final int RETURN_REFLECT = 5;
    /** A reflective constructor call: the result is discarded; exceptions are wrapped as for RETURN_REFLECT. */
    public static final int RETURN_REFLECT_DISCARD = 6;

    /** java.lang.Thread.threadStatus of a started, live thread (JVMTI state bits, as HotSpot sets them). */
    public static final int JAVA_STATUS_RUNNABLE = 0x0004 | 0x0001;
    /** java.lang.Thread.threadStatus of a thread that has ended. */
    public static final int JAVA_STATUS_TERMINATED = 0x0002;
    // the other JVMTI thread state bits HotSpot's java_lang_Thread::set_thread_status combines
    private static final int ALIVE = 0x0001;
    private static final int WAITING_INDEFINITELY = 0x0010;
    private static final int WAITING_WITH_TIMEOUT = 0x0020;
    private static final int SLEEPING = 0x0040;
    private static final int WAITING = 0x0080;
    private static final int IN_OBJECT_WAIT = 0x0100;
    private static final int PARKED = 0x0200;
    private static final int BLOCKED_ON_MONITOR_ENTER = 0x0400;

    /** Most slots a thread's stack may use: beyond, StackOverflowError. */
    public static final int MAX_SLOTS = 1 << 21;
    /** Most activations a thread may have: beyond, StackOverflowError. */
    public static final int MAX_DEPTH = 6000;

    private final int id;
    private final String debugName;
    public long[] slots = new long[4096];
    public Activation[] activations = new Activation[64];
    /** Number of activations; the current one is activations[depth - 1]. */
    public int depth;
    /** The java.lang.Thread object (heap reference). */
    public int javaThread;
    public ThreadState state = ThreadState.RUNNABLE;
    /** For TIMED_WAITING: when to wake (the VM clock's nanos). */
    public long wakeAt;
    /** The monitor's object this thread waits to enter, or is waiting on. */
    public int monitorObject;
    /** Recursion count to restore when re-entering a monitor after wait. */
    public int savedMonitorCount;
    /**
     * The blocking native the thread is in, until it runs again: {@link #IN_SLEEP}, {@link #IN_PARK},
     * {@link #IN_WAIT}, {@link #IN_IO}, or 0 (running, or blocked entering a monitor). Its end is natives.BlockingCalls#finish.
     */
    public int blockedIn;
    /** Thread.sleep. */
    public static final int IN_SLEEP = 1;
    /** Unsafe.park (LockSupport). */
    public static final int IN_PARK = 2;
    /** Object.wait (and so Thread.join). */
    public static final int IN_WAIT = 3;
    /** Waiting for a socket (the VM's socket poller): a native read or accept, RUNNABLE to Java as on HotSpot. */
    public static final int IN_IO = 4;
    /** Set by Object.notify: the waiter was notified (rather than timed out or interrupted). */
    public boolean notified;
    /**
     * A Java exception waiting to be thrown in this thread when it next runs (a heap reference), or 0. Nothing
     * sets it now; a checkpoint of an earlier device, which delivered interrupts this way, may hold one.
     */
    public int pendingException;
    /** Set to end the current quantum early (e.g. waiting for another thread's class initialization). */
    public boolean yieldNow;
    /** The exception that ended the thread (a heap reference), or 0. */
    public int uncaught;
    /** Whether this thread's death was due to an uncaught exception. */
    public boolean diedOfException;

    /** Calls natives asked for, run after the native returns (see {@link DeferredCall}). */
    public final java.util.ArrayList<DeferredCall> deferred = new java.util.ArrayList<>();
    /** Classes a native asked to initialize (loader.VmClass), initialized right after it returns. */
    public final java.util.ArrayList<Object> deferredInit = new java.util.ArrayList<>();
    /** The class whose {@code <clinit>} each RETURN_CLINIT activation runs, by activation index. */
    public Object[] clinitOf = new Object[64];
    /** Unpark permit (LockSupport). */
    public boolean permit;
    /** Whether this is a daemon thread (does not keep the VM alive). */
    public boolean daemon;

    public VmThread(int id, String debugName) {
        this.id = id;
        this.debugName = debugName;
        for (int i = 0; i < activations.length; i++) {
            activations[i] = new Activation();
        }
    }

    public int id() {
        return id;
    }

    /** The name the thread had when it started (for diagnostics; the Java name is in its Thread object). */
    public String debugName() {
        return debugName;
    }

    /**
     * This thread's state as HotSpot would have it in {@code java.lang.Thread.threadStatus} (JVMTI bits, which
     * {@code jdk.internal.misc.VM.toThreadState} maps to a {@code Thread.State}).
     */
    public int javaStatus() {
        if (blockedIn == IN_IO && state != ThreadState.TERMINATED) {
            return JAVA_STATUS_RUNNABLE;
        }
        return switch (state) {
            case RUNNABLE -> JAVA_STATUS_RUNNABLE;
            case BLOCKED -> ALIVE | BLOCKED_ON_MONITOR_ENTER;
            case WAITING -> ALIVE | WAITING | WAITING_INDEFINITELY | (blockedIn == IN_PARK ? PARKED : IN_OBJECT_WAIT);
            case TIMED_WAITING -> ALIVE | WAITING | WAITING_WITH_TIMEOUT
                    | (blockedIn == IN_SLEEP ? SLEEPING : blockedIn == IN_PARK ? PARKED : IN_OBJECT_WAIT);
            case TERMINATED -> JAVA_STATUS_TERMINATED;
        };
    }

    /** The current activation. */
    public Activation top() {
        return activations[depth - 1];
    }

    /** Makes room for another activation; false when the depth limit is reached. */
    public boolean ensureActivation() {
        if (depth < activations.length) {
            return true;
        }
        if (depth >= MAX_DEPTH) {
            return false;
        }
        Activation[] grown = java.util.Arrays.copyOf(activations, Math.min(activations.length * 2, MAX_DEPTH));
        for (int i = activations.length; i < grown.length; i++) {
            grown[i] = new Activation();
        }
        activations = grown;
        clinitOf = java.util.Arrays.copyOf(clinitOf, grown.length);
        return true;
    }

    /** Makes {@code needed} slots addressable; false when the slot limit is reached. */
    public boolean ensureSlots(int needed) {
        if (needed <= slots.length) {
            return true;
        }
        if (needed > MAX_SLOTS) {
            return false;
        }
        int size = slots.length;
        while (size < needed) {
            size *= 2;
        }
        slots = java.util.Arrays.copyOf(slots, Math.min(size, MAX_SLOTS));
        return true;
    }

    /** Asks for a Java call to run right after the current native returns. */
    public void defer(DeferredCall call) {
        deferred.add(call);
    }

    @Override
    public String toString() {
        return "thread " + id + " (" + debugName + ", " + state + ")";
    }
}
