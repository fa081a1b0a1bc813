package org.vheap.device.vm.indy;

import java.util.Arrays;
import java.util.function.Function;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Turns an {@code invokedynamic} call site into an ordinary class whose static method {@link Synthesized#methodName}
 * of descriptor {@link Synthesized#methodDescriptor} (exactly the site's descriptor) does what the site, once
 * linked by HotSpot's bootstrap, does. Supported bootstraps: {@code StringConcatFactory.makeConcat} and
 * {@code makeConcatWithConstants}, {@code LambdaMetafactory.metafactory} and {@code altMetafactory}, and
 * {@code java.lang.runtime.ObjectMethods.bootstrap}; any other throws {@link UnsupportedCallSiteException}.
 * See the package documentation for what the interpreter must do with the result.
 *
 * <p>Stateless and thread-safe; each call returns new bytes. The optional class file source (internal name to
 * class bytes, or null when unknown) makes two answers exact at synthesis time instead of at run time or by
 * convention: the caller's nest host (the {@code NestHost} written into synthesized classes) and a record's
 * {@code Class.getSimpleName()} (its {@code InnerClasses} entry).
 */
public final class CallSiteSynthesizer {
    /** The name of the static method that implements a call site, in every synthesized class. Not a Java identifier. */
    public static final String SITE_METHOD_NAME = "indy-site";
    private static final String SIMPLE_NAME_FIELD = "SIMPLE_NAME";

    /** A synthesized call site: a class to load like any other, and the static method to call for the site. */
    public record Synthesized(String internalName, byte[] classBytes, String methodName, String methodDescriptor) {}

    private final Function<String, byte[]> classFiles;

    /** Without class files: the nest host written is the caller itself, a record's simple name is taken at run time. */
    public CallSiteSynthesizer() {
        this(name -> null);
    }

    /** @param classFiles the bytes of a class by internal name, or null when it is not known */
    public CallSiteSynthesizer(Function<String, byte[]> classFiles) {
        this.classFiles = classFiles;
    }

    /**
     * callerInternalName: the class containing the invokedynamic; siteIndex: a number unique per call site within
     * the caller (used in the synthesized class name: caller + "$$Indy$" + siteIndex, or "$$Lambda$" for lambdas);
     * name/descriptor: the call site's; bootstrap: the bootstrap method handle; bootstrapArgs: as ASM gives them
     * (String, Integer, Long, Float, Double, org.objectweb.asm.Type, org.objectweb.asm.Handle, ConstantDynamic).
     * Throws UnsupportedCallSiteException (with a message naming the bootstrap) for anything else.
     */
    public Synthesized synthesize(String callerInternalName, int siteIndex, String name, String descriptor,
                                  Handle bootstrap, Object[] bootstrapArgs) {
        String describe = "invokedynamic " + name + descriptor + " in " + callerInternalName + " (site " + siteIndex
                + ") with bootstrap " + bootstrap.getOwner() + "." + bootstrap.getName() + bootstrap.getDesc();
        for (Object arg : bootstrapArgs) {
            if (arg instanceof ConstantDynamic) {
                throw new UnsupportedCallSiteException(describe + ": dynamic constant argument " + arg);
            }
        }
        String bsm = bootstrap.getTag() == Opcodes.H_INVOKESTATIC ? bootstrap.getOwner() + "." + bootstrap.getName() : "";
        switch (bsm) {
            case "java/lang/invoke/StringConcatFactory.makeConcatWithConstants":
                if (bootstrapArgs.length < 1 || !(bootstrapArgs[0] instanceof String)) {
                    throw new UnsupportedCallSiteException(describe + ": the first argument is not a recipe string");
                }
                return stringConcat(callerInternalName, siteIndex, descriptor, (String) bootstrapArgs[0],
                        Arrays.copyOfRange(bootstrapArgs, 1, bootstrapArgs.length), describe);
            case "java/lang/invoke/StringConcatFactory.makeConcat":
                if (bootstrapArgs.length != 0) {
                    throw new UnsupportedCallSiteException(describe + ": makeConcat takes no static arguments");
                }
                return stringConcat(callerInternalName, siteIndex, descriptor,
                        StringConcatSite.recipeOfArguments(Type.getArgumentTypes(descriptor).length), new Object[0], describe);
            case "java/lang/invoke/LambdaMetafactory.metafactory":
            case "java/lang/invoke/LambdaMetafactory.altMetafactory":
                return lambda(callerInternalName, siteIndex, name, descriptor,
                        bootstrap.getName().equals("altMetafactory"), bootstrapArgs, describe);
            case "java/lang/runtime/ObjectMethods.bootstrap":
                return objectMethods(callerInternalName, siteIndex, name, descriptor, bootstrapArgs, describe);
            default:
                throw new UnsupportedCallSiteException(describe + ": unsupported bootstrap method");
        }
    }

    private Synthesized stringConcat(String caller, int siteIndex, String descriptor, String recipe, Object[] constants,
                                     String describe) {
        Type type = Type.getMethodType(descriptor);
        if (!type.getReturnType().getDescriptor().equals("Ljava/lang/String;")) {
            throw new UnsupportedCallSiteException(describe + ": the site does not return a String");
        }
        String className = caller + "$$Indy$" + siteIndex;
        ClassWriter cw = startClass(caller, className);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC, SITE_METHOD_NAME, descriptor, null, null);
        StringConcatSite.generate(mv, recipe, constants, type.getArgumentTypes(), describe);
        cw.visitEnd();
        return new Synthesized(className, cw.toByteArray(), SITE_METHOD_NAME, descriptor);
    }

    private Synthesized lambda(String caller, int siteIndex, String name, String descriptor, boolean alt, Object[] args,
                               String describe) {
        String className = caller + "$$Lambda$" + siteIndex;
        LambdaSite site = LambdaSite.parse(caller, className, name, descriptor, alt, args, describe);
        ClassWriter cw = new SynthesizedClassWriter();
        site.generate(cw, SITE_METHOD_NAME, nestHost(caller));
        return new Synthesized(className, cw.toByteArray(), SITE_METHOD_NAME, descriptor);
    }

    private Synthesized objectMethods(String caller, int siteIndex, String name, String descriptor, Object[] args,
                                      String describe) {
        ObjectMethodsSite site = ObjectMethodsSite.parse(name, descriptor, args, describe);
        String className = caller + "$$Indy$" + siteIndex;
        ClassWriter cw = startClass(caller, className);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC, SITE_METHOD_NAME, descriptor, null, null);
        switch (name) {
            case "toString":
                String simpleName = simpleName(site.record().getInternalName());
                site.generateToString(mv, simpleName, className, SIMPLE_NAME_FIELD);
                if (simpleName == null) {
                    writeSimpleNameField(cw, className, site.record());
                }
                break;
            case "hashCode":
                site.generateHashCode(mv);
                break;
            default:
                site.generateEquals(mv);
        }
        cw.visitEnd();
        return new Synthesized(className, cw.toByteArray(), SITE_METHOD_NAME, descriptor);
    }

    /** {@code private static final String SIMPLE_NAME = Record.class.getSimpleName();} */
    private static void writeSimpleNameField(ClassVisitor cv, String className, Type record) {
        cv.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL, SIMPLE_NAME_FIELD, "Ljava/lang/String;",
                null, null).visitEnd();
        MethodVisitor clinit = cv.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
        clinit.visitCode();
        clinit.visitLdcInsn(record);
        clinit.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/Class", "getSimpleName", "()Ljava/lang/String;", false);
        clinit.visitFieldInsn(Opcodes.PUTSTATIC, className, SIMPLE_NAME_FIELD, "Ljava/lang/String;");
        clinit.visitInsn(Opcodes.RETURN);
        clinit.visitMaxs(0, 0);
        clinit.visitEnd();
    }

    /** A class of static methods only: {@code final synthetic}, version 61, in the caller's nest. */
    private ClassWriter startClass(String caller, String className) {
        ClassWriter cw = new SynthesizedClassWriter();
        cw.visit(Opcodes.V17, Opcodes.ACC_SUPER | Opcodes.ACC_FINAL | Opcodes.ACC_SYNTHETIC, className, null,
                "java/lang/Object", null);
        cw.visitNestHost(nestHost(caller));
        return cw;
    }

    /** What the caller's class file says about its nest and names, when its bytes are known. */
    private static final class ClassFacts extends ClassVisitor {
        private final String of;
        String nestHost;
        boolean innerEntry;
        String innerName;

        ClassFacts(String of) {
            super(Opcodes.ASM9);
            this.of = of;
        }

        @Override
        public void visitNestHost(String host) {
            nestHost = host;
        }

        @Override
        public void visitInnerClass(String name, String outerName, String innerName, int access) {
            if (name.equals(of)) {
                innerEntry = true;
                this.innerName = innerName;
            }
        }
    }

    private ClassFacts facts(String internalName) {
        byte[] bytes = classFiles.apply(internalName);
        if (bytes == null) {
            return null;
        }
        ClassFacts facts = new ClassFacts(internalName);
        new ClassReader(bytes).accept(facts, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return facts;
    }

    /** The caller's nest host when its bytes are known, else the caller (the interpreter reads that as "the caller's nest"). */
    private String nestHost(String caller) {
        ClassFacts facts = facts(caller);
        return facts == null || facts.nestHost == null ? caller : facts.nestHost;
    }

    /**
     * {@code Class.getSimpleName()} of a class from its bytes: the inner name of its own {@code InnerClasses} entry
     * ("" for an anonymous class), else, for a top-level class, the name after the package. Null when unknown.
     */
    private String simpleName(String internalName) {
        ClassFacts facts = facts(internalName);
        if (facts == null) {
            return null;
        }
        if (facts.innerEntry) {
            return facts.innerName == null ? "" : facts.innerName;
        }
        return internalName.substring(internalName.lastIndexOf('/') + 1);
    }
}
