package org.vheap.server.inspect;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.vheap.format.BlobHash;
import org.vheap.format.CheckpointBlobs;
import org.vheap.format.HeapClasses;
import org.vheap.format.HeapGraph;
import org.vheap.format.HeapVerifier;
import org.vheap.format.ObjectLayout;
import org.vheap.format.SpooledLines;
import org.vheap.format.VmStateImage;
import org.vheap.server.store.CheckpointReader;
import org.vheap.server.store.CheckpointRecord;
import org.vheap.server.store.HeapToolProgress;
import org.vheap.server.store.PgHeapStore;
import org.vheap.store.LineImage;
import org.vheap.store.StoreException;

/**
 * The checkpoints the server has read whole for inspection, the last {@code kept} of them, so that a person's
 * questions about one checkpoint after the first are answered without reading it again. A committed checkpoint never
 * changes and its id is never reused, so a kept one never goes stale; each question still asks the store first
 * whether the checkpoint exists (a deleted one is not inspected). Two questions about a checkpoint not yet read wait
 * for one read. A kept checkpoint's lines take no Java heap: they are mapped from a spool file ({@link SpooledLines})
 * whose disk space goes when the snapshot is dropped and collected.
 */
public final class HeapSnapshots {
    private record Key(String app, long checkpointId) {
    }

    private final PgHeapStore store;
    private final Path spoolDir;
    private final Map<Key, CompletableFuture<HeapSnapshot>> kept;

