package org.vheap.server.cli;

import java.util.concurrent.Callable;
import org.vheap.server.store.CitusDistribution;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vheap distribute}: a store on one PostgreSQL moved onto the Citus cluster it has become the coordinator of. */
@Command(name = "distribute", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Distribute an existing store across a Citus cluster: the database holding it has become the Citus",
                "coordinator (CREATE EXTENSION citus, citus_set_coordinator_host, citus_add_node for each worker); every",
                "per-app table is distributed by heap id and its rows move to the workers, in one transaction.",
                "Refused while a heap server is connected to the database; a store already distributed is left as is."})
final class DistributeCommand implements Callable<Integer> {
    @Option(names = "--db-url", required = true, paramLabel = "URL", description = "the coordinator (jdbc:postgresql://HOST:PORT/DB)")
    String dbUrl;

    @Option(names = "--db-user", required = true, paramLabel = "USER")
    String dbUser;

    @Option(names = "--db-password", paramLabel = "PASSWORD", defaultValue = "${env:VHEAP_DB_PASSWORD}",
            description = "database password (or set VHEAP_DB_PASSWORD)")
    String dbPassword;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!dbUrl.startsWith("jdbc:postgresql:")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--db-url must be a PostgreSQL JDBC URL (jdbc:postgresql://HOST:PORT/DB), got " + dbUrl);
        }
        CitusDistribution.Outcome o = CitusDistribution.distribute(dbUrl, dbUser, dbPassword);
        spec.commandLine().getOut().println(o.wasDistributed()
                ? "the store at " + dbUrl + " is distributed already (" + o.workers() + " workers, " + o.apps() + " apps): nothing to do"
                : "distributed the store at " + dbUrl + " across " + o.workers() + " workers: " + o.apps() + " apps, "
                        + o.lineVersions() + " line versions now in the workers' shards");
        return 0;
    }
}
