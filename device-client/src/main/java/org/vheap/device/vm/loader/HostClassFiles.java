package org.vheap.device.vm.loader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bootstrap class files of this host — the JDK's library ({@code jrt:/}, with each class's module) and
 * the VM's own boot classes (resources under {@code org/vheap/device/boot/}) — each read and digested
 * (SHA-256) once per process. A boot looks up hundreds of them and a resume compares every JDK class its
 * heap ran against the host's copy: without this each lookup would read the image and digest the bytes
 * again. Neither source changes while the process runs, so the answers (absences included: a name the
 * JDK does not have) never go stale. Shared by the VMs of a process through the code cache
 * ({@link ParsedClasses#hostFiles}); thread-safe. It keeps the bytes of every JDK class file it read (about
 * a megabyte for a boot) and an absence for every other name looked up (the apps' own classes, names tried by
 * {@code Class.forName}): host memory outside {@code --memory}, as the parsed trees are, growing with the
 * distinct names a process's VMs look up.
 */
public final class HostClassFiles {
    private static final String BOOT_PREFIX = "org/vheap/device/boot/";

    private final FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
    private final ConcurrentHashMap<String, Optional<ClassSource.Found>> byName = new ConcurrentHashMap<>();

    /** The bootstrap class of this internal name, or null when the host has none. */
    public ClassSource.Found find(String internalName) {
        Optional<ClassSource.Found> known = byName.get(internalName);
        if (known == null) {
            // read outside the map's lock; two threads may read the same file, one answer is kept
            known = Optional.ofNullable(read(internalName));
            Optional<ClassSource.Found> raced = byName.putIfAbsent(internalName, known);
            known = raced != null ? raced : known;
        }
        return known.orElse(null);
    }

    /** A resource of a JDK module ({@code java/lang/uniName.dat} in {@code java.base}), or null when absent. */
    byte[] resource(String module, String name) throws IOException {
        Path p = jrt.getPath("/modules", module, name);
        return Files.isRegularFile(p) ? Files.readAllBytes(p) : null;
    }

    /** Names looked up so far. */
    public int size() {
        return byName.size();
    }

    private ClassSource.Found read(String internalName) {
        try {
            if (internalName.startsWith(BOOT_PREFIX)) {
                try (InputStream in = HostClassFiles.class.getClassLoader().getResourceAsStream(internalName + ".class")) {
                    return in == null ? null : new ClassSource.Found(in.readAllBytes(), null, true);
                }
            }
            int slash = internalName.lastIndexOf('/');
            if (slash < 0) {
                return null;
            }
            Path packages = jrt.getPath("/packages", internalName.substring(0, slash).replace('/', '.'));
            if (!Files.isDirectory(packages)) {
                return null;
            }
            try (var modules = Files.list(packages)) {
                for (Path m : (Iterable<Path>) modules::iterator) {
                    String module = m.getFileName().toString();
                    Path p = jrt.getPath("/modules", module, internalName + ".class");
                    try {
                        return new ClassSource.Found(Files.readAllBytes(p), module, true);
                    } catch (NoSuchFileException absent) {
                        // another module exports part of the package
                    }
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("reading class " + internalName + " from the host's JDK", e);
        }
    }
}
