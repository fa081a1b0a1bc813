package org.vheap.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The vheap checkout the commands run from (where the {@code vheap} launcher, {@code samples/} and each
 * module's {@code target/} are): what the demo needs to compile a sample and start devices, and what the
 * benches need to start a heap server through the launcher or to find the app API's classes.
 *
 * <p>Resolved in this order, the first that holds a {@code vheap} launcher winning: the {@value #PROPERTY}
 * system property (the launcher passes {@code -Dvheap.home}), the {@value #ENV} environment variable (the
 * launcher exports it; set it by hand to run a command without the launcher), and the checkout the calling
 * module's classes were loaded from ({@code ROOT/MODULE/target/classes}: tests run by Maven). None: an
 * IllegalStateException that says what was tried and how to fix it.
 */
public final class VheapHome {
    /** The system property the launcher sets. */
    public static final String PROPERTY = "vheap.home";
    /** The environment variable the launcher exports. */
    public static final String ENV = "VHEAP_HOME";

    private final Path root;

    private VheapHome(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** From this process's {@value #PROPERTY} and {@value #ENV}, else the checkout {@code anchor} was loaded from. */
    public static VheapHome locate(Class<?> anchor) {
        return locate(System.getProperty(PROPERTY), System.getenv(ENV), classesOf(anchor));
    }

    /**
     * From these values (null or blank: unset) and {@code classes}, a module's {@code target/classes}
     * directory or null.
     */
    public static VheapHome locate(String property, String env, Path classes) {
        List<String> tried = new ArrayList<>();
        for (String[] source : new String[][] {{"-D" + PROPERTY, property}, {ENV, env}}) {
            if (source[1] == null || source[1].isBlank()) {
                tried.add(source[0] + " is not set");
                continue;
            }
            Path p = Path.of(source[1]);
            if (isCheckout(p)) {
                return new VheapHome(p);
            }
            tried.add(source[0] + "=" + source[1] + " holds no vheap launcher");
        }
        if (classes != null && classes.getNameCount() >= 3) {
            Path p = classes.getParent().getParent().getParent();
            if (isCheckout(p)) {
                return new VheapHome(p);
            }
        }
        throw new IllegalStateException("cannot find the vheap checkout (the directory of the vheap launcher): "
                + String.join(", ", tried) + "; run this through ./vheap, or set " + ENV + " to the checkout");
    }

    /** The checkout's directory (absolute). */
    public Path root() {
        return root;
    }

    /** The {@code vheap} launcher; an IllegalStateException if it is not executable. */
    public Path launcher() {
        Path launcher = root.resolve("vheap");
        if (!Files.isExecutable(launcher)) {
            throw new IllegalStateException("the launcher " + launcher + " is not executable (chmod +x it)");
        }
        return launcher;
    }

    /** {@code relative} inside the checkout, which need not exist. */
    public Path resolve(String relative) {
        return root.resolve(relative);
    }

    @Override
    public String toString() {
        return root.toString();
    }

    private static boolean isCheckout(Path dir) {
        return Files.isRegularFile(dir.resolve("vheap"));
    }

    /** The directory or jar {@code anchor} was loaded from, or null when there is none to be had. */
    private static Path classesOf(Class<?> anchor) {
        try {
            return Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | SecurityException | NullPointerException | IllegalArgumentException e) {
            return null;
        }
    }
}
