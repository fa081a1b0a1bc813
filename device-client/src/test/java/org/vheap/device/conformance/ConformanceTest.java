package org.vheap.device.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestReporter;
import org.vheap.device.DeviceConfig;
import org.vheap.device.conformance.ConformanceSuite.Mode;
import org.vheap.device.conformance.ProgramCompiler.CompiledProgram;
import org.vheap.device.store.HeapStore;

/**
 * The conformance suite: every selected program (see {@link ProgramCatalog}) runs on HotSpot and on the device
 * VM, which must print the same stdout and stderr and exit with the same code. Modes per program:
 * <ul>
 *   <li>{@code resident} — in-memory store, device memory 256 MiB (capped at the max heap): nothing pages; a
 *       256 KiB nursery and 64 KiB working sets, full collections compacting, with the write barrier (both kinds
 *       of remembered sets) checked at every minor and working set's collection</li>
 *   <li>{@code paging} — in-memory store, device memory a tenth of the resident run's peak live heap (at least
 *       16 lines), an eighth of it the nursery (the default), working sets a quarter of it, full collections
 *       compacting; the misses are reported</li>
 *   <li>{@code tier-paging} — the same with every method translated at its first call: translated code's own
 *       barrier fast paths over lines that are evicted and faulted back</li>
 *   <li>{@code paging-flash} — the same on the device's flash store ({@code --store flash:DIR}) in a directory of
 *       its own</li>
 *   <li>{@code paging-grpc} — the same on a real heap server over gRPC, for {@link ConformanceStores#GRPC_SUBSET}</li>
 * </ul>
 * Run: {@code ./mvnw -q -pl device-client -am verify -Dtest=ConformanceTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dconformance.areas=basics} (see {@link ConformanceSettings} for the knobs).
 */
class ConformanceTest {
    private static final Map<String, RunResult> RESIDENT = new ConcurrentHashMap<>();
    /**
     * The resident runs' nursery: small, so programs run many minor collections, each first checking the write
     * barrier over the whole (resident) heap. The paging runs keep the default nursery, an eighth of their memory.
     */
    private static final long RESIDENT_NURSERY = 256 << 10;
    /** The resident runs' working sets: small, so programs collect many of them alone, each checked the same way. */
    private static final long RESIDENT_WORKING_SET = 64 << 10;

    @TestFactory
    Stream<DynamicNode> conformance(TestReporter reporter) {
        List<Mode> modes = new ArrayList<>();
        if (ConformanceSettings.modeEnabled("resident")) {
            modes.add(new Mode() {
                public String name() {
                    return "resident";
                }

                public RunResult run(CompiledProgram p) throws Exception {
                    return resident(p);
                }
            });
        }
        if (ConformanceSettings.modeEnabled("tier")) {
            // the tier translates every method at its first call: all of its code runs wherever it can
            modes.add(new Mode() {
                public String name() {
                    return "tier";
                }

                public RunResult run(CompiledProgram p) throws Exception {
                    RunResult r = new DeviceRunner("tier", ConformanceStores::memory, DeviceRunner::residentMemory,
                            ConformanceSettings.deviceTimeout(), config -> config.tierThreshold(0)).run(p);
                    r.stats().ifPresent(stats -> org.assertj.core.api.Assertions.assertThat(stats.methodsTranslated())
                            .as("methods the tier translated").isPositive());
                    return r;
                }
            });
        }
        if (ConformanceSettings.modeEnabled("paging")) {
            modes.add(paging("paging", ConformanceStores::memory, p -> true, config -> config));
        }
        if (ConformanceSettings.modeEnabled("tier-paging")) {
            // every method translated at its first call, paging: translated code's own barrier fast paths (the
            // translation caches read in place) over lines that are evicted and faulted back as the program runs
            modes.add(paging("tier-paging", ConformanceStores::memory, p -> true, config -> config.tierThreshold(0)));
        }
        if (ConformanceSettings.modeEnabled("flash")) {
            modes.add(paging("paging-flash", ConformanceStores::flash, p -> true, config -> config));
        }
        if (ConformanceSettings.modeEnabled("grpc")) {
            modes.add(paging("paging-grpc", ConformanceStores::grpc, p -> ConformanceStores.GRPC_SUBSET.contains(p.id()),
                    config -> config));
        }
        return new ConformanceSuite(HotSpotRunner.reference(), modes, reporter).nodes(ProgramCatalog.selected());
    }

    /** The resident run of {@code p}, once per test run (the paging modes size their memory from its peak). */
    private static RunResult resident(CompiledProgram p) throws Exception {
        RunResult r = RESIDENT.get(p.program().id());
        if (r == null) {
            r = new DeviceRunner("resident", ConformanceStores::memory, DeviceRunner::residentMemory, ConformanceSettings.deviceTimeout(),
                    config -> config.nurseryBytes(RESIDENT_NURSERY).workingSetBytes(RESIDENT_WORKING_SET).compaction(true)
                            .verifyWriteBarrier(true)).run(p);
            RESIDENT.put(p.program().id(), r);
        }
        return r;
    }

    /** A paging mode; {@code more} sets the device further (the tier, say). */
    private static Mode paging(String name, Supplier<HeapStore> stores, Predicate<ConformanceProgram> applies,
                               UnaryOperator<DeviceConfig> more) {
        return new Mode() {
            public String name() {
                return name;
            }

            public boolean appliesTo(ConformanceProgram program) {
                return applies.test(program);
            }

            public RunResult run(CompiledProgram p) throws Exception {
                long peak = resident(p).stats().orElseThrow().peakHeapBytes();
                long memory = DeviceRunner.pagingMemory(peak, ConformanceSuite.lineSize(), DeviceRunner.maxHeap(p));
                // working sets a quarter of the memory, so the user heap is collected a few at a time while it pages
                long workingSet = Math.max(ConformanceSuite.lineSize(), Long.highestOneBit(memory / 4));
                return new DeviceRunner(name, stores, x -> memory, ConformanceSettings.deviceTimeout(),
                        config -> more.apply(config.workingSetBytes(workingSet).compaction(true))).run(p);
            }
        };
    }
}
