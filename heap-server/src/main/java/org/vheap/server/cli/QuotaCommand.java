package org.vheap.server.cli;

import java.util.concurrent.Callable;
import org.vheap.cli.CliValues;
import org.vheap.cli.SizeFormat;
import org.vheap.cli.TextTable;
import org.vheap.proto.v1.AppQuotaEntry;
import org.vheap.proto.v1.ListQuotasRequest;
import org.vheap.proto.v1.ListQuotasResponse;
import org.vheap.proto.v1.Quota;
import org.vheap.proto.v1.SetQuotaRequest;
import org.vheap.proto.v1.SetQuotaResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vheap quota}: the admin lists the quotas, or changes an app's ({@code --app}) or the default one
 * ({@code --default}): the limits given are set (0: no limit), the others of that quota kept; {@code --clear} removes an
 * app's own. An app's own quota replaces the default as a whole: one made by {@code --app A --lines N} has no other limit.
 */
@Command(name = "quota", mixinStandardHelpOptions = true,
        description = {"List the apps' quotas, or set one's (needs the admin token).",
                "--app NAME or --default with any of --lines, --bytes, --checkpoints, --calls-per-second sets those limits"
                        + " (0: none) and keeps the others of that quota; --app NAME --clear removes the app's own (it takes"
                        + " the default). An app's own quota replaces the default as a whole.",
                "Over its lines, bytes or checkpoints a call is refused (RESOURCE_EXHAUSTED) and writes nothing; over its"
                        + " calls per second, the device waits and retries."})
final class QuotaCommand implements Callable<Integer> {
    @Mixin
    StoreTarget target;

    @Option(names = "--app", paramLabel = "NAME", description = "the app whose quota to set or clear")
    String app;

    @Option(names = "--default", description = "set the default quota, of every app without its own")
    boolean defaults;

    @Option(names = "--lines", paramLabel = "N", description = "the lines a checkpoint may hold, and an open epoch may write")
    Long lines;

    @Option(names = "--bytes", paramLabel = "SIZE", description = "as --lines, in bytes (lines times line size, plus the VM state): 512m, 4g")
    String bytes;

    @Option(names = "--checkpoints", paramLabel = "N", description = "the checkpoints the app keeps (older ones are pruned at commit, pinned or not)")
    Integer checkpoints;

    @Option(names = "--calls-per-second", paramLabel = "N", description = "the calls per second one heap server takes for the app")
    Integer callsPerSecond;

    @Option(names = "--clear", description = "remove the app's own quota")
    boolean clear;

    @Override
    public Integer call() {
        boolean limits = lines != null || bytes != null || checkpoints != null || callsPerSecond != null;
        if (app != null && defaults) {
            throw new IllegalArgumentException("give --app NAME or --default, not both");
        }
        if (app == null && !defaults) {
            if (limits || clear) {
                throw new IllegalArgumentException("say whose quota: --app NAME or --default");
            }
            return list();
        }
        if (clear && limits) {
            throw new IllegalArgumentException("--clear removes the quota: give it without limits");
        }
        if (!clear && !limits) {
            throw new IllegalArgumentException("give the limits to set (--lines, --bytes, --checkpoints, --calls-per-second)"
                    + " or --clear");
        }
        String name = defaults ? "" : app;
        Quota quota = clear ? Quota.getDefaultInstance() : changed(own(name));
        SetQuotaResponse r = target.call(stub -> stub.setQuota(SetQuotaRequest.newBuilder().setApp(name).setQuota(quota)
                .setClear(clear).build()));
        target.out().println((defaults ? "default quota" : "app '" + app + "'") + ": " + describe(r.getEffective()));
        return 0;
    }

    /** The quota the app (or, named "", the default) has of its own now; none: all zero. */
    private Quota own(String name) {
        ListQuotasResponse all = target.call(stub -> stub.listQuotas(ListQuotasRequest.getDefaultInstance()));
        if (name.isEmpty()) {
            return all.getDefaultQuota();
        }
        return all.getAppsList().stream().filter(e -> e.getApp().equals(name)).map(AppQuotaEntry::getQuota).findFirst()
                .orElse(Quota.getDefaultInstance());
    }

    /** {@code base} with the limits given on the command line. */
    private Quota changed(Quota base) {
        Quota.Builder b = base.toBuilder();
        if (lines != null) {
            b.setMaxLines(nonNegative("--lines", lines));
        }
        if (bytes != null) {
            b.setMaxBytes(CliValues.bytes("--bytes", bytes));
        }
        if (checkpoints != null) {
            b.setMaxCheckpoints((int) nonNegative("--checkpoints", checkpoints));
        }
        if (callsPerSecond != null) {
            b.setMaxCallsPerSecond((int) nonNegative("--calls-per-second", callsPerSecond));
        }
        return b.build();
    }

    private int list() {
        ListQuotasResponse r = target.call(stub -> stub.listQuotas(ListQuotasRequest.getDefaultInstance()));
        TextTable t = new TextTable("APP", "LINES", "BYTES", "CHECKPOINTS", "CALLS/S");
        row(t, "(default)", r.getDefaultQuota());
        for (AppQuotaEntry e : r.getAppsList()) {
            row(t, e.getApp(), e.getQuota());
        }
        t.print(target.out());
        return 0;
    }

    private static void row(TextTable t, String app, Quota q) {
        t.row(app, limit(q.getMaxLines()), q.getMaxBytes() == 0 ? "-" : SizeFormat.bytes(q.getMaxBytes()),
                limit(q.getMaxCheckpoints()), limit(q.getMaxCallsPerSecond()));
    }

    private static String describe(Quota q) {
        return "lines " + limit(q.getMaxLines()) + ", bytes " + (q.getMaxBytes() == 0 ? "-" : SizeFormat.bytes(q.getMaxBytes()))
                + ", checkpoints " + limit(q.getMaxCheckpoints()) + ", calls per second " + limit(q.getMaxCallsPerSecond())
                + " (-: no limit)";
    }

    private static String limit(long n) {
        return n == 0 ? "-" : Long.toString(n);
    }

    private static long nonNegative(String option, long n) {
        if (n < 0) {
            throw new IllegalArgumentException(option + " must be 0 (no limit) or more, got " + n);
        }
        return n;
    }
}
