package org.vheap.server.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "store", mixinStandardHelpOptions = true, description = "Heap-store round trips and checkpoint throughput, gRPC vs raw JDBC.")
final class StoreBench implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("the store benchmark is being written");
    }
}
