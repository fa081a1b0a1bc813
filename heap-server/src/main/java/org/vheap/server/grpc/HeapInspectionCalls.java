package org.vheap.server.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.vheap.format.HeapClasses.HeapClass;
import org.vheap.format.HeapGraph;
import org.vheap.format.HeapObjects;
import org.vheap.format.HeapVerifier;
import org.vheap.format.ObjectLayout;
import org.vheap.proto.v1.ClassDiffRow;
import org.vheap.proto.v1.ClassHistogramRow;
import org.vheap.proto.v1.DiffQuery;
import org.vheap.proto.v1.FieldValue;
import org.vheap.proto.v1.HeapDiff;
import org.vheap.proto.v1.HeapInspection;
import org.vheap.proto.v1.HeapProblem;
import org.vheap.proto.v1.HeapVerdict;
import org.vheap.proto.v1.InspectHeapRequest;
import org.vheap.proto.v1.InspectHeapResponse;
import org.vheap.proto.v1.ObjectDetail;
import org.vheap.proto.v1.ObjectSummary;
import org.vheap.proto.v1.PathStep;
import org.vheap.proto.v1.VerifyHeapRequest;
import org.vheap.proto.v1.VerifyHeapResponse;
import org.vheap.server.auth.AccessPolicy;
import org.vheap.server.inspect.HeapSnapshot;
import org.vheap.server.inspect.HeapSnapshots;
import org.vheap.server.inspect.SnapshotDiff;
import org.vheap.store.StoreException;

/**
 * InspectHeap and VerifyHeap of {@code vheap.v1.HeapStore}: one question about a committed checkpoint's objects,
 * answered from a {@link HeapSnapshots} read of it, or its verification, with progress while the server reads and
 * walks it. Need the admin token. A
 * question it cannot answer (no such class, a bad pattern, an address outside the heap) is INVALID_ARGUMENT or
 * NOT_FOUND, naming what to fix.
 */
final class HeapInspectionCalls {
    /** Objects a search lists when the request sets no limit. */
    static final int DEFAULT_LIMIT = 100;
    /** The most a search lists. */
    static final int MAX_LIMIT = 10_000;

    private final HeapSnapshots snapshots;
    private final AccessPolicy access;
    private final LongSupplier nanoTime;

    HeapInspectionCalls(HeapSnapshots snapshots, AccessPolicy access, LongSupplier nanoTime) {
        this.snapshots = snapshots;
        this.access = access;
        this.nanoTime = nanoTime;
    }

