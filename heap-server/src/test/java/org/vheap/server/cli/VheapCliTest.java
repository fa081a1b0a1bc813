package org.vheap.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.client.HeapStoreClient;
import org.vheap.proto.v1.CommitHeader;
import org.vheap.proto.v1.OpenHeapRequest;
import org.vheap.server.control.FakeDevice;
import org.vheap.server.testing.TestHeapServer;
import org.vheap.server.testing.TestHeaps;
import org.vheap.server.testing.UnreachableServer;
import org.vheap.server.testing.CliRun;

/** The store commands against a real server: tables on success, one line and an exit code on failure. */
class VheapCliTest {
    /** On loopback: the commands dial {@code --server HOST:PORT}. */
    @RegisterExtension
    static final TestHeapServer SERVER = TestHeapServer.onLoopback();

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void appsAndCheckpointsPrintTables() throws Exception {
        String app = TestHeaps.app("cli");
        HeapStoreClient client = new HeapStoreClient(SERVER.channel(), 30_000);
        long t = client.blocking().openHeap(OpenHeapRequest.newBuilder().setApp(app).setDevice("dev-cli")
                .setCreate(true).setLineSize(64).build()).getLease().getFencingToken();
        long cp = client.commit(CommitHeader.newBuilder().setApp(app).setFencingToken(t).setDevice("dev-cli").build(),
                List.of(), List.of(), 1 << 20).getCheckpoint().getCheckpointId();

        CliRun apps = run("apps", "--server", SERVER.target());
        assertThat(apps.exit()).isZero();
        assertThat(apps.out()).contains("APP").contains("LEASE HOLDER");
        assertThat(apps.out().lines().filter(l -> l.startsWith(app + " ")).findFirst().orElseThrow())
                .contains("dev-cli").contains(" 64 ");

        CliRun cps = run("checkpoints", "--app", app, "--server", SERVER.target());
        assertThat(cps.exit()).isZero();
        assertThat(cps.out().lines().skip(1).findFirst().orElseThrow()).startsWith(String.valueOf(cp)).contains("dev-cli");

        CliRun del = run("delete-app", "--app", app, "--server", SERVER.target());
        assertThat(del.exit()).isEqualTo(1);
        assertThat(del.err()).contains("FAILED_PRECONDITION").contains("leased to device 'dev-cli'");
        assertThat(run("delete-app", "--app", app, "--force", "--server", SERVER.target()).exit()).isZero();
    }

    @Test
    void quotaSetsTheLimitsGivenKeepsTheOthersListsThemAndClearsThem() {
        String app = TestHeaps.app("cli-quota");
        CliRun set = run("quota", "--server", SERVER.target(), "--app", app, "--lines", "1000", "--bytes", "4m");
        assertThat(set.exit()).as(set.err()).isZero();
        assertThat(set.out().strip()).isEqualTo("app '" + app + "': lines 1000, bytes 4.0 MiB, checkpoints -,"
                + " calls per second - (-: no limit)");
        CliRun more = run("quota", "--server", SERVER.target(), "--app", app, "--calls-per-second", "50", "--lines", "0");
        assertThat(more.out().strip()).isEqualTo("app '" + app + "': lines -, bytes 4.0 MiB, checkpoints -,"
                + " calls per second 50 (-: no limit)");
        assertThat(SERVER.store().quotas().of(app)).isEqualTo(new org.vheap.server.store.AppQuota(0, 4 << 20, 0, 50));

        CliRun list = run("quota", "--server", SERVER.target());
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains("APP").contains("CALLS/S").contains("(default)");
        assertThat(list.out().lines().filter(l -> l.startsWith(app + " ")).findFirst().orElseThrow().split("\\s+"))
                .containsExactly(app, "-", "4.0", "MiB", "-", "50");

        CliRun cleared = run("quota", "--server", SERVER.target(), "--app", app, "--clear");
        assertThat(cleared.out()).contains("lines -, bytes -, checkpoints -, calls per second -");
        assertThat(run("quota", "--server", SERVER.target()).out()).doesNotContain(app);

        CliRun whose = run("quota", "--server", SERVER.target(), "--lines", "5");
        assertThat(whose.exit()).isEqualTo(2);
        assertThat(whose.err().strip()).isEqualTo("vheap quota: say whose quota: --app NAME or --default");
        CliRun negative = run("quota", "--server", SERVER.target(), "--app", app, "--checkpoints", "-1");
        assertThat(negative.exit()).isEqualTo(2);
        assertThat(negative.err()).contains("--checkpoints must be 0 (no limit) or more, got -1");
        CliRun badSize = run("quota", "--server", SERVER.target(), "--default", "--bytes", "lots");
        assertThat(badSize.exit()).isEqualTo(2);
        assertThat(badSize.err()).contains("--bytes 'lots' is not a size");
        assertThat(SERVER.store().quotas().list()).doesNotContainKey(app).doesNotContainKey("");
    }

