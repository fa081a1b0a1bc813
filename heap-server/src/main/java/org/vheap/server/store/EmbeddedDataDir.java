package org.vheap.server.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vheap.cli.TempDirs;
import org.vheap.security.PrivateFiles;

/**
 * The embedded PostgreSQL's place under a heap server's data directory, private to the server's user:
 * <ul>
 *   <li>{@code DATA}: made mode 700 when absent; refused when its group or others may write it (they could
 *       replace what is inside);</li>
 *   <li>{@code DATA/postgres}: the cluster (PostgreSQL itself insists on 700 or 750);</li>
 *   <li>{@code DATA/pg-runtime} (700): ours; the binaries zonky unpacks live one level down, in
 *       {@code DATA/pg-runtime/binaries/PG-<digest>}.</li>
 * </ul>
 * zonky makes its working directory writable by everybody on every start ({@code File.setWritable(true, false)}),
 * which let any local user swap the binaries the next start runs when that directory was {@code DATA/pg-runtime}.
 * Now its working directory sits inside our private one, so nobody else can reach it even while zonky has it open,
 * and {@link #seal()} takes group and other permissions away from everything under {@code pg-runtime} after the
 * start. A {@code pg-runtime} in the old layout, or one group or others may write, cannot be trusted (its binaries
 * could have been replaced): it is removed and the binaries unpacked again.
 */
final class EmbeddedDataDir {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDataDir.class);
    private static final String BINARIES = "binaries";

    private final Path cluster;
    private final Path runtime;

    private EmbeddedDataDir(Path cluster, Path runtime) {
        this.cluster = cluster;
        this.runtime = runtime;
    }

    /** Makes (or checks and repairs) the layout under {@code dataDir}; throws IllegalArgumentException for a data
     * directory others may write. */
    static EmbeddedDataDir prepare(Path dataDir) throws IOException {
        Path data = dataDir.toAbsolutePath();
        PrivateFiles.createDirectories(data);
        if (PrivateFiles.writableByOthers(data)) {
            throw new IllegalArgumentException("the data directory " + data + " is writable by other users, who could"
                    + " replace the database or the PostgreSQL binaries the server runs: make it private"
                    + " (chmod 700 " + data + ") or choose another --data");
        }
        Path runtime = data.resolve("pg-runtime");
        if (Files.exists(runtime) && !trusted(runtime)) {
            log.warn("{} was open to other users (an earlier version left it writable by everybody): removing it;"
                    + " PostgreSQL's binaries are unpacked again", runtime);
            TempDirs.deleteTree(runtime);
        }
        PrivateFiles.createDirectories(runtime);
        Path cluster = data.resolve("postgres");
        PrivateFiles.createDirectories(cluster);
        return new EmbeddedDataDir(cluster, runtime);
    }

    /** Only ours, as this class leaves it: not writable by group or others, holding nothing but the binaries. */
    private static boolean trusted(Path runtime) throws IOException {
        if (!Files.isDirectory(runtime) || Files.isSymbolicLink(runtime) || PrivateFiles.writableByOthers(runtime)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(runtime)) {
            List<Path> all = entries.toList();
            return all.isEmpty() || all.equals(List.of(runtime.resolve(BINARIES)));
        }
    }

    /** The cluster's directory, {@code DATA/postgres}. */
    Path cluster() {
        return cluster;
    }

    /** zonky's working directory, where it unpacks the binaries: {@code DATA/pg-runtime/binaries}. */
    Path binaries() {
        return runtime.resolve(BINARIES);
    }

    /** After a start: no group or other permission on anything under {@code pg-runtime} (zonky opened its
     * working directory to everybody, and unpacked with the umask's modes). */
    void seal() throws IOException {
        PrivateFiles.restrictTree(runtime);
    }
}
