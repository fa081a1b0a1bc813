package org.vheap.device.vm.natives;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.InnerClassNode;
import org.vheap.device.vm.JavaError;
import org.vheap.device.vm.Vm;
import org.vheap.device.vm.loader.VmClass;
import org.vheap.device.vm.loader.VmMethod;
import org.vheap.device.vm.thread.DeferredCall;
import org.vheap.device.vm.thread.VmThread;

/**
 * java.lang.Class: names, modifiers, hierarchy queries and nesting answered from the class table and the
 * class bytes; {@code forName0}; and a substitution for {@code getEnumConstantsShared} (which the JDK does
 * by reflection) that calls the enum's {@code values()}.
 */
final class ClassNatives {
    private ClassNatives() {
    }

    static void register(Natives n, Vm vm) {
        String c = "java/lang/Class";
        n.register(c, "getPrimitiveClass", "(Ljava/lang/String;)Ljava/lang/Class;", (t, s, b) -> {
            String name = vm.strings().hostString((int) s[b]);
            char d = switch (name) {
                case "int" -> 'I';
                case "long" -> 'J';
                case "float" -> 'F';
                case "double" -> 'D';
                case "boolean" -> 'Z';
                case "byte" -> 'B';
                case "char" -> 'C';
                case "short" -> 'S';
                case "void" -> 'V';
                default -> throw new JavaError("java/lang/IllegalArgumentException", name);
            };
            return vm.classes().primitive(d).mirror();
        });
        n.register(c, "desiredAssertionStatus0", "(Ljava/lang/Class;)Z", (t, s, b) -> 0);
        n.register(c, "isInstance", "(Ljava/lang/Object;)Z", (t, s, b) -> {
            int obj = (int) s[b + 1];
            return obj != 0 && vm.classOf(obj).isSubtypeOf(self(vm, s, b)) ? 1 : 0;
        });
        n.register(c, "isAssignableFrom", "(Ljava/lang/Class;)Z", (t, s, b) -> {
            if ((int) s[b + 1] == 0) {
                throw new JavaError("java/lang/NullPointerException", null);
            }
            VmClass other = vm.mirrors().classOf((int) s[b + 1]);
            VmClass self = self(vm, s, b);
            return other == self || (!other.isPrimitive() && !self.isPrimitive() && other.isSubtypeOf(self)) ? 1 : 0;
        });
        n.register(c, "isInterface", "()Z", (t, s, b) -> self(vm, s, b).isInterface() ? 1 : 0);
        n.register(c, "isArray", "()Z", (t, s, b) -> self(vm, s, b).isArray() ? 1 : 0);
        n.register(c, "isPrimitive", "()Z", (t, s, b) -> self(vm, s, b).isPrimitive() ? 1 : 0);
        n.register(c, "isHidden", "()Z", (t, s, b) -> 0);
        n.register(c, "isRecord0", "()Z", (t, s, b) -> {
            VmClass k = self(vm, s, b);
            return k.superclass() != null && k.superclass().name().equals("java/lang/Record") ? 1 : 0;
        });
        n.register(c, "initClassName", "()Ljava/lang/String;", (t, s, b) -> {
            int name = vm.strings().intern(self(vm, s, b).javaName());
            vm.putRefField((int) s[b], vm.field(c, "name"), name);
            return name;
        });
        n.register(c, "getSuperclass", "()Ljava/lang/Class;", (t, s, b) -> {
            VmClass k = self(vm, s, b);
            return k.isInterface() || k.isPrimitive() || k.superclass() == null ? 0 : k.superclass().mirror();
        });
        n.register(c, "getInterfaces0", "()[Ljava/lang/Class;", (t, s, b) -> {
            VmClass[] is = self(vm, s, b).interfaces();
            int arr = vm.newArray(vm.classes().load("[Ljava/lang/Class;"), is.length);
            for (int i = 0; i < is.length; i++) {
                vm.putRef(Vm.elementAddress(arr, i, 2), is[i].mirror());
            }
            return arr;
        });
        n.register(c, "getModifiers", "()I", (t, s, b) -> modifiers(self(vm, s, b)));
        n.register(c, "getDeclaringClass0", "()Ljava/lang/Class;", (t, s, b) -> {
            InnerClassNode ic = innerEntry(self(vm, s, b));
            return ic == null || ic.outerName == null ? 0 : vm.classes().load(ic.outerName).mirror();
        });
        n.register(c, "getSimpleBinaryName0", "()Ljava/lang/String;", (t, s, b) -> {
            InnerClassNode ic = innerEntry(self(vm, s, b));
            return ic == null || ic.innerName == null ? 0 : vm.strings().intern(ic.innerName);
        });
        n.register(c, "getEnclosingMethod0", "()[Ljava/lang/Object;", (t, s, b) -> {
            VmClass k = self(vm, s, b);
            if (k.node() == null || k.node().outerClass == null) {
                return 0;
            }
            int arr = vm.newArray(vm.classes().load("[Ljava/lang/Object;"), 3);
            vm.putRef(Vm.elementAddress(arr, 0, 2), vm.classes().load(k.node().outerClass).mirror());
            if (k.node().outerMethod != null) {
                vm.putRef(Vm.elementAddress(arr, 1, 2), vm.strings().intern(k.node().outerMethod));
                vm.putRef(Vm.elementAddress(arr, 2, 2), vm.strings().intern(k.node().outerMethodDesc));
            }
            return arr;
        });
        n.register(c, "getNestHost0", "()Ljava/lang/Class;", (t, s, b) -> {
            VmClass k = self(vm, s, b);
            return k.node() != null && k.node().nestHostClass != null ? vm.classes().load(k.node().nestHostClass).mirror() : k.mirror();
        });
        n.register(c, "getSigners", "()[Ljava/lang/Object;", (t, s, b) -> 0);
        n.register(c, "getProtectionDomain0", "()Ljava/security/ProtectionDomain;", (t, s, b) -> 0);
        n.register(c, "getGenericSignature0", "()Ljava/lang/String;", (t, s, b) -> {
            VmClass k = self(vm, s, b);
            return k.node() == null || k.node().signature == null ? 0 : vm.strings().intern(k.node().signature);
        });
        n.register(c, "forName0", "(Ljava/lang/String;ZLjava/lang/ClassLoader;Ljava/lang/Class;)Ljava/lang/Class;", (t, s, b) -> {
            String name = vm.strings().hostString((int) s[b]);
            VmClass k;
            try {
                k = vm.classes().load(name.replace('.', '/'));
            } catch (JavaError e) {
                if (name.replace('.', '/').equals(e.missingClass())) {
                    // the app class loader throws it in Java code; the bootstrap loader in forName0 itself. The
                    // loader is the argument, or (Class.forName(String)) the caller's: the app's for an app class
                    int loader = (int) s[b + 2];
                    int caller = (int) s[b + 3];
                    boolean appLoader = loader != 0 || caller != 0 && !vm.mirrors().classOf(caller).isBootstrap();
                    JavaError cnfe = new JavaError("java/lang/ClassNotFoundException", name);
                    throw appLoader ? cnfe.thrownIn(JavaError.AppLoaderStep.LOAD_CLASS) : cnfe;
                }
                throw e;
            }
            if ((s[b + 1] & 1) != 0) {
                t.deferredInit.add(k);
            }
            return k.mirror();
        });
        // the device runs no module system (no initPhase2): every class is in the unnamed module of its loader, the
        // boot loader's for all but a loader's own (the VM defines every class in its one class table), which reads
        // and opens everything; so the JDK's lookups of a class in a module (resource bundles, providers) go by
        // name through the one class table
        n.register(c, "getModule", "()Ljava/lang/Module;", (t, s, b) -> {
            int loader = vm.getIntField((int) s[b], vm.field(c, "classLoader"));
            if (loader != 0) {
                return vm.getIntField(loader, vm.field("java/lang/ClassLoader", "unnamedModule"));
            }
            // null until the VM's boot brought the JDK's loaders up (right after initPhase1; never, in a checkpoint
            // of a VM from before that), as the VM answered before
            return vm.getStaticRef(vm.classes().load("jdk/internal/loader/BootLoader"), "UNNAMED_MODULE");
        });
        n.register(c, "forName", "(Ljava/lang/Module;Ljava/lang/String;)Ljava/lang/Class;",
                (t, s, b) -> classOrNull(vm, (int) s[b + 1]));
        // the JDK's class loaders (the app's, the platform's) find a class by name in the one class table, as
        // forName does: what loads JCA providers and ServiceLoader's classes by name through a loader
        // (the platform's and the boot loader's find only the JDK's classes)
        n.register("jdk/internal/loader/BuiltinClassLoader", "loadClassOrNull", "(Ljava/lang/String;Z)Ljava/lang/Class;",
                (t, s, b) -> {
                    int mirror = classOrNull(vm, (int) s[b + 1]);
                    boolean appLoader = vm.classOf((int) s[b]).name().equals("jdk/internal/loader/ClassLoaders$AppClassLoader");
                    return mirror == 0 || appLoader || vm.mirrors().classOf(mirror).isBootstrap() ? mirror : 0;
                });
        n.register(c, "getEnumConstantsShared", "()[Ljava/lang/Object;", (t, s, b) -> {
            VmClass k = self(vm, s, b);
            if ((k.access() & Opcodes.ACC_ENUM) == 0 || k.superclass() == null || !k.superclass().name().equals("java/lang/Enum")) {
                return 0;
            }
            VmMethod values = k.declaredMethod("values", "()[L" + k.name() + ";");
            if (values == null) {
                return 0;
            }
            t.deferredInit.add(k);
            t.defer(new DeferredCall(values, new long[0], VmThread.RETURN_REPLACE));
            return 0;
        });
    }