    @Test
    void healthSaysServingWithExitZeroAndFailsForNoServer() {
        CliRun ok = run("health", "--server", SERVER.target());
        assertThat(ok.exit()).isZero();
        assertThat(ok.out().strip()).isEqualTo(SERVER.target() + ": SERVING");
        CliRun store = run("health", "--server", SERVER.target(), "--service", "vheap.v1.HeapStore");
        assertThat(store.exit()).isZero();
        assertThat(store.out()).contains("vheap.v1.HeapStore: SERVING");
        CliRun unknown = run("health", "--server", SERVER.target(), "--service", "no.such.Service");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("NOT_FOUND");
        CliRun none = run("health", "--server", "127.0.0.1:1", "--timeout", "1");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).contains("nothing answers at 127.0.0.1:1");
    }

    @Test
    void failuresAreOneLineWithAnExitCode() {
        CliRun ghost = run("checkpoints", "--app", "ghost-app", "--server", SERVER.target());
        assertThat(ghost.exit()).isEqualTo(1);
        assertThat(ghost.err().strip()).isEqualTo("vheap checkpoints: NOT_FOUND: no app named 'ghost-app'");

        CliRun noServer = run("apps", "--server", "127.0.0.1:1");
        assertThat(noServer.exit()).isEqualTo(1);
        assertThat(noServer.err()).contains("nothing answers at 127.0.0.1:1").doesNotContain("\tat ");

        CliRun badTarget = run("apps", "--server", "nonsense");
        assertThat(badTarget.exit()).isEqualTo(2);
        assertThat(badTarget.err()).contains("--server must be HOST:PORT");

        CliRun badRetain = run("server", "--retain", "0");
        assertThat(badRetain.exit()).isEqualTo(2);
        assertThat(badRetain.err()).contains("--retain must be at least 1");

        CliRun notADuration = run("server", "--db-check-interval", "soon");
        assertThat(notADuration.exit()).isEqualTo(2);
        assertThat(notADuration.err().strip())
                .isEqualTo("vheap server: --db-check-interval 'soon' is not a duration (e.g. 500ms, 5s, 2m)");

        CliRun tooOften = run("server", "--db-check-interval", "10ms");
        assertThat(tooOften.exit()).isEqualTo(2);
        assertThat(tooOften.err()).contains("--db-check-interval must be 100 ms to 10 min, got 10 ms");

        CliRun unknown = run("apps", "--frobnicate");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unknown option: '--frobnicate'");

        CliRun userWithoutUrl = run("server", "--db-user", "x");
        assertThat(userWithoutUrl.exit()).isEqualTo(2);
        assertThat(userWithoutUrl.err()).contains("--db-user and --db-password need --db-url");

        CliRun routedWithoutUrl = run("server", "--citus-route-to-workers");
        assertThat(routedWithoutUrl.exit()).isEqualTo(2);
        assertThat(routedWithoutUrl.err()).contains("--citus-route-to-workers needs --db-url (a Citus coordinator)");
    }

    @Test
    void controlCommandsListDevicesAndSuspendResumeAndMigrateApps() throws Exception {
        String app = TestHeaps.app("cli-mig");
        try (FakeDevice a = new FakeDevice(SERVER.channel(), TestHeaps.app("cli-a"), 3 << 20, List.of("file:/tmp"), List.of());
             FakeDevice b = FakeDevice.attach(SERVER.channel(), TestHeaps.app("cli-b"))) {
            a.attached.get(10, TimeUnit.SECONDS);
            a.run(app, 5);
            a.appStatus(app, "running");

            CliRun devices = run("devices", "--server", SERVER.target());
            assertThat(devices.exit()).isZero();
            assertThat(devices.out().lines().findFirst().orElseThrow())
                    .startsWith("DEVICE").contains("MEMORY").contains("RESOURCES").contains("APPS").contains("CONNECTED SINCE");
            assertThat(devices.out().lines().filter(l -> l.startsWith(a.name + " ")).findFirst().orElseThrow())
                    .contains("3.0 MiB").contains("file:/tmp").contains(app);

            CliRun migrate = run("migrate", "--app", app, "--to", b.name, "--server", SERVER.target());
            assertThat(migrate.err()).isEmpty();
            assertThat(migrate.exit()).isZero();
            assertThat(migrate.out()).matches("migrated app '" + app + "' from device '" + a.name + "' to device '"
                    + b.name + "' through checkpoint \\d+ \\(suspend \\d+ ms, resume \\d+ ms\\)\\R");
            assertThat(b.resumed).containsKey(app);

            CliRun suspend = run("suspend", "--app", app, "--server", SERVER.target());
            assertThat(suspend.exit()).isZero();
            assertThat(suspend.out()).matches("suspended app '" + app + "' on device '" + b.name + "' at checkpoint \\d+\\R");

            CliRun resume = run("resume", "--app", app, "--on", a.name, "--server", SERVER.target());
            assertThat(resume.exit()).isZero();
            assertThat(resume.out()).startsWith("resumed app '" + app + "' on device '" + a.name + "' from its newest checkpoint");
            assertThat(a.resumed).containsKey(app);
        }
    }

    @Test
    void controlFailuresAreOneLineWithAnExitCode() throws Exception {
        String app = TestHeaps.app("cli-ctl");
        try (FakeDevice a = FakeDevice.attach(SERVER.channel(), TestHeaps.app("cli-only"))) {
            a.run(app, 1);
            CliRun badTarget = run("migrate", "--app", app, "--to", "b", "--server", SERVER.target());
            assertThat(badTarget.exit()).isEqualTo(1);
            assertThat(badTarget.err().lines()).hasSize(1);
            assertThat(badTarget.err()).startsWith("vheap migrate: FAILED_PRECONDITION: device 'b' is not connected to the server (connected: ")
                    .contains(a.name);

            CliRun noApp = run("suspend", "--app", "ghost-app", "--server", SERVER.target());
            assertThat(noApp.exit()).isEqualTo(1);
            assertThat(noApp.err().strip()).isEqualTo("vheap suspend: NOT_FOUND: no app named 'ghost-app'");

            CliRun busy = run("resume", "--app", app, "--on", a.name, "--server", SERVER.target());
            assertThat(busy.exit()).isEqualTo(1);
            assertThat(busy.err().strip()).startsWith("vheap resume: FAILED_PRECONDITION: app '" + app + "' runs on device '"
                    + a.name + "'").endsWith("suspend it first, or migrate it");

            CliRun noTo = run("migrate", "--app", app, "--server", SERVER.target());
            assertThat(noTo.exit()).isEqualTo(2);
            assertThat(noTo.err()).contains("Missing required option: '--to=DEVICE'");

            CliRun badCheckpoint = run("resume", "--app", app, "--on", a.name, "--checkpoint", "-1", "--server", SERVER.target());
            assertThat(badCheckpoint.exit()).isEqualTo(2);
            assertThat(badCheckpoint.err().strip()).startsWith("vheap resume: --checkpoint must be a checkpoint id");

            CliRun noServer = run("devices", "--server", "127.0.0.1:1");
            assertThat(noServer.exit()).isEqualTo(1);
            assertThat(noServer.err()).contains("nothing answers at 127.0.0.1:1").doesNotContain("\tat ");
        }
    }

    @Test
    void tokenIssuesADeviceTokenAndNamesExactlyOneOfAppAndDevice() throws Exception {
        String device = TestHeaps.app("cli-dev");
        CliRun printed = run("token", "--device", device, "--server", SERVER.target());
        assertThat(printed.exit()).as(printed.err()).isZero();
        assertThat(printed.out().strip()).startsWith("vht_").doesNotContain("\n");
        java.nio.file.Path dir = TestHeaps.tempDir("vheap-cli-token");
        try {
            java.nio.file.Path out = dir.resolve("dev.token");
            CliRun written = run("token", "--device", device, "--out", out.toString(), "--server", SERVER.target());
            assertThat(written.exit()).as(written.err()).isZero();
            assertThat(written.out().strip()).isEqualTo("device '" + device + "': new token written to " + out);
            String token = org.vheap.security.AccessTokens.read(out, "--out");
            assertThat(token).isNotEqualTo(printed.out().strip());
            assertThat(new org.vheap.server.store.DeviceTokens(SERVER.dataSource()).lookup(device))
                    .isEqualTo(org.vheap.security.AccessTokens.sha256(token));
        } finally {
            TestHeaps.deleteRecursively(dir);
        }

        CliRun neither = run("token", "--server", SERVER.target());
        assertThat(neither.exit()).isEqualTo(2);
        assertThat(neither.err().strip()).isEqualTo("vheap token: give exactly one of --app NAME (with --reset) and --device NAME");
        CliRun both = run("token", "--app", "a", "--reset", "--device", device, "--server", SERVER.target());
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err().strip()).isEqualTo(neither.err().strip());
        CliRun noReset = run("token", "--app", "a", "--server", SERVER.target());
        assertThat(noReset.exit()).isEqualTo(2);
        assertThat(noReset.err().strip()).isEqualTo("vheap token: --app a needs --reset: it replaces the app's token, and the old one stops working");
        CliRun badName = run("token", "--device", "no good", "--server", SERVER.target());
        assertThat(badName.exit()).isEqualTo(1);
        assertThat(badName.err().strip()).contains("device name 'no good' may hold only").doesNotContain("\n");
    }


    @Test
    void aCommandPointedWhereNothingListensSaysSoInOneLine() throws Exception {
        String nowhere = UnreachableServer.address();
        String line = "UNAVAILABLE: " + UnreachableServer.nothingAnswers(nowhere);
        for (String[] args : new String[][] {
                {"apps"}, {"checkpoints", "--app", "a"}, {"delete-app", "--app", "a"},
                {"delete-checkpoint", "--app", "a", "--checkpoint", "1"}, {"token", "--device", "d"},
                {"devices"}, {"suspend", "--app", "a"}, {"resume", "--app", "a", "--on", "d"},
                {"migrate", "--app", "a", "--to", "d"}, {"health"}}) {
            String[] withServer = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--server", nowhere))
                    .toArray(String[]::new);
            CliRun r = run(withServer);
            assertThat(r.err()).as(String.join(" ", args)).isEqualTo("vheap " + args[0] + ": " + line + System.lineSeparator());
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(1);
        }
        CliRun bench = run("bench", "store", "--server", nowhere, "--checkpoint-mib", "1");
        assertThat(bench.err()).isEqualTo("vheap bench store: " + line + System.lineSeparator());
        assertThat(bench.exit()).isEqualTo(1);
    }

    @Test
    void badUsageNamesTheCommandOnceAndPointsToItsHelp() {
        CliRun unknown = run("frob");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err().strip()).isEqualTo("vheap: Unmatched argument at index 0: 'frob' (see: ./vheap --help)");

        CliRun badOption = run("apps", "--frobnicate");
        assertThat(badOption.exit()).isEqualTo(2);
        assertThat(badOption.err().strip()).isEqualTo("vheap apps: Unknown option: '--frobnicate' (see: ./vheap apps --help)");

        CliRun nested = run("bench", "store", "--frobnicate");
        assertThat(nested.exit()).isEqualTo(2);
        assertThat(nested.err().strip())
                .isEqualTo("vheap bench store: Unknown option: '--frobnicate' (see: ./vheap bench store --help)");

        CliRun failed = run("bench", "store", "--runs", "0");
        assertThat(failed.exit()).isEqualTo(2);
        assertThat(failed.err().strip()).isEqualTo("vheap bench store: --runs must be 1..20, got 0");
    }

    @Test
    void helpListsTheControlCommands() {
        CliRun help = run("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("devices").contains("suspend").contains("resume").contains("migrate");
    }
}
