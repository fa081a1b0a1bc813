package org.vheap.security;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Files and directories private to the user running vheap, whatever the umask: directories it creates are mode
 * 700 ({@code rwx------}), files holding keys and tokens 600 ({@code rw-------}). Other local users can then
 * neither read a secret nor replace what the server runs (the embedded PostgreSQL's binaries) or stores. On a
 * file system without POSIX permissions everything is created with that file system's defaults.
 */
public final class PrivateFiles {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private PrivateFiles() {
    }

    /** Creates {@code dir} and its missing parents, each new one mode 700; existing directories keep their mode. */
    public static Path createDirectories(Path dir) throws IOException {
        if (!POSIX) {
            return Files.createDirectories(dir);
        }
        FileAttribute<Set<PosixFilePermission>> owner = PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------"));
        return Files.createDirectories(dir, owner);
    }

    /** Creates an empty file, mode 600; fails with FileAlreadyExistsException if there is one. */
    public static Path createFile(Path file) throws IOException {
        if (!POSIX) {
            return Files.createFile(file);
        }
        return Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }

    /**
     * Whether group or others may write {@code path} itself (never, without POSIX permissions). A symbolic link is
     * not followed: give it the link's target to judge the directory it stands for.
     */
    public static boolean writableByOthers(Path path) throws IOException {
        if (!POSIX) {
            return false;
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        return mode.contains(PosixFilePermission.GROUP_WRITE) || mode.contains(PosixFilePermission.OTHERS_WRITE);
    }

    /** Whether {@code path} (followed if it is a link) belongs to the user this JVM runs as. */
    public static boolean ownedByThisUser(Path path) throws IOException {
        return Files.getOwner(path).getName().equals(System.getProperty("user.name"));
    }

    /**
     * Takes write away from group and every permission from others on {@code path} itself (followed if it is a
     * link), keeping the owner's and the group's read and search: what {@code chmod g-w,o-rwx} does.
     */
    public static void closeToOthers(Path path) throws IOException {
        if (!POSIX) {
            return;
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path);
        if (mode.removeAll(EnumSet.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE))) {
            Files.setPosixFilePermissions(path, mode);
        }
    }

    /**
     * Takes every group and other permission away from {@code dir} and everything below it, leaving the owner's
     * (what {@code chmod -R go-rwx} does). Symbolic links are neither followed nor changed: a link's own mode
     * means nothing.
     */
    public static void restrictTree(Path dir) throws IOException {
        if (!POSIX) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isSymbolicLink(p)) {
                    continue;
                }
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
                if (mode.removeAll(GROUP_OR_OTHERS)) {
                    Files.setPosixFilePermissions(p, mode);
                }
            }
        }
    }
}