    void inspect(InspectHeapRequest r, StreamObserver<InspectHeapResponse> out) {
        ServerCallStreamObserver<InspectHeapResponse> call = (ServerCallStreamObserver<InspectHeapResponse>) out;
        try {
            access.requireAdmin("inspecting a heap");
            if (r.getQueryCase() == InspectHeapRequest.QueryCase.QUERY_NOT_SET) {
                throw StoreException.invalid("say what to inspect: histogram, objects, object, path, strings or diff");
            }
            var progress = ToolProgress.throttled(p -> call.onNext(InspectHeapResponse.newBuilder().setProgress(p).build()),
                    nanoTime);
            HeapSnapshot s = snapshots.snapshot(r.getApp(), r.getCheckpointId(), progress);
            HeapGraph.Marking m = s.marking(progress);
            HeapInspection.Builder b = HeapInspection.newBuilder().setCheckpoint(ProtoMapping.checkpoint(s.checkpoint()))
                    .setObjects(m.objects()).setLiveBytes(m.liveBytes()).setBrokenReferences(m.brokenReferences())
                    .setConservativeStacks(s.graph().conservativeStacks());
            switch (r.getQueryCase()) {
                case HISTOGRAM -> {
                    int top = r.getHistogram().getTop();
                    if (top < 0) {
                        throw StoreException.invalid("top is a count of classes, or 0 for every class, not " + top);
                    }
                    List<HeapSnapshot.ClassRow> all = s.histogram(m, r.getHistogram().getRetained() ? s.dominators(progress)
                            : null, 0);
                    b.setClasses(all.size());
                    for (HeapSnapshot.ClassRow row : top > 0 && all.size() > top ? all.subList(0, top) : all) {
                        b.addHistogram(ClassHistogramRow.newBuilder().setClassName(row.className())
                                .setInstances(row.instances()).setBytes(row.bytes())
                                .setRetainedBytes(Math.max(row.retainedBytes(), 0)));
                    }
                }
                case OBJECTS -> found(s, b, s.objectsOf(m, r.getObjects().getClassName(), limit(r.getObjects().getLimit())));
                case STRINGS -> found(s, b, s.strings(m, pattern(r.getStrings().getRegex()), limit(r.getStrings().getLimit())));
                case OBJECT -> {
                    int ref = ref(s, r.getObject().getAddress());
                    HeapObjects.ObjectDetail d = s.objects().detail(ref);
                    ObjectDetail.Builder o = ObjectDetail.newBuilder().setObject(summary(s, ref))
                            .setReachable(m.isMarked(ref));
                    for (HeapObjects.FieldValue f : d.fields()) {
                        o.addFields(FieldValue.newBuilder().setOwner(f.owner()).setName(f.name())
                                .setTypeDescriptor(f.descriptor()).setValue(f.value())
                                .setAddress(f.ref() == 0 ? 0 : ObjectLayout.address(f.ref())));
                    }
                    b.setObject(o);
                }
                case PATH -> {
                    for (HeapGraph.PathStep step : s.pathTo(ref(s, r.getPath().getAddress()), progress)) {
                        PathStep.Builder p = PathStep.newBuilder().setAddress(ObjectLayout.address(step.ref()))
                                .setClassName(step.className()).setVia(step.via() == null ? "" : step.via());
                        if (step.root() != null) {
                            p.setRootKind(step.root().kind()).setRootHolder(step.root().holder());
                        }
                        b.addPath(p);
                    }
                }
                case DIFF -> b.setDiff(diff(s, r, progress));
                default -> throw StoreException.invalid("unknown question " + r.getQueryCase());
            }
            call.onNext(InspectHeapResponse.newBuilder().setDone(b).build());
            call.onCompleted();
        } catch (RuntimeException e) {
            if (!call.isCancelled()) {
                call.onError(StoreStatus.toStatus(e));
            }
        }
    }

    void verify(VerifyHeapRequest r, StreamObserver<VerifyHeapResponse> out) {
        ServerCallStreamObserver<VerifyHeapResponse> call = (ServerCallStreamObserver<VerifyHeapResponse>) out;
        try {
            access.requireAdmin("verifying a heap");
            int limit = limit(r.getLimit());
            HeapSnapshots.Verification v = snapshots.verify(r.getApp(), r.getCheckpointId(), limit, ToolProgress.throttled(
                    p -> call.onNext(VerifyHeapResponse.newBuilder().setProgress(p).build()), nanoTime));
            HeapVerifier.Verdict d = v.verdict();
            HeapVerdict.Builder b = HeapVerdict.newBuilder().setCheckpoint(ProtoMapping.checkpoint(v.checkpoint()))
                    .setSound(d.sound()).setProblemsFound(d.problemsFound()).setObjects(d.objects())
                    .setLiveBytes(d.bytes()).setRoots(d.roots());
            for (HeapVerifier.Problem p : d.problems()) {
                b.addProblems(HeapProblem.newBuilder().setKind(p.kind()).setWhere(p.where()).setWhat(p.what()));
            }
            call.onNext(VerifyHeapResponse.newBuilder().setDone(b).build());
            call.onCompleted();
        } catch (RuntimeException e) {
            if (!call.isCancelled()) {
                call.onError(StoreStatus.toStatus(e));
            }
        }
    }

