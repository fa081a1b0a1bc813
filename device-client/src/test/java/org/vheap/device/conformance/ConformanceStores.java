package org.vheap.device.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.vheap.device.store.GrpcHeapStore;
import org.vheap.device.store.HeapSession;
import org.vheap.device.store.HeapStore;
import org.vheap.device.store.MemoryHeapStore;
import org.vheap.device.store.OpenRequest;
import org.vheap.device.store.SystemBlobStore;
import org.vheap.device.store.flash.FlashHeapStore;
import org.vheap.device.store.flash.FlashStoreConfig;
import org.vheap.server.HeapServerConfig;
import org.vheap.server.HeapServerInstance;

/**
 * Where the device runs get their heap stores: the one place the store implementations are plugged in. The in-memory
 * store, the device's flash store in a directory of each run's own (deleted when the store is closed), and a gRPC
 * store on a real heap server.
 */
public final class ConformanceStores {
    /** The programs that also run in paging mode against a real heap server over gRPC (slow: keep it small). */
    public static final Set<String> GRPC_SUBSET = Set.of(
            "gc/G01RandomGraphs",
            "basics/B01IntArithmetic",
            "objects/O06Enums",
            "strings/S05Unicode",
            "exceptions/E07UncaughtCauseChain",
            "lambdas/L05Collectors",
            "collections/C02HashMapOrder",
            "threads/T03ProducerConsumer",
            "errors/R04OutOfMemory");

    private ConformanceStores() {
    }

    /** A fresh in-memory store. */
    public static HeapStore memory() {
        return new MemoryHeapStore(Clock.systemUTC());
    }

    /**
     * A fresh flash store ({@code --store flash:DIR}) on real files, with the CLI's defaults (128 KiB blocks, no
     * flash size), in a temporary directory of its own that goes when the store is closed.
     */
    public static HeapStore flash() {
        Path dir;
        try {
            dir = Files.createTempDirectory("vheap-conformance-flash-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a directory for a flash store", e);
        }
        FlashHeapStore store = FlashHeapStore.open(dir, new FlashStoreConfig(), Clock.systemUTC());
        return new HeapStore() {
            public HeapSession openHeap(OpenRequest request) {
                return store.openHeap(request);
            }

            public SystemBlobStore systemBlobs(String app) {
                return store.systemBlobs(app);
            }

            public boolean persistent() {
                return store.persistent();
            }

            public void close() {
                store.close();
                ProgramCompiler.deleteTree(dir);
            }
        };
    }

    /**
     * A gRPC store on the heap server at {@code conformance.grpc.target}, or on an embedded heap server started once
     * for the run.
     */
    public static HeapStore grpc() {
        String target = ConformanceSettings.grpcTarget();
        if (target.isBlank()) {
            target = EmbeddedServer.target();
        }
        return new GrpcHeapStore(target, Duration.ofSeconds(30));
    }

    /** A heap server on embedded PostgreSQL, started at first use and stopped when the test JVM exits. */
    private static final class EmbeddedServer {
        private static volatile String target;

        static synchronized String target() {
            if (target == null) {
                try {
                    Path dir = Files.createTempDirectory("vheap-conformance-server-");
                    HeapServerInstance server = HeapServerInstance.start(
                            new HeapServerConfig().setHost("127.0.0.1").setPort(0).setDataDir(dir).setPoolSize(8), Clock.systemUTC());
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                        server.close();
                        ProgramCompiler.deleteTree(dir);
                    }, "conformance-heap-server-stop"));
                    target = "127.0.0.1:" + server.port();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot start the embedded heap server", e);
                }
            }
            return target;
        }
    }
}
