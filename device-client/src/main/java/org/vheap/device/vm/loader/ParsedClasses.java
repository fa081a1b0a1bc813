package org.vheap.device.vm.loader;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.objectweb.asm.tree.ClassNode;
import org.vheap.format.BlobHash;

/**
 * The VM's code cache: parsed class files by content hash, shared by the VMs of one host process (a device
 * running several apps, a test suite), like a JIT's code cache. The trees are derived from the class files in
 * the heap's system segment and are not part of any heap: a VM that loses them parses the system lines again
 * (nothing about an app lives only here). Parsing is the largest part of booting the library; the same bytes
 * always parse to the same tree, which nobody modifies after parsing, so the trees can be shared. Pass one
 * instance to every VM that should share; a VM given its own instance shares nothing. It grows with the
 * distinct class files run in the process (host memory outside {@code --memory}, like compiled code).
 *
 * <p>It also holds the host classes the tier makes from hot methods ({@link #hostClasses}), so the VMs sharing it
 * share the host JIT's compiled code as well, and the class files fetched from a store ({@link #fetchedFiles}), so a
 * returning app's are not fetched again.
 */
public final class ParsedClasses {
    private final ConcurrentHashMap<BlobHash, ClassNode> byHash = new ConcurrentHashMap<>();
    private final HostClassFiles hostFiles = new HostClassFiles();
    private final HostClasses hostClasses = new HostClasses();
    private final FetchedClassFiles fetchedFiles = new FetchedClassFiles(FetchedClassFiles.DEFAULT_MAX_BYTES);

    /** The host's bootstrap class files with their digests, read once for the VMs that share this cache. */
    public HostClassFiles hostFiles() {
        return hostFiles;
    }

    /** Class files fetched from a store's system blobs, for the VMs that share this cache. */
    public FetchedClassFiles fetchedFiles() {
        return fetchedFiles;
    }

    /** The tier's translations, by their bytes, for the VMs that share this cache. */
    public HostClasses hostClasses() {
        return hostClasses;
    }

    /** The parsed form of the class with these bytes, parsing once. */
    ClassNode get(BlobHash hash, Supplier<ClassNode> parse) {
        ClassNode node = byHash.get(hash);
        if (node == null) {
            node = parse.get();
            // warm the instruction lists' index caches before other threads can see the tree
            node.methods.forEach(m -> m.instructions.toArray());
            ClassNode raced = byHash.putIfAbsent(hash, node);
            if (raced != null) {
                node = raced;
            }
        }
        return node;
    }

    /** Classes held. */
    public int size() {
        return byHash.size();
    }
}