    /** The mirror of the class a binary name (a String) names, loaded from the one class table; 0 when there is none. */
    private static int classOrNull(Vm vm, int binaryName) {
        if (binaryName == 0) {
            throw new JavaError("java/lang/NullPointerException", null);
        }
        String name = vm.strings().hostString(binaryName).replace('.', '/');
        try {
            return vm.classes().load(name).mirror();
        } catch (JavaError e) {
            if (name.equals(e.missingClass())) {
                return 0;
            }
            throw e;
        }
    }

    static VmClass self(Vm vm, long[] s, int b) {
        return vm.mirrors().classOf((int) s[b]);
    }

    private static InnerClassNode innerEntry(VmClass k) {
        if (k.node() == null) {
            return null;
        }
        for (InnerClassNode ic : k.node().innerClasses) {
            if (ic.name.equals(k.name())) {
                return ic;
            }
        }
        return null;
    }

    /** Class.getModifiers: the InnerClasses flags for a member class, else the class flags (JVMS 4.1). */
    static int modifiers(VmClass k) {
        if (k.isPrimitive()) {
            return Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_ABSTRACT;
        }
        if (k.isArray()) {
            return (modifiers(k.component()) & (Opcodes.ACC_PUBLIC | Opcodes.ACC_PRIVATE | Opcodes.ACC_PROTECTED))
                    | Opcodes.ACC_FINAL | Opcodes.ACC_ABSTRACT;
        }
        InnerClassNode ic = innerEntry(k);
        int flags = ic != null ? ic.access : k.access();
        return flags & ~Opcodes.ACC_SUPER & 0xFFFF;
    }
}
