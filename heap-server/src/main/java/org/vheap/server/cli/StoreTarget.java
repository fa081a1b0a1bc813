package org.vheap.server.cli;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.vheap.cli.CliValues;
import org.vheap.cli.ProgressBar;
import org.vheap.client.VheapHeaders;
import org.vheap.proto.v1.DeviceControlGrpc;
import org.vheap.proto.v1.HeapStoreGrpc;
import org.vheap.proto.v1.HeapToolProgress;
import org.vheap.security.ClientTls;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code --server HOST:PORT} option shared by the store and control commands, and the channel it opens.
 */
final class StoreTarget {
    /** Control calls wait for devices (a migration: a suspend and a resume), so they get longer than store calls. */
    private static final long CONTROL_DEADLINE_SECONDS = 300;

    @Option(names = "--server", defaultValue = "localhost:7700", paramLabel = "HOST:PORT",
            description = "heap server (or gateway) address (default: ${DEFAULT-VALUE})")
    String server;

    @Mixin
    ClientSecurityOptions security = new ClientSecurityOptions();

    /** The command this target serves: where its output goes. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** The command's standard output. */
    PrintWriter out() {
        return command.commandLine().getOut();
    }

    /** A progress bar for a long call of the command, on its standard error, drawn only on a terminal. */
    ProgressBar progressBar(String label) {
        return new ProgressBar(command.commandLine().getErr(), System.console() != null, label, System::nanoTime);
    }

    /** Shows a heap-tool call's progress on {@code bar}. */
    static java.util.function.Consumer<HeapToolProgress> shownOn(ProgressBar bar) {
        return p -> bar.show(p.getObjectsDone() > 0 ? String.format(java.util.Locale.ROOT, "%s, %,d objects", p.getPhase(),
                p.getObjectsDone()) : p.getPhase(), p.getLinesDone(), p.getLinesTotal(), p.getBytesDone());
    }

    ManagedChannel channel() {
        ClientTls tls = security.clientTls();
        return NettyChannelBuilder.forTarget(CliValues.hostPort("--server", server), tls.credentials()).intercept(tls.mismatchHints())
                .maxInboundMessageSize(64 << 20).build();
    }

    /** Runs {@code work} with a blocking stub on a fresh channel, and shuts the channel down after. */
    <T> T call(Function<HeapStoreGrpc.HeapStoreBlockingStub, T> work) {
        ManagedChannel ch = channel();
        try {
            return work.apply(HeapStoreGrpc.newBlockingStub(security.withToken(ch)).withDeadlineAfter(30, TimeUnit.SECONDS));
        } finally {
            shutdown(ch);
        }
    }

    /** As {@link #call(Function)} for a command that names an app: its calls carry {@code vheap-app} (gateway routing). */
    <T> T call(String app, Function<HeapStoreGrpc.HeapStoreBlockingStub, T> work) {
        return call(stub -> work.apply(stub.withInterceptors(VheapHeaders.forApp(app))));
    }

    /**
     * Runs {@code work} with a fresh channel carrying the token (a call without deadline: the heap tools' long
     * transfers), and shuts the channel down after.
     */
    <T> T transfer(Function<io.grpc.Channel, T> work) {
        ManagedChannel ch = channel();
        try {
            return work.apply(security.withToken(ch));
        } finally {
            shutdown(ch);
        }
    }

    /**
     * Runs a heap tool's server-streaming call for {@code app} (inspect, verify, gc) with no deadline: its progress
     * messages drawn on a progress bar labelled {@code label} (on a terminal), its last message's answer returned.
     *
     * @param progress the message's progress, or null when it is the answer
     * @param answer   the message's answer
     */
    <R, T> T heapTool(String app, String label, Function<HeapStoreGrpc.HeapStoreBlockingStub, java.util.Iterator<R>> call,
                      Function<R, HeapToolProgress> progress, Function<R, T> answer) {
        ProgressBar bar = progressBar(label);
        try {
            return transfer(ch -> {
                java.util.Iterator<R> messages = call.apply(HeapStoreGrpc.newBlockingStub(ch)
                        .withInterceptors(VheapHeaders.forApp(app)));
                java.util.function.Consumer<HeapToolProgress> shown = shownOn(bar);
                while (messages.hasNext()) {
                    R m = messages.next();
                    HeapToolProgress p = progress.apply(m);
                    if (p == null) {
                        return answer.apply(m);
                    }
                    shown.accept(p);
                }
                throw new IllegalStateException("the server ended the call without an answer");
            });
        } finally {
            bar.done();
        }
    }

    /** Runs {@code work} with a blocking control-plane stub on a fresh channel, and shuts the channel down after. */
    <T> T control(Function<DeviceControlGrpc.DeviceControlBlockingStub, T> work) {
        ManagedChannel ch = channel();
        try {
            return work.apply(DeviceControlGrpc.newBlockingStub(security.withToken(ch)).withDeadlineAfter(CONTROL_DEADLINE_SECONDS, TimeUnit.SECONDS));
        } finally {
            shutdown(ch);
        }
    }

    static HeapStoreGrpc.HeapStoreBlockingStub stub(ManagedChannel channel) {
        return HeapStoreGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    /** A stub whose calls are for {@code app}: they carry {@code vheap-app}. */
    static HeapStoreGrpc.HeapStoreBlockingStub stub(ManagedChannel channel, String app) {
        return stub(channel).withInterceptors(VheapHeaders.forApp(app));
    }

    static void shutdown(ManagedChannel channel) {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
