package org.vheap.format;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a checkpoint's VM state says of the app, for a person looking at a heap no device runs ({@code ./vheap inspect
 * ... summary}): the VM's counters and its allocator's figures, its classes (how many came from the app's class path,
 * how many are hidden or initialized, how many mirrors hold statics), interned strings, monitors in use, the system
 * blobs the checkpoint needs, and every thread with its stack (methods top first, with the source line the device
 * recorded in its {@link FrameMaps}: a pc is a position in the device's prepared code, which only the device maps to a
 * line). A VM state that is not a device VM's (a store client of
 * its own) gives {@link #deviceState} false and nothing else.
 *
 * @param vmMillis       the VM's {@code System.currentTimeMillis()} when it checkpointed
 * @param allocatedBytes the allocator's top: the first never-allocated address of the user heap
 * @param classes        the class table's classes, arrays and primitives included
 * @param appClasses     of them, those whose class file is one of the app's class path files
 * @param mirrors        classes with a mirror (a {@code java.lang.Class}, which holds the class's statics): roots
 */
public record VmStateSummary(boolean deviceState, int preparer, long vmMillis, long bytecodes, long collections,
                             long allocatedBytes, long bytesInUse, long liveAfterLastCollection, long peakHeapBytes,
                             int classes, int appClasses, int hiddenClasses, int initializedClasses, int mirrors,
                             int internedStrings, int monitorsInUse, int systemBlobs, List<ThreadSummary> threads) {
    /** A green thread: its state by name ({@link VmStateImage#THREAD_STATES}) and its stack, top first. */
    public record ThreadSummary(int id, String name, String state, boolean daemon, List<Frame> stack) {
    }

    /**
     * An activation: the method it runs ({@code owner} an internal class name), the source line it is at (-1: unknown,
     * the method has no line numbers or the checkpoint predates {@link FrameMaps}) and the class it initializes, if any.
     */
    public record Frame(String owner, String method, String descriptor, int line, String initializing) {
    }

    /**
     * The summary of a checkpoint's VM state.
     *
     * @throws IllegalArgumentException when the bytes are a damaged device VM state
     */
    public static VmStateSummary of(byte[] vmState) {
        if (!CheckpointBlobs.isDeviceState(vmState)) {
            return new VmStateSummary(false, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of());
        }
        Set<BlobHash> blobs = CheckpointBlobs.of(vmState);
        VmStateImage s = VmStateImage.decode(vmState, VmStateImage.ANY_PREPARER);
        byte[] manifestBytes = s.attachments.get(ClassPathManifest.ATTACHMENT);
        Set<BlobHash> appFiles = manifestBytes == null ? Set.of()
                : new HashSet<>(ClassPathManifest.decode(manifestBytes).files().values());
        int app = 0;
        int hidden = 0;
        int initialized = 0;
        int mirrors = 0;
        for (VmStateImage.ClassImage c : s.classes) {
            app += c.sha256() != null && appFiles.contains(BlobHash.of(c.sha256())) ? 1 : 0;
            hidden += c.hidden() ? 1 : 0;
            initialized += c.initState() == VmStateImage.INIT_STATES.indexOf("INITIALIZED") ? 1 : 0;
            mirrors += c.mirror() != 0 ? 1 : 0;
        }
        int monitors = 0;
        for (VmStateImage.MonitorImage m : s.monitors) {
            monitors += m.owner() != 0 || m.entrants().length > 0 || m.waiters().length > 0 ? 1 : 0;
        }
        List<ThreadSummary> threads = new ArrayList<>();
        FrameMaps frames = FrameMaps.of(s);
        for (VmStateImage.ThreadImage t : s.threads) {
            List<Frame> stack = new ArrayList<>();
            List<FrameMaps.ActivationMap> maps = frames == null ? null : frames.thread(t.id());
            for (int i = t.activations().size() - 1; i >= 0; i--) {
                VmStateImage.ActivationImage a = t.activations().get(i);
                int line = maps != null && i < maps.size() ? maps.get(i).line() : -1;
                stack.add(new Frame(a.owner(), a.name(), a.descriptor(), line, a.clinitOf()));
            }
            String state = t.state() >= 0 && t.state() < VmStateImage.THREAD_STATES.size()
                    ? VmStateImage.THREAD_STATES.get(t.state()) : "state " + t.state();
            threads.add(new ThreadSummary(t.id(), t.name(), state, t.daemon(), List.copyOf(stack)));
        }
        return new VmStateSummary(true, s.preparer, s.vmMillis, s.bytecodes, s.collections, s.top, s.bytesInUse,
                s.liveAfterLastCollection, s.peakHeapBytes, s.classes.size(), app, hidden, initialized, mirrors,
                s.interned.size(), monitors, blobs.size(), List.copyOf(threads));
    }
}
