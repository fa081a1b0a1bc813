package org.vheap.device.vm.interp;

import java.util.HashMap;
import java.util.Map;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.vheap.device.vm.JavaError;
import org.vheap.device.vm.loader.ClassRegistry;
import org.vheap.device.vm.loader.VmClass;
import org.vheap.device.vm.loader.VmMethod;

/**
 * Links invokedynamic sites: each site becomes a static method of a class synthesized once from the site's
 * bootstrap method and arguments (string concatenation, lambdas, record methods), loaded like any class
 * and placed in the system segment (its bytes uploaded to the store's system blobs) like any class. The interpreter then runs the site as an invokestatic.
 */
public final class CallSites {
    /** Makes the class bytes for one call site. */
    public interface Synthesizer {
        /** The synthesized class, or a {@link JavaError} (BootstrapMethodError) for an unsupported bootstrap. */
        Site synthesize(String callerInternalName, int siteIndex, InvokeDynamicInsnNode indy);
    }

    /** A synthesized site: the class bytes and the static method that implements the site. */
    public record Site(String internalName, byte[] classBytes, String methodName, String methodDescriptor) {
    }

    private final ClassRegistry classes;
    private final Synthesizer synthesizer;
    /** Per caller class: each invokedynamic instruction's position among the class's sites (1-based). */
    private final Map<VmClass, Map<InvokeDynamicInsnNode, Integer>> siteIndexes = new HashMap<>();

    /**
     * The synthesizer of {@link org.vheap.device.vm.indy.CallSiteSynthesizer}: string concatenation, lambdas and
     * record methods; any other bootstrap is a BootstrapMethodError. {@code classFiles} gives the bytes of loaded
     * classes (for nest hosts and record names).
     */
    public static Synthesizer standard(java.util.function.Function<String, byte[]> classFiles) {
        org.vheap.device.vm.indy.CallSiteSynthesizer css = new org.vheap.device.vm.indy.CallSiteSynthesizer(classFiles);
        return (caller, index, indy) -> {
            try {
                var s = css.synthesize(caller, index, indy.name, indy.desc, indy.bsm, indy.bsmArgs);
                return new Site(s.internalName(), s.classBytes(), s.methodName(), s.methodDescriptor());
            } catch (org.vheap.device.vm.indy.UnsupportedCallSiteException e) {
                throw new JavaError("java/lang/BootstrapMethodError", e.getMessage());
            }
        };
    }

    public CallSites(ClassRegistry classes, Synthesizer synthesizer) {
        this.classes = classes;
        this.synthesizer = synthesizer;
    }

    /**
     * The method that implements a site. A site's class is named by the site's position in its class file (not
     * by the order sites run), so a resumed heap, which has the class already, links the site to that very
     * class, whose objects (lambdas) may be in the heap.
     */
    VmMethod link(VmClass caller, InvokeDynamicInsnNode indy) {
        int index = siteIndexes.computeIfAbsent(caller, CallSites::indexSites).getOrDefault(indy, 0);
        if (index == 0) {
            throw new IllegalStateException("invokedynamic site not found in " + caller.name());
        }
        Site site = synthesizer.synthesize(caller.name(), index, indy);
        VmClass c = classes.findLoaded(site.internalName());
        if (c == null) {
            classes.addSynthesized(site.internalName(), site.classBytes());
            c = classes.load(site.internalName());
        } else if (!c.isHidden()) {
            throw new IllegalStateException("call site class " + site.internalName() + " clashes with a class of the app");
        }
        VmMethod m = c.declaredMethod(site.methodName(), site.methodDescriptor());
        if (m == null || !m.isStatic()) {
            throw new JavaError("java/lang/BootstrapMethodError", "call site class " + site.internalName()
                    + " has no static " + site.methodName() + site.methodDescriptor());
        }
        return m;
    }

    private static Map<InvokeDynamicInsnNode, Integer> indexSites(VmClass caller) {
        Map<InvokeDynamicInsnNode, Integer> indexes = new java.util.IdentityHashMap<>();
        for (org.objectweb.asm.tree.MethodNode m : caller.node().methods) {
            for (org.objectweb.asm.tree.AbstractInsnNode insn : m.instructions) {
                if (insn instanceof InvokeDynamicInsnNode indy) {
                    indexes.put(indy, indexes.size() + 1);
                }
            }
        }
        return indexes;
    }
}