    private HeapDiff diff(HeapSnapshot to, InspectHeapRequest r,
                          java.util.function.Consumer<org.vheap.server.store.HeapToolProgress> progress) {
        DiffQuery q = r.getDiff();
        if (q.getFromCheckpointId() <= 0) {
            throw StoreException.invalid("a diff needs the older checkpoint's id (from_checkpoint_id), not "
                    + q.getFromCheckpointId());
        }
        if (q.getTop() < 0) {
            throw StoreException.invalid("top is a count of classes, or 0 for every class, not " + q.getTop());
        }
        HeapSnapshot from = snapshots.snapshot(r.getApp(), q.getFromCheckpointId(), progress);
        SnapshotDiff.Result d = SnapshotDiff.of(from, to, progress);
        HeapGraph.Marking before = from.marking(progress);
        HeapDiff.Builder b = HeapDiff.newBuilder().setFrom(ProtoMapping.checkpoint(from.checkpoint()))
                .setFromObjects(before.objects()).setFromLiveBytes(before.liveBytes())
                .setClassesChanged(d.classes().size()).setLinesChanged(d.linesChanged()).setLinesAdded(d.linesAdded())
                .setLinesRemoved(d.linesRemoved()).addAllThreadsAdded(d.threadsAdded())
                .addAllThreadsRemoved(d.threadsRemoved());
        List<SnapshotDiff.ClassChange> rows = d.classes();
        for (SnapshotDiff.ClassChange c : q.getTop() > 0 && rows.size() > q.getTop() ? rows.subList(0, q.getTop()) : rows) {
            b.addClasses(ClassDiffRow.newBuilder().setClassName(c.className()).setInstancesAdded(c.added())
                    .setBytesAdded(c.bytesAdded()).setInstancesRemoved(c.removed()).setBytesRemoved(c.bytesRemoved()));
        }
        return b.build();
    }

    private static void found(HeapSnapshot s, HeapInspection.Builder b, HeapSnapshot.Found found) {
        b.setMatches(found.matches());
        for (int ref : found.refs()) {
            b.addObjectsFound(summary(s, ref));
        }
    }

    private static ObjectSummary summary(HeapSnapshot s, int ref) {
        HeapClass c = s.graph().classOf(ref);
        HeapObjects.ObjectDetail d = s.objects().detail(ref);
        String text = d.text();
        return ObjectSummary.newBuilder().setAddress(ObjectLayout.address(ref)).setClassName(c.javaName())
                .setBytes(d.bytes()).setArrayLength(d.arrayLength()).setText(text == null ? "" : text).build();
    }

    /** The object at {@code address}: INVALID_ARGUMENT when it is no object start, NOT_FOUND when nothing is there. */
    private static int ref(HeapSnapshot s, long address) {
        if (!HeapObjects.isObjectAddress(address)) {
            throw StoreException.invalid(HeapObjects.notAnAddress("0x" + Long.toHexString(address)));
        }
        int ref = ObjectLayout.ref(address);
        if (s.graph().classOf(ref) == null) {
            throw new StoreException(StoreException.Reason.NOT_FOUND, "no object starts at 0x" + Long.toHexString(address)
                    + " in checkpoint " + s.checkpoint().checkpointId() + " (its heap ends at 0x"
                    + Long.toHexString(s.graph().top()) + "; see inspect objects for addresses)");
        }
        return ref;
    }

    private static int limit(int asked) {
        if (asked < 0 || asked > MAX_LIMIT) {
            throw StoreException.invalid("a limit is 1 to " + MAX_LIMIT + " (0: " + DEFAULT_LIMIT + "), not " + asked);
        }
        return asked == 0 ? DEFAULT_LIMIT : asked;
    }

    private static Pattern pattern(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw StoreException.invalid("the pattern is not a regular expression: " + e.getDescription() + " near index "
                    + e.getIndex() + " of " + regex);
        }
    }
}
