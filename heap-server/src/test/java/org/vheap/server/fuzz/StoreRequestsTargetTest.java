package org.vheap.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vheap.fuzz.JazzerRun;
import org.vheap.proto.v1.*;

/**
 * The {@code store-requests} fuzz target: its seed corpus is the requests a device and the tools send (written by
 * {@link #seeds()}, checked here to be what the repository holds), and a bounded run under Jazzer (as
 * {@code ./vheap fuzz store-requests --runs N} runs longer) finds no failure and covers the server's code.
 */
class StoreRequestsTargetTest {
    static final Path SEEDS = Path.of("src/fuzz/store-requests");
    private static final long RUNS = Long.getLong("vheap.fuzz.runs", 3000);

    /** The seed inputs, by file name: one or more real requests per method, in the order a device sends them. */
    static Map<String, byte[]> seeds() throws Exception {
        byte[] line = new byte[4096];
        line[0] = 7;
        byte[] blob = "a class file".getBytes();
        ByteString sha = ByteString.copyFrom(MessageDigest.getInstance("SHA-256").digest(blob));
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seed(seeds, "00-open", HeapStoreGrpc.getOpenHeapMethod(), OpenHeapRequest.newBuilder().setApp("fuzz-a")
                .setDevice("dev-1").setCreate(true).setLineSize(4096).build());
        seed(seeds, "01-renew", HeapStoreGrpc.getRenewLeaseMethod(), RenewLeaseRequest.newBuilder().setApp("fuzz-a")
                .setFencingToken(1).build());
        seed(seeds, "02-flush", HeapStoreGrpc.getTransactMethod(), TransactRequest.newBuilder().setApp("fuzz-a")
                .setFencingToken(1).addWrites(Line.newBuilder().setLineId(3).setData(ByteString.copyFrom(line)))
                .addReadLineIds(3).addDeleteLineIds(9).build());
        seed(seeds, "03-read", HeapStoreGrpc.getReadLinesMethod(), ReadLinesRequest.newBuilder().setApp("fuzz-a")
                .setFencingToken(1).addRanges(LineRange.newBuilder().setFirstLineId(0).setLastLineId(10)).build());
        seed(seeds, "04-commit", HeapStoreGrpc.getCommitCheckpointMethod(),
                CommitCheckpointRequest.newBuilder().setHeader(CommitHeader.newBuilder().setApp("fuzz-a")
                        .setFencingToken(1).setDevice("dev-1").setVmState(ByteString.copyFromUtf8("state"))
                        .putMetadata("reason", "fuzz")).build(),
                CommitCheckpointRequest.newBuilder().setLines(LineBatch.newBuilder()
                        .addWrites(Line.newBuilder().setLineId(4).setData(ByteString.copyFrom(line)))).build());
        seed(seeds, "05-list-apps", HeapStoreGrpc.getListAppsMethod(), ListAppsRequest.newBuilder().build());
        seed(seeds, "06-list-checkpoints", HeapStoreGrpc.getListCheckpointsMethod(),
                ListCheckpointsRequest.newBuilder().setApp("fuzz-a").build());
        seed(seeds, "07-get-checkpoint", HeapStoreGrpc.getGetCheckpointMethod(),
                GetCheckpointRequest.newBuilder().setApp("fuzz-a").build());
        seed(seeds, "08-delete-checkpoint", HeapStoreGrpc.getDeleteCheckpointMethod(),
                DeleteCheckpointRequest.newBuilder().setApp("fuzz-a").setCheckpointId(1).build());
        seed(seeds, "09-close", HeapStoreGrpc.getCloseHeapMethod(), CloseHeapRequest.newBuilder().setApp("fuzz-a")
                .setFencingToken(1).build());
        seed(seeds, "10-delete-app", HeapStoreGrpc.getDeleteAppMethod(), DeleteAppRequest.newBuilder().setApp("fuzz-b").build());
        seed(seeds, "11-reset-app-token", HeapStoreGrpc.getResetAppTokenMethod(),
                ResetAppTokenRequest.newBuilder().setApp("fuzz-a").build());
        seed(seeds, "12-put-blobs", HeapStoreGrpc.getPutSystemBlobsMethod(), PutSystemBlobsRequest.newBuilder()
                .setApp("fuzz-a").addBlobs(SystemBlob.newBuilder().setSha256(sha).setData(ByteString.copyFrom(blob))).build());
        seed(seeds, "13-get-blobs", HeapStoreGrpc.getGetSystemBlobsMethod(), GetSystemBlobsRequest.newBuilder()
                .setApp("fuzz-a").addSha256(sha).build());
        seed(seeds, "14-find-missing-blobs", HeapStoreGrpc.getFindMissingSystemBlobsMethod(),
                FindMissingSystemBlobsRequest.newBuilder().setApp("fuzz-a").addSha256(sha).build());
        seed(seeds, "15-attach", DeviceControlGrpc.getAttachMethod(), DeviceMessage.newBuilder()
                .setRegister(Register.newBuilder().setDevice("dev-1").setMemoryBytes(1 << 20)).build());
        seed(seeds, "16-list-devices", DeviceControlGrpc.getListDevicesMethod(), ListDevicesRequest.newBuilder().build());
        seed(seeds, "17-suspend", DeviceControlGrpc.getSuspendAppMethod(), SuspendAppRequest.newBuilder().setApp("fuzz-a").build());
        seed(seeds, "18-resume", DeviceControlGrpc.getResumeAppMethod(), ResumeAppRequest.newBuilder().setApp("fuzz-a")
                .setDevice("dev-1").build());
        seed(seeds, "19-migrate", DeviceControlGrpc.getMigrateAppMethod(), MigrateAppRequest.newBuilder().setApp("fuzz-a")
                .setToDevice("dev-2").build());
        seed(seeds, "20-reset-device-token", DeviceControlGrpc.getResetDeviceTokenMethod(),
                ResetDeviceTokenRequest.newBuilder().setDevice("dev-1").build());
        seed(seeds, "21-set-quota", HeapStoreGrpc.getSetQuotaMethod(), SetQuotaRequest.newBuilder().setApp("fuzz-a")
                .setQuota(Quota.newBuilder().setMaxLines(100).setMaxBytes(1 << 20).setMaxCheckpoints(2)
                        .setMaxCallsPerSecond(1000)).build());
        seed(seeds, "22-list-quotas", HeapStoreGrpc.getListQuotasMethod(), ListQuotasRequest.newBuilder().build());
        return seeds;
    }

