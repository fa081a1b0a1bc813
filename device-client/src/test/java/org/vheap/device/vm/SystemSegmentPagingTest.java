package org.vheap.device.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.device.DeviceConsole;
import org.vheap.device.TestStores;
import org.vheap.device.store.ForwardingSession;
import org.vheap.device.store.HeapSession;
import org.vheap.device.store.HeapStore;
import org.vheap.device.store.MemoryHeapStore;
import org.vheap.device.store.OpenRequest;
import org.vheap.device.store.SystemBlobStore;
import org.vheap.device.vm.heap.ObjectAllocator;
import org.vheap.format.ObjectLayout;
import org.vheap.device.vm.heap.paging.PagedHeap;
import org.vheap.device.vm.heap.paging.PagingConfig;
import org.vheap.device.vm.heap.paging.PagingStats;
import org.vheap.device.vm.interp.CallSites;
import org.vheap.device.vm.loader.ClassSource;
import org.vheap.device.vm.loader.ParsedClasses;
import org.vheap.device.vm.loader.SystemSegment;
import org.vheap.device.vm.loader.SystemSegmentMap;
import org.vheap.format.BlobHash;
import org.vheap.server.testing.TestHeaps;
import org.vheap.store.LineImage;
import org.vheap.store.StoreException;

/**
 * The system segment as lines of the virtual heap: class files share the device's frames with the user lines,
 * are evicted like clean lines, and come back from the store's system blobs; the heap session never sees a
 * system line; the heap header records where each class file lies.
 */
class SystemSegmentPagingTest {
    @RegisterExtension
    static final TestStores.Server SERVER = new TestStores.Server();

    private static final int LINE = 4096;
    private static final long MEMORY = 256L << 10;
    private static final String APP = """
            import java.util.ArrayList;
            import java.util.List;
            import java.util.function.IntUnaryOperator;
            public class Lines {
                public static void main(String[] args) {
                    IntUnaryOperator twice = x -> 2 * x;
                    List<int[]> data = new ArrayList<>();
                    long sum = 0;
                    for (int i = 0; i < 400; i++) { data.add(new int[1000]); data.get(i)[5] = twice.applyAsInt(i); }
                    for (int[] d : data) { sum += d[5]; }
                    System.out.println("sum " + sum);
                }
            }
            """;

    @Test
    void classLinesAreFaultedEvictedAndFetchedAgainFromTheMemoryStoresSystemSegment() throws Exception {
        try (MemoryHeapStore store = new MemoryHeapStore()) {
            runWithSmallMemory(store);
        }
    }

    @Test
    void classLinesAreFaultedEvictedAndFetchedAgainFromTheHeapServersSystemSegment() throws Exception {
        runWithSmallMemory(SERVER.store());
    }

    /** A store that refuses class files for a while (away, or full) pauses the app's uploads: it goes on after. */
    @Test
    void classFilesAStoreRefusesForAWhileAreStoredWhenItTakesThem() throws Exception {
        try (MemoryHeapStore store = new MemoryHeapStore()) {
            int[] refused = {0};
            runWithSmallMemory(store, blobs -> new SystemBlobStore() {
                @Override
                public int put(Map<BlobHash, byte[]> toStore) {
                    if (refused[0] < 3) {
                        refused[0]++;
                        throw new StoreException(StoreException.Reason.UNAVAILABLE, "the flash store is full (a test's)");
                    }
                    return blobs.put(toStore);
                }

                @Override
                public Map<BlobHash, byte[]> get(java.util.Collection<BlobHash> hashes) {
                    return blobs.get(hashes);
                }

                @Override
                public List<BlobHash> missing(java.util.Collection<BlobHash> hashes) {
                    return blobs.missing(hashes);
                }
            });
            assertThat(refused[0]).as("uploads refused, then tried again").isEqualTo(3);
        }
    }

    private static void runWithSmallMemory(HeapStore store) throws Exception {
        runWithSmallMemory(store, blobs -> blobs);
    }

