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
 *   <li>{@code DATA} (or the directory a link there stands for): made mode 700 when absent; when group or others
 *       may write it (they could replace what is inside), closed to them if it is this user's, else refused;</li>
 *   <li>{@code DATA/postgres}: the cluster (PostgreSQL itself insists on 700 or 750);</li>
 *   <li>{@code DATA/pg-runtime} (700): ours; the binaries zonky unpacks live one level down, in
 *       {@code DATA/pg-runtime/binaries/PG-<digest>}.</li>
 * </ul>
 * zonky makes its working directory writable by everybody when it unpacks the binaries (the first start in a JVM,
 * {@code File.setWritable(true, false)}), which let any local user swap the binaries the next start runs when that directory was {@code DATA/pg-runtime}.
 * Now its working directory sits inside our private one, so nobody else can reach it even while zonky has it open,
 * and {@link #seal()} takes group and other permissions away from everything under {@code pg-runtime} after the
 * start. A {@code pg-runtime} in the old layout, one group or others may write, or one that is not this user's
 * cannot be trusted (its binaries could have been replaced): it is removed and the binaries unpacked again.
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

    /**
     * Makes (or checks and repairs) the layout under {@code dataDir}, which may be a symbolic link to the directory
     * it stands for. A data directory of this user's that group or others may write (an earlier version made it
     * with the umask's mode, 775 under umask 002) is closed to them, with a warning; one of another user's that
     * others may write is refused (IllegalArgumentException), since this user cannot close it.
     */
    static EmbeddedDataDir prepare(Path dataDir) throws IOException {
        Path data = dataDir.toAbsolutePath();
        PrivateFiles.createDirectories(data);
        Path real = data.toRealPath();
        if (PrivateFiles.writableByOthers(real)) {
            if (!PrivateFiles.ownedByThisUser(real)) {
                throw new IllegalArgumentException("the data directory " + real + " belongs to " + Files.getOwner(real)
                        .getName() + " and other users may write it, who could replace the database or the PostgreSQL"
                        + " binaries the server runs: make it private (chmod 700 " + real + ") or choose another --data");
            }
            PrivateFiles.closeToOthers(real);
            log.warn("the data directory {} was writable by group or others (made by an earlier version with the umask's"
                    + " mode?): closed it to them (chmod g-w,o-rwx); its PostgreSQL binaries are checked and unpacked"
                    + " again if they were open too", real);
        }
        Path runtime = data.resolve("pg-runtime");
        if (Files.exists(runtime) && !trusted(runtime)) {
            log.warn("{} was open to other users (an earlier version left it writable by everybody, or it is not this"
                    + " user's): removing it; PostgreSQL's binaries are unpacked again", runtime);
            TempDirs.deleteTree(runtime);
        }
        PrivateFiles.createDirectories(runtime);
        Path cluster = data.resolve("postgres");
        PrivateFiles.createDirectories(cluster);
        return new EmbeddedDataDir(cluster, runtime);
    }

    /** Only ours, as this class leaves it: this user's, not writable by group or others, holding only the binaries. */
    private static boolean trusted(Path runtime) throws IOException {
        if (!Files.isDirectory(runtime) || Files.isSymbolicLink(runtime) || !PrivateFiles.ownedByThisUser(runtime)
                || PrivateFiles.writableByOthers(runtime)) {
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
