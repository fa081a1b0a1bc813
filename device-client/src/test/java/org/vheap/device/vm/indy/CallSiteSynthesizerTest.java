package org.vheap.device.vm.indy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Each program is compiled by javac, run on HotSpot as compiled, then run with every invokedynamic replaced by an
 * invokestatic of its synthesized class: the outputs must be equal.
 */
class CallSiteSynthesizerTest {
    private static final Function<Function<String, byte[]>, CallSiteSynthesizer> WITH_CLASS_FILES = CallSiteSynthesizer::new;
    private static final Function<Function<String, byte[]>, CallSiteSynthesizer> WITHOUT_CLASS_FILES = files -> new CallSiteSynthesizer();

    static Stream<Arguments> programs() {
        List<Arguments> all = new ArrayList<>();
        String[][] programs = {{"concat"}, {"concat", "-XDstringConcat=indy"}, {"lambda"}, {"records"},
                {"java8", "--release", "8"}};
        for (String[] program : programs) {
            all.add(Arguments.of(program[0], List.of(program).subList(1, program.length), true));
            all.add(Arguments.of(program[0], List.of(program).subList(1, program.length), false));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1} with class files: {2}")
    @MethodSource("programs")
    void runsLikeHotSpot(String program, List<String> javacOptions, boolean withClassFiles) throws Exception {
        Map<String, byte[]> original = IndyPrograms.compileResource(program, javacOptions.toArray(new String[0]));
        assertThat(IndyPrograms.countIndy(original)).isPositive();
        String expected = IndyPrograms.run(original, "p/Main");

        IndyPrograms.Rewritten rewritten = IndyPrograms.rewrite(original, withClassFiles ? WITH_CLASS_FILES : WITHOUT_CLASS_FILES);
        assertThat(IndyPrograms.countIndy(rewritten.classes())).isZero();
        String actual = IndyPrograms.run(rewritten.classes(), "p/Main");
        System.out.println("== " + program + " " + javacOptions + ", " + rewritten.synthesized().size()
                + " sites synthesized, HotSpot printed:\n" + expected);

        assertThat(expected).doesNotContain("main threw");
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void concatenationSitesUseTheExpectedBootstraps() throws Exception {
        assertThat(bootstraps(IndyPrograms.compileResource("concat"))).containsOnly("makeConcatWithConstants");
        assertThat(bootstraps(IndyPrograms.compileResource("concat", "-XDstringConcat=indy"))).containsOnly("makeConcat");
        assertThat(bootstraps(IndyPrograms.compileResource("lambda"))).contains("metafactory", "altMetafactory");
        assertThat(bootstraps(IndyPrograms.compileResource("records"))).contains("bootstrap");
    }

    @Test
    void javacSplitsLongConcatenationsAt200Slots() throws Exception {
        Map<String, byte[]> classes = IndyPrograms.compileResource("concat");
        List<Integer> slots = new ArrayList<>();
        for (InvokeDynamicInsnNode indy : sites(classes.get("p/Main"))) {
            slots.add(Type.getArgumentsAndReturnSizes(indy.desc) >> 2);
        }
        assertThat(slots).allMatch(n -> n <= 200).anyMatch(n -> n > 150);
    }

    @Test
    void synthesizedClassesAreFinalSyntheticJava17NestmatesInTheCallersPackage() throws Exception {
        Map<String, byte[]> original = IndyPrograms.compileResource("records");
        IndyPrograms.Rewritten rewritten = IndyPrograms.rewrite(original, WITH_CLASS_FILES);
        assertThat(rewritten.synthesized()).isNotEmpty();
        for (CallSiteSynthesizer.Synthesized s : rewritten.synthesized()) {
            ClassNode node = new ClassNode();
            new ClassReader(s.classBytes()).accept(node, 0);
            assertThat(node.name).isEqualTo(s.internalName()).startsWith("p/").matches(".*\\$\\$(Indy|Lambda)\\$\\d+");
            assertThat(node.version).isEqualTo(Opcodes.V17);
            assertThat(node.access & (Opcodes.ACC_FINAL | Opcodes.ACC_SYNTHETIC)).isEqualTo(Opcodes.ACC_FINAL | Opcodes.ACC_SYNTHETIC);
            String caller = s.internalName().substring(0, s.internalName().indexOf("$$"));
            assertThat(node.nestHostClass).isEqualTo(caller.equals("p/Top$Level") ? caller : "p/Main");
            assertThat(node.methods).anyMatch(m -> m.name.equals(s.methodName()) && m.desc.equals(s.methodDescriptor())
                    && (m.access & Opcodes.ACC_STATIC) != 0);
        }
    }

    /** The other route: each synthesized class defined by HotSpot as a hidden nestmate of its caller, called by method handle. */
    @Test
    void synthesizedClassesWorkAsHiddenNestmates() throws Throwable {
        Map<String, byte[]> original = withLookupHelper(IndyPrograms.compileResource("records"));
        IndyPrograms.ProgramLoader loader = new IndyPrograms.ProgramLoader(original);
        Class<?> prims = Class.forName("p.Main$Prims", true, loader);
        Constructor<?> make = prims.getDeclaredConstructors()[0];
        make.setAccessible(true);
        Object a = make.newInstance(true, (byte) 1, (short) 2, 'c', 4, 5L, Float.NaN, -0.0);
        Object b = make.newInstance(true, (byte) 1, (short) 2, 'c', 4, 5L, Float.NaN, -0.0);
        Object c = make.newInstance(true, (byte) 1, (short) 2, 'c', 4, 5L, Float.NaN, 0.0);
        MethodHandle toString = hiddenSite(original, prims, "toString");
        MethodHandle hashCode = hiddenSite(original, prims, "hashCode");
        MethodHandle equals = hiddenSite(original, prims, "equals");
        assertThat((String) toString.invoke(a)).isEqualTo(a.toString()).isEqualTo("Prims[z=true, b=1, s=2, c=c, i=4, l=5, f=NaN, d=-0.0]");
        assertThat((int) hashCode.invoke(a)).isEqualTo(a.hashCode());
        assertThat((boolean) equals.invoke(a, b)).isTrue();
        assertThat((boolean) equals.invoke(a, c)).isFalse();

        Map<String, byte[]> lambdaProgram = withLookupHelper(IndyPrograms.compileResource("lambda"));
        Class<?> shapes = Class.forName("p.Shapes", true, new IndyPrograms.ProgramLoader(lambdaProgram));
        MethodHandle fixed = hiddenSite(lambdaProgram, shapes, "fixed");
        Supplier<?> first = (Supplier<?>) fixed.invoke();
        assertThat(first.get()).isEqualTo("fixed");
        assertThat(fixed.invoke()).isSameAs(first);
    }

    /** Adds {@code p.LookupHelper}, whose static {@code lookup()} returns its own {@code MethodHandles.lookup()}. */
    private static Map<String, byte[]> withLookupHelper(Map<String, byte[]> classes) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, "p/LookupHelper", null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "lookup",
                "()Ljava/lang/invoke/MethodHandles$Lookup;", null, null);
        mv.visitCode();
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/invoke/MethodHandles", "lookup",
                "()Ljava/lang/invoke/MethodHandles$Lookup;", false);
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        Map<String, byte[]> all = new HashMap<>(classes);
        all.put("p/LookupHelper", cw.toByteArray());
        return all;
    }

    /** The first invokedynamic in method {@code methodName} of {@code caller}, synthesized and defined as its hidden nestmate. */
    private static MethodHandle hiddenSite(Map<String, byte[]> classes, Class<?> caller, String methodName) throws Exception {
        String internalName = caller.getName().replace('.', '/');
        ClassNode node = new ClassNode();
        new ClassReader(classes.get(internalName)).accept(node, 0);
        int site = 0;
        for (MethodNode method : node.methods) {
            for (AbstractInsnNode insn : method.instructions) {
                if (insn instanceof InvokeDynamicInsnNode) {
                    InvokeDynamicInsnNode indy = (InvokeDynamicInsnNode) insn;
                    if (method.name.equals(methodName)) {
                        CallSiteSynthesizer.Synthesized s = new CallSiteSynthesizer(classes::get)
                                .synthesize(internalName, site, indy.name, indy.desc, indy.bsm, indy.bsmArgs);
                        // a full-privilege lookup needs one from the caller's module: the helper's
                        MethodHandles.Lookup inModule = (MethodHandles.Lookup) Class.forName("p.LookupHelper", true,
                                caller.getClassLoader()).getMethod("lookup").invoke(null);
                        MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(caller, inModule)
                                .defineHiddenClass(s.classBytes(), true, MethodHandles.Lookup.ClassOption.NESTMATE);
                        return lookup.findStatic(lookup.lookupClass(), s.methodName(),
                                MethodType.fromMethodDescriptorString(s.methodDescriptor(), caller.getClassLoader()));
                    }
                    site++;
                }
            }
        }
        throw new AssertionError("no invokedynamic in " + internalName + "." + methodName);
    }

    private static final Handle CONSTANT_BOOTSTRAPS = new Handle(Opcodes.H_INVOKESTATIC, "java/lang/invoke/ConstantBootstraps",
            "invoke", "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;Ljava/lang/invoke/MethodHandle;[Ljava/lang/Object;)Ljava/lang/Object;", false);
    private static final Handle SWITCH_BOOTSTRAPS = new Handle(Opcodes.H_INVOKESTATIC, "java/lang/runtime/SwitchBootstraps",
            "typeSwitch", "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;[Ljava/lang/Object;)Ljava/lang/invoke/CallSite;", false);
    private static final Handle USER_BOOTSTRAP = new Handle(Opcodes.H_INVOKESTATIC, "p/Main", "bsm",
            "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/CallSite;", false);
    private static final Handle CONCAT = new Handle(Opcodes.H_INVOKESTATIC, "java/lang/invoke/StringConcatFactory",
            "makeConcatWithConstants", "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;Ljava/lang/String;[Ljava/lang/Object;)Ljava/lang/invoke/CallSite;", false);
    private static final Handle METAFACTORY = new Handle(Opcodes.H_INVOKESTATIC, "java/lang/invoke/LambdaMetafactory",
            "metafactory", "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;Ljava/lang/invoke/MethodType;Ljava/lang/invoke/MethodHandle;Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/CallSite;", false);

    @Test
    void otherBootstrapsAreRefusedNamingTheBootstrap() {
        CallSiteSynthesizer synth = new CallSiteSynthesizer();
        assertThatThrownBy(() -> synth.synthesize("p/Main", 0, "invoke", "()Ljava/lang/Object;", CONSTANT_BOOTSTRAPS, new Object[0]))
                .isInstanceOf(UnsupportedCallSiteException.class).hasMessageContaining("java/lang/invoke/ConstantBootstraps.invoke");
        assertThatThrownBy(() -> synth.synthesize("p/Main", 1, "typeSwitch", "(Ljava/lang/Object;I)I", SWITCH_BOOTSTRAPS,
                new Object[] {Type.getObjectType("java/lang/String")}))
                .isInstanceOf(UnsupportedCallSiteException.class).hasMessageContaining("java/lang/runtime/SwitchBootstraps.typeSwitch");
        assertThatThrownBy(() -> synth.synthesize("p/Main", 2, "run", "()V", USER_BOOTSTRAP, new Object[0]))
                .isInstanceOf(UnsupportedCallSiteException.class).hasMessageContaining("p/Main.bsm");
        assertThatThrownBy(() -> synth.synthesize("p/Main", 3, "makeConcatWithConstants", "(I)Ljava/lang/String;", CONCAT,
                new Object[] {"\u0001\u0002", Type.getObjectType("java/lang/String")}))
                .isInstanceOf(UnsupportedCallSiteException.class).hasMessageContaining("StringConcatFactory.makeConcatWithConstants");
        assertThatThrownBy(() -> synth.synthesize("p/Main", 4, "makeConcatWithConstants", "(I)Ljava/lang/String;", CONCAT,
                new Object[] {"\u0001", new ConstantDynamic("c", "I", CONSTANT_BOOTSTRAPS)}))
                .isInstanceOf(UnsupportedCallSiteException.class).hasMessageContaining("dynamic constant");
        assertThatThrownBy(() -> synth.synthesize("p/Main", 5, "makeConcatWithConstants", "(I)Ljava/lang/String;", CONCAT,
                new Object[] {"no tags"}))
                .isInstanceOf(UnsupportedCallSiteException.class).hasMessageContaining("arguments");
        Handle superToString = new Handle(Opcodes.H_INVOKESPECIAL, "java/lang/Object", "toString", "()Ljava/lang/String;", false);
        assertThatThrownBy(() -> synth.synthesize("p/Main", 6, "get", "(Lp/Main;)Ljava/util/function/Supplier;", METAFACTORY,
                new Object[] {Type.getMethodType("()Ljava/lang/Object;"), superToString, Type.getMethodType("()Ljava/lang/String;")}))
                .isInstanceOf(UnsupportedCallSiteException.class).hasMessageContaining("LambdaMetafactory.metafactory")
                .hasMessageContaining("super call");
    }

    @Test
    void aPrivateInvokespecialHandleOfTheCallerBecomesAVirtualCall() {
        Handle privateMethod = new Handle(Opcodes.H_INVOKESPECIAL, "p/Main", "secret", "()Ljava/lang/String;", false);
        CallSiteSynthesizer.Synthesized s = new CallSiteSynthesizer().synthesize("p/Main", 0, "get",
                "(Lp/Main;)Ljava/util/function/Supplier;", METAFACTORY,
                new Object[] {Type.getMethodType("()Ljava/lang/Object;"), privateMethod, Type.getMethodType("()Ljava/lang/String;")});
        ClassNode node = new ClassNode();
        new ClassReader(s.classBytes()).accept(node, 0);
        MethodNode get = node.methods.stream().filter(m -> m.name.equals("get")).findFirst().orElseThrow();
        assertThat(get.instructions.toArray()).anyMatch(i -> i.getOpcode() == Opcodes.INVOKEVIRTUAL)
                .noneMatch(i -> i.getOpcode() == Opcodes.INVOKESPECIAL);
        assertThat(s.internalName()).isEqualTo("p/Main$$Lambda$0");
    }

    private static List<String> bootstraps(Map<String, byte[]> classes) {
        List<String> names = new ArrayList<>();
        for (byte[] bytes : classes.values()) {
            for (InvokeDynamicInsnNode indy : sites(bytes)) {
                names.add(indy.bsm.getName());
            }
        }
        return names;
    }

    private static List<InvokeDynamicInsnNode> sites(byte[] bytes) {
        ClassNode node = new ClassNode();
        new ClassReader(bytes).accept(node, 0);
        List<InvokeDynamicInsnNode> sites = new ArrayList<>();
        for (MethodNode method : node.methods) {
            for (AbstractInsnNode insn : method.instructions) {
                if (insn instanceof InvokeDynamicInsnNode) {
                    sites.add((InvokeDynamicInsnNode) insn);
                }
            }
        }
        return sites;
    }
}