    /** Runs the app at a small memory, its class files put through {@code blobs} (the store's, or a wrapper). */
    private static void runWithSmallMemory(HeapStore store, java.util.function.UnaryOperator<SystemBlobStore> blobs)
            throws Exception {
        Path classes = TestVms.compile(Map.of("Lines.java", APP));
        String app = TestHeaps.app("system-lines");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DeviceConsole console = new DeviceConsole(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
        try (Recording session = new Recording(store.openHeap(new OpenRequest(app, "dev", true, LINE, Duration.ZERO, 0)));
             ClassSource source = new ClassSource(List.of(classes))) {
            PagedHeap heap = new PagedHeap(session, new PagingConfig().setMemoryBytes(MEMORY).setLineSize(LINE)
                    .setFreeFrameThreshold(8).setMaxHeapBytes(1L << 30));
            // a code cache of its own: every class file is parsed from the system lines, under paging
            Vm vm = new Vm(heap, new ObjectAllocator(heap, LINE, 1L << 30), source, new ParsedClasses(),
                    blobs.apply(store.systemBlobs(app)), console, System::nanoTime, System::currentTimeMillis);
            heap.systemLines(vm.systemSegment());
            int exit = new VmLauncher(vm, CallSites.standard(vm::classFile), 10_000).launch("Lines", List.of());

            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("sum 159600\n");
            assertThat(exit).isZero();
            List<SystemSegmentMap.Placement> placed = vm.systemSegment().map().placements();
            long classBytes = placed.stream().mapToLong(SystemSegmentMap.Placement::length).sum();
            assertThat(classBytes).as("the class files run are far more than device memory").isGreaterThan(4 * MEMORY);
            PagingStats run = heap.stats();
            assertThat(run.systemEvictions()).isPositive();
            assertThat(run.systemFrames()).isLessThanOrEqualTo(run.frames());
            // the app ended: every class file is in the store's system blobs, none kept on the host
            assertThat(vm.systemSegment().pendingBytes()).isZero();
            assertThat(vm.systemSegment().peakPendingBytes()).as("host copies waiting for the store stay bounded")
                    .isGreaterThan(0).isLessThan(SystemSegment.UPLOAD_BATCH_BYTES + (512 << 10));
            assertThat(store.systemBlobs(app).missing(placed.stream().map(SystemSegmentMap.Placement::hash).toList())).isEmpty();

            // reading the class files again faults their evicted lines in from the store's system blobs
            long fetched = vm.systemSegment().blobsFetched();
            for (SystemSegmentMap.Placement p : placed) {
                assertThat(BlobHash.digest(vm.systemSegment().read(p))).isEqualTo(p.hash());
            }
            PagingStats after = heap.stats();
            assertThat(after.systemMisses()).isGreaterThan(run.systemMisses());
            assertThat(vm.systemSegment().blobsFetched() - fetched).isGreaterThan(placed.size() / 2);
            assertThat(after.residentFrames()).isLessThanOrEqualTo(after.frames());

            // the heap session saw no system line: not read, flushed or committed
            long firstSystemLine = ObjectLayout.SYSTEM_SEGMENT_BASE / LINE;
            assertThat(session.lines).isNotEmpty().allMatch(line -> line < firstSystemLine);
            assertThat(heap.dirtyLineImages()).allMatch(image -> image.lineId() < firstSystemLine);

            // the heap header records every class file's place, so a VM rebuilding from the heap maps the same
            SystemSegmentMap restored = HeapHeader.readSystemSegment(heap, vm);
            assertThat(restored.top()).isEqualTo(vm.systemSegment().map().top());
            for (HeapHeader.ClassEntry e : HeapHeader.readClasses(heap, vm)) {
                if (e.sha256() != null) {
                    SystemSegmentMap.Placement p = vm.systemSegment().map().placement(BlobHash.of(e.sha256()));
                    assertThat(restored.placement(p.hash())).as(e.name()).isEqualTo(p);
                    assertThat(e.systemAddress() % LINE).isZero();
                }
            }
        }
    }

    /** A heap session that records every line id it is asked to read, write, delete or commit. */
    private static final class Recording extends ForwardingSession {
        final Set<Long> lines = ConcurrentHashMap.newKeySet();

        Recording(HeapSession real) {
            super(real);
        }

        private void saw(List<LineImage> images, long[] ids) {
            images.forEach(i -> lines.add(i.lineId()));
            for (long id : ids) {
                lines.add(id);
            }
        }

        @Override
        public byte[][] read(long[] lineIds) {
            saw(List.of(), lineIds);
            return real.read(lineIds);
        }

        @Override
        public void flush(List<LineImage> writes, long[] deletes) {
            saw(writes, deletes);
            real.flush(writes, deletes);
        }

        @Override
        public long commit(List<LineImage> writes, long[] deletes, byte[] vmState, Map<String, String> metadata) {
            saw(writes, deletes);
            return real.commit(new ArrayList<>(writes), deletes, vmState, metadata);
        }
    }
}
