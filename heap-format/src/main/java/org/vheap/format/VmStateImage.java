package org.vheap.format;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The VM state a checkpoint commits beside the heap lines (the design notes' "VM-state blob"): what a VM
 * needs, besides the objects, to go on exactly where it stopped — the class table in definition order (so a
 * replay gives every class its id, method ids and mirror back), the interned strings, the allocator's free
 * space, every green thread's activations (method, pc, locals and operand stack) and scheduling state, the
 * monitors with their owners, entrants and wait sets, and the VM's clocks and counters. Devices add their own
 * sections ({@link #attachments}: the app's class path files, leases).
 *
 * <p>Everything here is plain data: the device VM makes an image at a safepoint ({@code VmLauncher#checkpointState})
 * and rebuilds a VM from one ({@code VmLauncher#resume}); the heap server reads one to know what a checkpoint names
 * (its classes, its system blobs: {@link CheckpointBlobs}). The byte form ({@link #encode}/{@link #decode}) is
 * versioned; a pc is a position in code prepared by the device VM's preparer, whose version ({@link #preparer}) is
 * part of the format, so a VM with another preparer refuses the image rather than misread it. A reader that runs no
 * code (the server) reads an image of any preparer ({@link #ANY_PREPARER}).
 *
 * <pre>
 * magic "VMST" u4, format u4, preparer version u4
 * clocks:    vm nanos u8, vm millis u8
 * counters:  hash seed u4, bytecodes u8, collections u8, OutOfMemoryError ref u4
 * allocator: top u8, in use u8, since collection u8, free range count u4, (address u8, bytes u8)*
 * classes:   count u4, (id u4, name utf, hash 0|32 bytes, module utf|"", flags u1, primitive u2, mirror u4,
 *            mirror bytes u4, init state u1, init error ref u4)*
 * interned:  count u4, (length u4, UTF-16 units, ref u4)*
 * launcher:  main thread id u4, main died of exception u1, live after last collection u8, peak heap u8
 * threads:   count u4, thread*  (see {@link ThreadImage})
 * scheduler: next u4, monitor count u4, (object u4, owner id u4|0, count u4, entrants ids, waiters ids)*
 * attachments: count u4, (name utf, length u4, bytes)*
 * </pre>
 */
public final class VmStateImage {
    static final int MAGIC = 0x564D5354; // "VMST"
    /** The format written and read here (a heap in another is refused, naming both; see HeapFormatFixtureTest). */
    public static final int FORMAT = 1;

    /** A class as the checkpoint saw it. {@code sha256} is null for arrays and primitives. */
    public record ClassImage(int id, String name, byte[] sha256, String module, boolean bootstrap, boolean hidden,
                             char primitive, int mirror, int mirrorBytes, int initState, int initError) {
    }

    /** One activation of a green thread. {@code clinitOf} names the class whose initializer the activation runs, or null. */
    public record ActivationImage(String owner, String name, String descriptor, int pc, int sp, int bp, int lockedMonitor,
                                  int onReturn, boolean afterCall, String clinitOf) {
    }

    /** A green thread: its identity, scheduling state, slots and activations (bottom first). */
    public record ThreadImage(int id, String name, int javaThread, int state, long wakeAt, int monitorObject,
                              int savedMonitorCount, int blockedIn, boolean notified, int pendingException,
                              int uncaught, boolean diedOfException, boolean permit, boolean daemon, int exitPhase,
                              long[] slots, List<ActivationImage> activations) {
    }

    /** A monitor in use; owner 0 when free, entrants and waiters by thread id in queue order. */
    public record MonitorImage(int object, int owner, int count, int[] entrants, int[] waiters) {
    }

    /** The names of {@link ThreadImage#state}'s values, by value (the device's {@code ThreadState}, in its order). */
    public static final List<String> THREAD_STATES = List.of("RUNNABLE", "BLOCKED", "WAITING", "TIMED_WAITING",
            "TERMINATED");
    /** The names of {@link ClassImage#initState}'s values, by value (the device's {@code VmClass.InitState}). */
    public static final List<String> INIT_STATES = List.of("LINKED", "INITIALIZING", "INITIALIZED", "ERRONEOUS");

    /** What {@link #decode} is given to read an image whatever code preparer took it (a reader that runs no code). */
    public static final int ANY_PREPARER = -1;

    /** The version of the code preparer that made the pcs of {@link #threads} (the device VM's). */
    public int preparer;
    public long vmNanos;
    public long vmMillis;
    public int hashSeed;
    public long bytecodes;
    public long collections;
    public int outOfMemory;
    public long top;
    public long bytesInUse;
    public long bytesSinceCollection;
    public long[] freeRanges = new long[0];
    public final List<ClassImage> classes = new ArrayList<>();
    public final Map<String, Integer> interned = new LinkedHashMap<>();
    public int mainThread;
    public boolean mainDiedOfException;
    public long liveAfterLastCollection;
    public long peakHeapBytes;
    public final List<ThreadImage> threads = new ArrayList<>();
    public int schedulerNext;
    public final List<MonitorImage> monitors = new ArrayList<>();
    /** Sections the device adds (by name), kept and given back as they are. */
    public final Map<String, byte[]> attachments = new LinkedHashMap<>();

    /** The image's bytes. */
    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeInt(preparer);
            out.writeLong(vmNanos);
            out.writeLong(vmMillis);
            out.writeInt(hashSeed);
            out.writeLong(bytecodes);
            out.writeLong(collections);
            out.writeInt(outOfMemory);
            out.writeLong(top);
            out.writeLong(bytesInUse);
            out.writeLong(bytesSinceCollection);
            out.writeInt(freeRanges.length / 2);
            for (long v : freeRanges) {
                out.writeLong(v);
            }
            out.writeInt(classes.size());
            for (ClassImage c : classes) {
                out.writeInt(c.id());
                out.writeUTF(c.name());
                out.writeByte(c.sha256() == null ? 0 : 32);
                if (c.sha256() != null) {
                    out.write(c.sha256());
                }
                out.writeUTF(c.module() == null ? "" : c.module());
                out.writeByte((c.bootstrap() ? 1 : 0) | (c.hidden() ? 2 : 0));
                out.writeChar(c.primitive());
                out.writeInt(c.mirror());
                out.writeInt(c.mirrorBytes());
                out.writeByte(c.initState());
                out.writeInt(c.initError());
            }
            out.writeInt(interned.size());
            for (Map.Entry<String, Integer> e : interned.entrySet()) {
                writeText(out, e.getKey());
                out.writeInt(e.getValue());
            }
            out.writeInt(mainThread);
            out.writeBoolean(mainDiedOfException);
            out.writeLong(liveAfterLastCollection);
            out.writeLong(peakHeapBytes);
            out.writeInt(threads.size());
            for (ThreadImage t : threads) {
                writeThread(out, t);
            }
            out.writeInt(schedulerNext);
            out.writeInt(monitors.size());
            for (MonitorImage m : monitors) {
                out.writeInt(m.object());
                out.writeInt(m.owner());
                out.writeInt(m.count());
                writeInts(out, m.entrants());
                writeInts(out, m.waiters());
            }
            out.writeInt(attachments.size());
            for (Map.Entry<String, byte[]> e : attachments.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue().length);
                out.write(e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array stream does not fail
        }
        return bytes.toByteArray();
    }

    private static void writeThread(DataOutputStream out, ThreadImage t) throws IOException {
        out.writeInt(t.id());
        out.writeUTF(t.name());
        out.writeInt(t.javaThread());
        out.writeByte(t.state());
        out.writeLong(t.wakeAt());
        out.writeInt(t.monitorObject());
        out.writeInt(t.savedMonitorCount());
        out.writeByte(t.blockedIn());
        out.writeByte((t.notified() ? 1 : 0) | (t.diedOfException() ? 2 : 0) | (t.permit() ? 4 : 0) | (t.daemon() ? 8 : 0));
        out.writeInt(t.pendingException());
        out.writeInt(t.uncaught());
        out.writeInt(t.exitPhase());
        out.writeInt(t.slots().length);
        for (long v : t.slots()) {
            out.writeLong(v);
        }
        out.writeInt(t.activations().size());
        for (ActivationImage f : t.activations()) {
            out.writeUTF(f.owner());
            out.writeUTF(f.name());
            out.writeUTF(f.descriptor());
            out.writeInt(f.pc());
            out.writeInt(f.sp());
            out.writeInt(f.bp());
            out.writeInt(f.lockedMonitor());
            out.writeByte(f.onReturn());
            out.writeBoolean(f.afterCall());
            out.writeUTF(f.clinitOf() == null ? "" : f.clinitOf());
        }
    }

    /**
     * Reads an image.
     *
     * @param preparer the code preparer version the reader runs code of: an image of another is refused; or
     *                 {@link #ANY_PREPARER}
     * @throws IllegalArgumentException when the bytes are not a VM state this reader can use (with what is wrong)
     */
    public static VmStateImage decode(byte[] data, int preparer) {
        VmStateImage s = new VmStateImage();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("the checkpoint's VM state is not a vheap device VM state");
            }
            int format = in.readInt();
            if (format != FORMAT) {
                throw new IllegalArgumentException("the checkpoint's VM state has format " + format + "; this reader reads " + FORMAT);
            }
            s.preparer = in.readInt();
            if (preparer != ANY_PREPARER && s.preparer != preparer) {
                throw new IllegalArgumentException("the checkpoint was taken by a device VM with code preparer "
                        + s.preparer + "; this device has " + preparer);
            }
            s.vmNanos = in.readLong();
            s.vmMillis = in.readLong();
            s.hashSeed = in.readInt();
            s.bytecodes = in.readLong();
            s.collections = in.readLong();
            s.outOfMemory = in.readInt();
            s.top = in.readLong();
            s.bytesInUse = in.readLong();
            s.bytesSinceCollection = in.readLong();
            s.freeRanges = new long[2 * count(in)];
            for (int i = 0; i < s.freeRanges.length; i++) {
                s.freeRanges[i] = in.readLong();
            }
            for (int n = count(in); n > 0; n--) {
                int id = in.readInt();
                String name = in.readUTF();
                int hashLength = in.readUnsignedByte();
                byte[] hash = null;
                if (hashLength != 0) {
                    hash = new byte[hashLength];
                    in.readFully(hash);
                }
                String module = in.readUTF();
                int flags = in.readUnsignedByte();
                s.classes.add(new ClassImage(id, name, hash, module.isEmpty() ? null : module, (flags & 1) != 0,
                        (flags & 2) != 0, in.readChar(), in.readInt(), in.readInt(), in.readUnsignedByte(), in.readInt()));
            }
            for (int n = count(in); n > 0; n--) {
                s.interned.put(readText(in), in.readInt());
            }
            s.mainThread = in.readInt();
            s.mainDiedOfException = in.readBoolean();
            s.liveAfterLastCollection = in.readLong();
            s.peakHeapBytes = in.readLong();
            for (int n = count(in); n > 0; n--) {
                s.threads.add(readThread(in));
            }
            s.schedulerNext = in.readInt();
            for (int n = count(in); n > 0; n--) {
                s.monitors.add(new MonitorImage(in.readInt(), in.readInt(), in.readInt(), readInts(in), readInts(in)));
            }
            for (int n = count(in); n > 0; n--) {
                String name = in.readUTF();
                byte[] b = new byte[count(in)];
                in.readFully(b);
                s.attachments.put(name, b);
            }
            if (in.read() != -1) {
                throw new IllegalArgumentException("the checkpoint's VM state has trailing bytes");
            }
        } catch (EOFException e) {
            throw new IllegalArgumentException("the checkpoint's VM state is truncated", e);
        } catch (java.io.UTFDataFormatException e) {
            throw new IllegalArgumentException("the checkpoint's VM state is corrupt (a name that is no modified UTF-8)", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return s;
    }

    private static ThreadImage readThread(DataInputStream in) throws IOException {
        int id = in.readInt();
        String name = in.readUTF();
        int javaThread = in.readInt();
        int state = in.readUnsignedByte();
        long wakeAt = in.readLong();
        int monitorObject = in.readInt();
        int savedCount = in.readInt();
        int blockedIn = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int pending = in.readInt();
        int uncaught = in.readInt();
        int exitPhase = in.readInt();
        long[] slots = new long[count(in)];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = in.readLong();
        }
        List<ActivationImage> activations = new ArrayList<>();
        for (int n = count(in); n > 0; n--) {
            String owner = in.readUTF();
            String method = in.readUTF();
            String desc = in.readUTF();
            int pc = in.readInt();
            int sp = in.readInt();
            int bp = in.readInt();
            int locked = in.readInt();
            int onReturn = in.readUnsignedByte();
            boolean afterCall = in.readBoolean();
            String clinit = in.readUTF();
            activations.add(new ActivationImage(owner, method, desc, pc, sp, bp, locked, onReturn, afterCall,
                    clinit.isEmpty() ? null : clinit));
        }
        return new ThreadImage(id, name, javaThread, state, wakeAt, monitorObject, savedCount, blockedIn,
                (flags & 1) != 0, pending, uncaught, (flags & 2) != 0, (flags & 4) != 0, (flags & 8) != 0, exitPhase,
                slots, activations);
    }

    /**
     * A count of what follows: never more than the bytes left, since each thing counted takes one at least, so a
     * corrupt count is refused before anything is allocated for it (an image of N bytes allocates at most 16N).
     */
    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IllegalArgumentException("the checkpoint's VM state is corrupt (a count of " + n + " with "
                    + in.available() + " bytes left)");
        }
        return n;
    }

    /** Texts of any length and content, as UTF-16 units (interned strings may exceed writeUTF's 64 KiB or hold lone surrogates). */
    private static void writeText(DataOutputStream out, String text) throws IOException {
        out.writeInt(text.length());
        out.writeChars(text);
    }

    private static String readText(DataInputStream in) throws IOException {
        char[] c = new char[count(in)];
        for (int i = 0; i < c.length; i++) {
            c[i] = in.readChar();
        }
        return new String(c);
    }

    private static void writeInts(DataOutputStream out, int[] values) throws IOException {
        out.writeInt(values.length);
        for (int v : values) {
            out.writeInt(v);
        }
    }

    private static int[] readInts(DataInputStream in) throws IOException {
        int[] v = new int[count(in)];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.readInt();
        }
        return v;
    }
}
