package org.vheap.device.vm.interp;

import static org.objectweb.asm.Opcodes.INVOKESPECIAL;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.INVOKEVIRTUAL;
import static org.objectweb.asm.Opcodes.NEW;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.vheap.device.vm.JavaError;
import org.vheap.device.vm.JavaError.AppLoaderStep;
import org.vheap.device.vm.loader.ClassRegistry;
import org.vheap.device.vm.loader.VmMethod;

/**
 * The methods of the JDK's application class loader that HotSpot's stack trace starts with when that loader fails
 * on an app class ({@link AppLoaderStep}). The device VM loads app classes itself, without running that Java code,
 * so the backtrace of such an error gets their entries written above the thread's own activations: each method at
 * the instruction where HotSpot's stack trace shows it (its call of the next one, or the throw), found in the JDK's
 * own bytecode, so the line numbers are the host JDK's. The shape is JDK 17's {@code BuiltinClassLoader} reading a
 * class file from a directory or jar (the {@code byte[]} path of {@code defineClass}); a JDK without one of these
 * methods gets a stack trace without it.
 */
final class AppLoaderBacktrace {
    /** A method and the instruction its entry stands at ({@code targetName == null}: a native, no instruction). */
    private record Site(String owner, String name, String descriptor, int opcode, String targetName, String targetDescriptor) {
    }

    private static final String BUILTIN = "jdk/internal/loader/BuiltinClassLoader";
    private static final String CLASS_LOADER = "java/lang/ClassLoader";
    private static final String LOAD = "(Ljava/lang/String;Z)Ljava/lang/Class;";
    /** ClassLoader.loadClass(String) calling AppClassLoader.loadClass(String, boolean) calling BuiltinClassLoader's. */
    private static final List<Site> LOAD_CLASS_CALLERS = List.of(
            new Site("jdk/internal/loader/ClassLoaders$AppClassLoader", "loadClass", LOAD, INVOKESPECIAL, "loadClass", null),
            new Site(CLASS_LOADER, "loadClass", "(Ljava/lang/String;)Ljava/lang/Class;", INVOKEVIRTUAL, "loadClass", null));
    private static final Map<AppLoaderStep, List<Site>> SITES = Map.of(
            AppLoaderStep.LOAD_CLASS, concat(List.of(
                    new Site(BUILTIN, "loadClass", LOAD, NEW, "java/lang/ClassNotFoundException", null)), LOAD_CLASS_CALLERS),
            AppLoaderStep.DEFINE_CLASS, concat(List.of(
                    new Site(CLASS_LOADER, "defineClass1",
                            "(Ljava/lang/ClassLoader;Ljava/lang/String;[BIILjava/security/ProtectionDomain;Ljava/lang/String;)Ljava/lang/Class;",
                            0, null, null),
                    new Site(CLASS_LOADER, "defineClass", "(Ljava/lang/String;[BIILjava/security/ProtectionDomain;)Ljava/lang/Class;",
                            INVOKESTATIC, "defineClass1", null),
                    new Site("java/security/SecureClassLoader", "defineClass", "(Ljava/lang/String;[BIILjava/security/CodeSource;)Ljava/lang/Class;",
                            INVOKEVIRTUAL, "defineClass", null),
                    new Site(BUILTIN, "defineClass", "(Ljava/lang/String;Ljdk/internal/loader/Resource;)Ljava/lang/Class;",
                            INVOKEVIRTUAL, "defineClass", "(Ljava/lang/String;[BIILjava/security/CodeSource;)Ljava/lang/Class;"),
                    new Site(BUILTIN, "findClassOnClassPathOrNull", "(Ljava/lang/String;)Ljava/lang/Class;", INVOKEVIRTUAL, "defineClass", null),
                    new Site(BUILTIN, "loadClassOrNull", LOAD, INVOKEVIRTUAL, "findClassOnClassPathOrNull", null),
                    new Site(BUILTIN, "loadClass", LOAD, INVOKEVIRTUAL, "loadClassOrNull", null)), LOAD_CLASS_CALLERS));

    private final ClassRegistry classes;
    private final Function<VmMethod, MethodCode> prepared;
    private final Map<AppLoaderStep, List<Long>> entries = new EnumMap<>(AppLoaderStep.class);

    AppLoaderBacktrace(ClassRegistry classes, Function<VmMethod, MethodCode> prepared) {
        this.classes = classes;
        this.prepared = prepared;
    }

    /** The backtrace entries (method id and pc, innermost first) HotSpot's trace starts with for {@code step}. */
    List<Long> entries(AppLoaderStep step) {
        if (step == AppLoaderStep.NONE) {
            return List.of();
        }
        return entries.computeIfAbsent(step, s -> {
            List<Long> out = new ArrayList<>();
            for (Site site : SITES.get(s)) {
                long entry = entry(site);
                if (entry >= 0) {
                    out.add(entry);
                }
            }
            return List.copyOf(out);
        });
    }

    /** The backtrace entry of one site, or -1 when this JDK lacks the method or the instruction. */
    private long entry(Site site) {
        VmMethod m;
        try {
            m = classes.load(site.owner()).declaredMethod(site.name(), site.descriptor());
        } catch (JavaError absent) {
            return -1;
        }
        if (m == null) {
            return -1;
        }
        if (site.targetName() == null) {
            return (long) m.id() << 32;
        }
        MethodCode code = prepared.apply(m);
        var insns = m.node().instructions;
        for (int i = 0; i < insns.size(); i++) {
            if (standsAt(insns.get(i), site)) {
                return ((long) m.id() << 32) | code.pcOfInsn[i];
            }
        }
        return -1;
    }

    private static boolean standsAt(AbstractInsnNode insn, Site site) {
        if (insn.getOpcode() != site.opcode()) {
            return false;
        }
        if (insn instanceof TypeInsnNode ti) {
            return ti.desc.equals(site.targetName());
        }
        return insn instanceof MethodInsnNode mi && mi.name.equals(site.targetName())
                && (site.targetDescriptor() == null || mi.desc.equals(site.targetDescriptor()));
    }

    private static List<Site> concat(List<Site> a, List<Site> b) {
        List<Site> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
