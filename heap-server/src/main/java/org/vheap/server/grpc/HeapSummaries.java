package org.vheap.server.grpc;

import org.vheap.format.VmStateSummary;
import org.vheap.proto.v1.HeapSummary;
import org.vheap.proto.v1.StackFrame;
import org.vheap.proto.v1.ThreadSummary;
import org.vheap.server.store.PgHeapStore;
import org.vheap.store.StoreException;

/** A checkpoint's {@code HeapSummary}: its record from the store, the rest from its VM state ({@link VmStateSummary}). */
final class HeapSummaries {
    private HeapSummaries() {
    }

    static HeapSummary of(String app, PgHeapStore.CheckpointState state) {
        VmStateSummary s;
        try {
            s = VmStateSummary.of(state.vmState());
        } catch (IllegalArgumentException e) {
            throw StoreException.invalid("the VM state of checkpoint " + state.checkpoint().checkpointId() + " of app '"
                    + app + "' cannot be read: " + e.getMessage());
        }
        HeapSummary.Builder b = HeapSummary.newBuilder().setApp(app)
                .setCheckpoint(ProtoMapping.checkpoint(state.checkpoint())).setLineSize(state.lineSize())
                .setDeviceState(s.deviceState());
        if (!s.deviceState()) {
            return b.build();
        }
        b.setVmClockMillis(s.vmMillis()).setBytecodes(s.bytecodes()).setCollections(s.collections())
                .setAllocatedBytes(s.allocatedBytes()).setBytesInUse(s.bytesInUse())
                .setLiveAfterLastCollection(s.liveAfterLastCollection()).setPeakHeapBytes(s.peakHeapBytes())
                .setClasses(s.classes()).setAppClasses(s.appClasses()).setHiddenClasses(s.hiddenClasses())
                .setInitializedClasses(s.initializedClasses()).setMirrors(s.mirrors())
                .setInternedStrings(s.internedStrings()).setMonitorsInUse(s.monitorsInUse())
                .setSystemBlobs(s.systemBlobs());
        for (VmStateSummary.ThreadSummary t : s.threads()) {
            ThreadSummary.Builder tb = ThreadSummary.newBuilder().setId(t.id()).setName(t.name()).setState(t.state())
                    .setDaemon(t.daemon());
            for (VmStateSummary.Frame f : t.stack()) {
                tb.addStack(StackFrame.newBuilder().setClassName(f.owner()).setMethod(f.method())
                        .setMethodDescriptor(f.descriptor()).setLine(Math.max(f.line(), 0)).setInitializing(f.initializing() == null ? ""
                                : f.initializing()));
            }
            b.addThreads(tb);
        }
        return b.build();
    }
}
