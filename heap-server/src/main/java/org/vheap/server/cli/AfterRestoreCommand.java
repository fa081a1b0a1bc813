package org.vheap.server.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.vheap.server.store.HeapDatabase;
import org.vheap.server.store.RestoreFence;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code vheap after-restore}: fences a store restored from a physical backup ({@link RestoreFence}). */
@Command(name = "after-restore", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fence a store restored from a backup before heap servers serve it again: every lease is fenced (its",
                "device's next call is refused), and fencing tokens and checkpoint ids go on past every one issued before.",
                "A heap server does this by itself when it finds the store restored with pg_restore or psql; run this after",
                "restoring a physical copy (pg_basebackup, a file-system snapshot), which it cannot tell from the original."})
final class AfterRestoreCommand implements Callable<Integer> {
    @Option(names = "--data", defaultValue = "vheap-data", paramLabel = "DIR",
            description = "data directory of the embedded database (default: ${DEFAULT-VALUE})")
    Path data;

    @Option(names = "--db-url", paramLabel = "URL", description = "the store's PostgreSQL (jdbc:postgresql://HOST:PORT/DB) instead of the embedded one")
    String dbUrl;

    @Option(names = "--db-user", paramLabel = "USER")
    String dbUser;

    @Option(names = "--db-password", paramLabel = "PASSWORD", defaultValue = "${env:VHEAP_DB_PASSWORD}",
            description = "database password (or set VHEAP_DB_PASSWORD)")
    String dbPassword;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (dbUrl != null && !dbUrl.startsWith("jdbc:postgresql:")) {
            throw new ParameterException(spec.commandLine(),
                    "--db-url must be a PostgreSQL JDBC URL (jdbc:postgresql://HOST:PORT/DB), got " + dbUrl);
        }
        if ((dbUrl == null) != (dbUser == null)) {
            throw new ParameterException(spec.commandLine(), dbUrl == null ? "--db-user needs --db-url" : "--db-url needs --db-user");
        }
        if (dbUrl == null && !java.nio.file.Files.isDirectory(data.resolve("postgres"))) {
            // opening it would make a new, empty store there and fence nothing
            throw new ParameterException(spec.commandLine(), "--data " + data + " holds no store (no " + data.resolve("postgres")
                    + "): give the data directory the store was restored into, or --db-url");
        }
        try (HeapDatabase db = dbUrl == null ? HeapDatabase.embedded(data, 2)
                : HeapDatabase.external(dbUrl, dbUser, dbPassword == null ? "" : dbPassword, 2)) {
            RestoreFence.Outcome o = RestoreFence.fence(db.dataSource(), Clock.systemUTC());
            spec.commandLine().getOut().println("fenced " + o.fencedApps().size() + " lease(s)"
                    + (o.fencedApps().isEmpty() ? "" : " (apps " + String.join(", ", o.fencedApps()) + ")")
                    + "; fencing tokens go on past " + o.tokenFloor() + " and checkpoint ids past " + o.epochFloor()
                    + "; resume each app from its newest checkpoint (./vheap resume)");
        }
        return 0;
    }
}