    private static void seed(Map<String, byte[]> seeds, String name, io.grpc.MethodDescriptor<?, ?> method,
                             MessageLite... messages) {
        int index = StoreRequestsTarget.METHODS.indexOf(method);
        assertThat(index).as("%s is fuzzed", method.getFullMethodName()).isNotNegative();
        seeds.put(name, StoreRequestsTarget.encode(index, java.util.Arrays.stream(messages).map(MessageLite::toByteArray).toList()));
    }

    @Test
    void theSeedCorpusIsTheRecordedRequestsOfEveryMethod() throws Exception {
        Map<String, byte[]> seeds = seeds();
        if (Boolean.getBoolean("vheap.fuzz.writeSeeds")) {
            for (var e : seeds.entrySet()) {
                Files.write(SEEDS.resolve(e.getKey()), e.getValue());
            }
        }
        for (var e : seeds.entrySet()) {
            assertThat(Files.readAllBytes(SEEDS.resolve(e.getKey()))).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(seeds.values().stream().map(s -> s[0]).distinct().count()).as("methods with a seed")
                .isEqualTo(StoreRequestsTarget.METHODS.size());
    }

    @Test
    void aBoundedRunFindsNothingAndCoversTheServer(@TempDir Path work) throws Exception {
        JazzerRun.Result r = JazzerRun.run(StoreRequestsTarget.class.getName(), SEEDS, work, RUNS, Duration.ofMinutes(5),
                System.out::println);
        assertThat(r.failure()).as("failure (input: %s)", r.artifact()).isNull();
        assertThat(r.inputs()).isEqualTo(RUNS);
        assertThat(r.coverage()).as("code edges covered").isGreaterThan(1000);
    }
}
