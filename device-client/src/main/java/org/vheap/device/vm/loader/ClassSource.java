package org.vheap.device.vm.loader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.vheap.format.BlobHash;
import org.vheap.format.ClassPathManifest;

/**
 * Where class bytes come from when an app first needs a class: the host JDK's own library (the {@code jrt:/}
 * file system, with the module each class belongs to), the VM's own boot classes (resources of this jar under
 * {@code org/vheap/device/boot/}, also interpreted), and the app's class path (jars and directories). Once
 * loaded, a class's bytes are stored content-addressed in the system segment, so a resumed heap never depends
 * on which JDK the new host has.
 *
 * <p>Bootstrap classes are looked up first (parent-first delegation), so an app cannot replace
 * {@code java.lang.String}.
 */
public final class ClassSource implements AutoCloseable {
    /**
     * Class bytes, their SHA-256 (the name of their system blob) and where they came from. Whoever passes a hash
     * vouches that it is the bytes' digest (checked before: the class file is placed, and its parsed tree shared by
     * every VM of the process, under that name); the three-argument form digests the bytes itself.
     */
    public record Found(byte[] bytes, String module, boolean bootstrap, BlobHash hash) {
        /** Bytes whose digest is computed here. */
        public Found(byte[] bytes, String module, boolean bootstrap) {
            this(bytes, module, bootstrap, BlobHash.digest(bytes));
        }
    }

    /** Class bytes a heap was built with, looked up before any other source (see {@link ClassSource#ClassSource(List, Pinned, HostClassFiles)}). */
    @FunctionalInterface
    public interface Pinned {
        /** The class's bytes and whether it is a bootstrap class, or null when this heap never loaded it. */
        Found find(String internalName);
    }

    private final HostClassFiles host;
    private final List<Path> directories = new ArrayList<>();
    private final List<ZipFile> jars = new ArrayList<>();
    private final Pinned pinned;
    /** The app's class path as content (a device's runs), or null when read from {@link #directories} and {@link #jars}. */
    private final ClassPathImage appFiles;

    public ClassSource(List<Path> classpath) {
        this(classpath, name -> null, new HostClassFiles());
    }

    /**
     * With the classes a heap already ran pinned to their exact bytes (from the store's system blobs, by
     * the hashes in the heap header): a heap carried on by another device, whose host may have another JDK,
     * runs the very class files it ran before. Other classes come from the usual sources; the host's bootstrap
     * classes through {@code host}, which VMs of one process share.
     */
    public ClassSource(List<Path> classpath, Pinned pinned, HostClassFiles host) {
        this.pinned = pinned;
        this.appFiles = null;
        this.host = java.util.Objects.requireNonNull(host, "host");
        try {
            for (Path p : classpath) {
                if (Files.isDirectory(p)) {
                    directories.add(p);
                } else if (Files.isRegularFile(p)) {
                    jars.add(new ZipFile(p.toFile()));
                } else {
                    throw new IllegalArgumentException("class path entry " + p + " is neither a directory nor a jar");
                }
            }
        } catch (IOException e) {
            close();
            throw new IllegalArgumentException("cannot open class path entry: " + e.getMessage(), e);
        }
    }

    /**
     * With the app's files from a {@link ClassPathImage} (captured from a class path, or stored with a checkpoint)
     * instead of a class path, and the classes a heap already ran pinned.
     */
    public ClassSource(ClassPathImage appFiles, Pinned pinned, HostClassFiles host) {
        this.pinned = pinned;
        this.appFiles = java.util.Objects.requireNonNull(appFiles, "appFiles");
        this.host = java.util.Objects.requireNonNull(host, "host");
    }

    /** The bytes of a class by internal name, or null when no source has it. */
    public Found find(String internalName) {
        if (!isLegalName(internalName)) {
            return null;   // no file can hold it (a class file naming "../x" or a NUL must not reach the file system)
        }
        Found fixed = pinned.find(internalName);
        if (fixed != null) {
            return fixed;
        }
        try {
            Found f = host.find(internalName);
            if (f != null) {
                return f;
            }
            String file = internalName + ".class";
            if (appFiles != null) {
                byte[] b = appFiles.read(file);
                return b == null ? null : new Found(b, null, false);
            }
            for (Path d : directories) {
                Path p;
                try {
                    p = d.resolve(file);
                } catch (java.nio.file.InvalidPathException unmappable) {
                    break;   // a name this host's file names cannot spell (its encoding): in no directory
                }
                if (Files.isRegularFile(p)) {
                    return new Found(Files.readAllBytes(p), null, false);
                }
            }
            for (ZipFile z : jars) {
                ZipEntry e = z.getEntry(file);
                if (e != null) {
                    try (InputStream in = z.getInputStream(e)) {
                        return new Found(in.readAllBytes(), null, false);
                    }
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("reading class " + internalName, e);
        }
    }

    /**
     * Whether {@code internalName} is a class's binary name in internal form (JVMS 4.2.1): identifiers separated by
     * {@code /}, none empty, none holding {@code . ; [ /}, and no NUL (which no path may hold).
     */
    static boolean isLegalName(String internalName) {
        if (internalName.isEmpty() || internalName.startsWith("/") || internalName.endsWith("/")
                || internalName.contains("//")) {
            return false;
        }
        for (int i = 0; i < internalName.length(); i++) {
            char c = internalName.charAt(i);
            if (c == '.' || c == ';' || c == '[' || c == '\0') {
                return false;
            }
        }
        return true;
    }

    /**
     * A resource's bytes, by absolute name ({@code java/lang/uniName.dat}): from {@code module} of the JDK when
     * given (a bootstrap class's resources), else from the app's class path. Null when absent.
     */
    public byte[] findResource(String name, String module) {
        try {
            if (module != null) {
                return host.resource(module, name);
            }
            if (appFiles != null) {
                return appFiles.read(name);
            }
            for (Path d : directories) {
                Path p = d.resolve(name);
                if (Files.isRegularFile(p)) {
                    return Files.readAllBytes(p);
                }
            }
            for (ZipFile z : jars) {
                ZipEntry e = z.getEntry(name);
                if (e != null) {
                    try (InputStream in = z.getInputStream(e)) {
                        return in.readAllBytes();
                    }
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("reading resource " + name, e);
        }
    }

    /**
     * The app's class path directories with their files other than class files, for the app's file system; none
     * when this source reads a class path directly rather than a {@link ClassPathImage} (a device always has one).
     */
    public List<ClassPathManifest.Directory> appDirectories() {
        return appFiles == null ? List.of() : appFiles.directories();
    }

    @Override
    public void close() {
        for (ZipFile z : jars) {
            try {
                z.close();
            } catch (IOException ignored) {
                // read-only; nothing to lose
            }
        }
    }
}