    /**
     * @param spoolDir where spool files go (the system's temporary directory, say)
     * @param keep     how many read checkpoints to keep (at least 1)
     */
    public HeapSnapshots(PgHeapStore store, Path spoolDir, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep at least one snapshot, not " + keep);
        }
        this.store = store;
        this.spoolDir = spoolDir;
        this.kept = new LinkedHashMap<>(4, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, CompletableFuture<HeapSnapshot>> eldest) {
                return size() > keep;
            }
        };
    }

    /**
     * Checkpoint {@code checkpointId} (0: the newest) of {@code app}, read whole, telling {@code progress} how the
     * read goes when it reads it now.
     *
     * @throws StoreException NOT_FOUND for no such app or checkpoint; INVALID_ARGUMENT for a checkpoint whose VM state
     *                        is no device VM's or whose class files cannot be read
     */
    public HeapSnapshot snapshot(String app, long checkpointId, Consumer<HeapToolProgress> progress) {
        CheckpointRecord cp = store.checkpointState(app, checkpointId).checkpoint();
        Key key = new Key(app, cp.checkpointId());
        CompletableFuture<HeapSnapshot> pending;
        boolean mine = false;
        synchronized (kept) {
            pending = kept.get(key);
            if (pending == null) {
                pending = new CompletableFuture<>();
                kept.put(key, pending);
                mine = true;
            }
        }
        if (mine) {
            try {
                pending.complete(read(app, cp.checkpointId(), whileItListens(progress)));
            } catch (Throwable e) {   // an Error too: the others waiting on this read must not wait for ever
                synchronized (kept) {
                    kept.remove(key, pending);
                }
                pending.completeExceptionally(e);
            }
        }
        try {
            return pending.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /**
     * Verifies checkpoint {@code checkpointId} (0: the newest) of {@code app} ({@link HeapVerifier}), read afresh from
     * the store (a kept read is not trusted for this), keeping the first {@code limit} problems. A line of the wrong
     * length and a class file the store lacks are problems too (the latter stops the walk: without a class file the
     * objects of its class cannot be read).
     */
    public Verification verify(String app, long checkpointId, int limit, Consumer<HeapToolProgress> progress) {
        Spooler spooler = new Spooler(app, progress);
        try {
            CheckpointRecord cp = store.readCheckpoint(app, checkpointId, spooler);
            spooler.lines.finish(spooler.state.top);
            List<HeapVerifier.Problem> problems = new ArrayList<>(spooler.problems);
            for (VmStateImage.ClassImage c : spooler.state.classes) {
                if (c.sha256() != null && !spooler.classFiles.containsKey(BlobHash.of(c.sha256()))) {
                    problems.add(new HeapVerifier.Problem("class file", c.name(), "its class file "
                            + BlobHash.of(c.sha256()) + " is not in the store's system blobs"));
                }
            }
            HeapClasses classes = problems.stream().anyMatch(p -> p.kind().equals("class file")) ? null
                    : classes(app, cp, spooler);
            if (classes == null) {
                return new Verification(cp, new HeapVerifier.Verdict(problems.subList(0, Math.min(limit, problems.size())),
                        problems.size(), 0, 0, 0));
            }
            HeapGraph graph = graph(app, cp, spooler, classes);
            return new Verification(cp, HeapVerifier.verify(graph, spooler.lineSize, limit, problems,
                    (objects, bytes) -> progress.accept(new HeapToolProgress("marking", cp.lineCount(), cp.lineCount(), 0,
                            objects))));
        } finally {
            if (spooler.lines != null) {
                spooler.lines.close();
            }
        }
    }

    /**
     * {@code progress} until it first fails (its caller went away): a read that others wait on goes on without it.
     */
    private static Consumer<HeapToolProgress> whileItListens(Consumer<HeapToolProgress> progress) {
        boolean[] gone = {false};
        return p -> {
            if (!gone[0]) {
                try {
                    progress.accept(p);
                } catch (RuntimeException e) {
                    gone[0] = true;
                }
            }
        };
    }

    /** What {@link #verify} found, of which checkpoint. */
    public record Verification(CheckpointRecord checkpoint, HeapVerifier.Verdict verdict) {
    }

    private HeapSnapshot read(String app, long checkpointId, Consumer<HeapToolProgress> progress) {
        Spooler spooler = new Spooler(app, progress);
        try {
            CheckpointRecord cp = store.readCheckpoint(app, checkpointId, spooler);
            spooler.lines.finish(spooler.state.top);
            return new HeapSnapshot(cp, spooler.lineSize, spooler.present, spooler.problems, graph(app, cp, spooler,
                    classes(app, cp, spooler)));
        } finally {
            if (spooler.lines != null) {
                spooler.lines.close();   // a finished spool stays mapped; an abandoned one is deleted
            }
        }
    }

    private static HeapGraph graph(String app, CheckpointRecord cp, Spooler spooler, HeapClasses classes) {
        try {
            return new HeapGraph(spooler.state, classes, spooler.lines);
        } catch (IllegalArgumentException e) {   // damaged frame maps
            throw StoreException.invalid("checkpoint " + cp.checkpointId() + " of app '" + app
                    + "' cannot be inspected: " + e.getMessage());
        }
    }

    private static HeapClasses classes(String app, CheckpointRecord cp, Spooler spooler) {
        try {
            return new HeapClasses(spooler.state, spooler.classFiles::get);
        } catch (IllegalArgumentException e) {
            throw StoreException.invalid("checkpoint " + cp.checkpointId() + " of app '" + app
                    + "' cannot be inspected: " + e.getMessage() + " (./vheap verify says what else is wrong)");
        }
    }

    /** Reads a checkpoint into a spool: its VM state decoded, its class table's class files, its lines. */
    private final class Spooler implements CheckpointReader {
        private final String app;
        private final Consumer<HeapToolProgress> progress;
        private final Map<BlobHash, byte[]> classFiles = new HashMap<>();
        private VmStateImage state;
        private SpooledLines lines;
        private CheckpointRecord checkpoint;
        private int lineSize;
        private long linesRead;
        private long bytesRead;
        /** The ids of the lines the checkpoint holds. */
        private final java.util.BitSet present = new java.util.BitSet();
        /** Lines of the wrong length. */
        private final List<HeapVerifier.Problem> problems = new ArrayList<>();

        Spooler(String app, Consumer<HeapToolProgress> progress) {
            this.app = app;
            this.progress = progress;
        }

        @Override
        public Set<BlobHash> begin(CheckpointRecord cp, int lineSize, byte[] vmState) {
            checkpoint = cp;
            if (!CheckpointBlobs.isDeviceState(vmState)) {
                throw StoreException.invalid("checkpoint " + cp.checkpointId() + " of app '" + app + "' was not"
                        + " written by a device VM: it has no objects to inspect");
            }
            try {
                state = VmStateImage.decode(vmState, VmStateImage.ANY_PREPARER);
            } catch (IllegalArgumentException e) {
                throw StoreException.invalid("the VM state of checkpoint " + cp.checkpointId() + " of app '" + app
                        + "' cannot be read: " + e.getMessage());
            }
            Set<BlobHash> wanted = new HashSet<>();
            for (VmStateImage.ClassImage c : state.classes) {
                if (c.sha256() != null) {
                    wanted.add(BlobHash.of(c.sha256()));
                }
            }
            this.lineSize = lineSize;
            lines = new SpooledLines(spoolDir, lineSize);
            progress.accept(new HeapToolProgress("lines", 0, cp.lineCount(), 0));
            return wanted;
        }

        @Override
        public void blobs(Map<BlobHash, byte[]> found) {
            classFiles.putAll(found);
        }

        @Override
        public void lines(List<LineImage> batch) {
            for (LineImage l : batch) {
                if (l.lineId() >= ObjectLayout.USER_HEAP_LIMIT / lineSize) {
                    problems.add(new HeapVerifier.Problem("line", "line " + l.lineId(), "lies outside the user heap"));
                    continue;
                }
                if (l.data().length != lineSize) {
                    problems.add(new HeapVerifier.Problem("line", "line " + l.lineId(), "holds " + l.data().length
                            + " bytes, not a line's " + lineSize));
                    if (l.data().length > lineSize) {
                        continue;
                    }
                }
                lines.line(l.lineId(), l.data());
                present.set(Math.toIntExact(l.lineId()));
                bytesRead += l.data().length;
            }
            linesRead += batch.size();
            progress.accept(new HeapToolProgress("lines", linesRead, checkpoint.lineCount(), bytesRead));
        }
    }
}
