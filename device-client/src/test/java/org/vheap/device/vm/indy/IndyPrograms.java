package org.vheap.device.vm.indy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Test support: compiles a program with javac ({@code --release 17}), runs it on HotSpot as compiled, and runs it
 * again after replacing every {@code invokedynamic} with an {@code invokestatic} of the class
 * {@link CallSiteSynthesizer} made for it, all loaded in a fresh class loader; the outputs are compared by the
 * tests. The synthesized classes join the caller's nest (the host's {@code NestMembers} lists them), which is
 * what the device VM's "access as the caller's nestmate" amounts to on HotSpot.
 */
final class IndyPrograms {
    private IndyPrograms() {
    }

    /** Compiles {@code indy/<name>/*.java} from the test resources; returns the class files by internal name. */
    static Map<String, byte[]> compileResource(String name, String... options) throws IOException {
        Map<String, String> sources = new LinkedHashMap<>();
        for (String file : resourceLines("indy/" + name + "/files.txt")) {
            sources.put(file, resource("indy/" + name + "/" + file));
        }
        return compile(sources, options);
    }

    private static List<String> resourceLines(String path) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line : resource(path).split("\n")) {
            if (!line.isBlank()) {
                lines.add(line.strip());
            }
        }
        return lines;
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = IndyPrograms.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("no test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Compiles sources (file name to text) with javac, --release 17 unless the options say otherwise; returns the class files by internal name. */
    static Map<String, byte[]> compile(Map<String, String> sources, String... options) throws IOException {
        Path dir = Files.createTempDirectory("indy-src");
        Path out = Files.createDirectories(dir.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("-encoding", "UTF-8", "-d", out.toString()));
        if (!List.of(options).contains("--release")) {
            args.addAll(List.of("--release", "17"));
        }
        args.addAll(List.of(options));
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = dir.resolve(source.getKey());
            Files.writeString(file, source.getValue(), StandardCharsets.UTF_8);
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = javac.run(null, null, err, args.toArray(new String[0]));
        if (status != 0) {
            throw new IllegalStateException("javac failed: " + err.toString(StandardCharsets.UTF_8));
        }
        Map<String, byte[]> classes = new HashMap<>();
        try (Stream<Path> files = Files.walk(out)) {
            for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                String name = out.relativize(file).toString().replace(java.io.File.separatorChar, '/');
                classes.put(name.substring(0, name.length() - ".class".length()), Files.readAllBytes(file));
            }
        }
        return classes;
    }

    /** The program after rewriting: its classes without invokedynamic, and the synthesized classes. */
    record Rewritten(Map<String, byte[]> classes, List<CallSiteSynthesizer.Synthesized> synthesized) {}

    /**
     * Replaces each invokedynamic of each class by an invokestatic of its synthesized class. {@code synthesizer}
     * gets the original class files; the synthesized classes' NestHost is set to the caller's real nest host when
     * the synthesizer could not know it (it wrote the caller), as the device VM reads it.
     */
    static Rewritten rewrite(Map<String, byte[]> original, Function<Function<String, byte[]>, CallSiteSynthesizer> synthesizer) {
        CallSiteSynthesizer synth = synthesizer.apply(original::get);
        Map<String, ClassNode> nodes = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : original.entrySet()) {
            ClassNode node = new ClassNode();
            new ClassReader(e.getValue()).accept(node, 0);
            nodes.put(e.getKey(), node);
        }
        List<CallSiteSynthesizer.Synthesized> synthesized = new ArrayList<>();
        Map<String, byte[]> result = new HashMap<>();
        Map<String, List<String>> members = new HashMap<>();
        for (ClassNode node : nodes.values()) {
            int site = 0;
            for (MethodNode method : node.methods) {
                for (AbstractInsnNode insn : method.instructions.toArray()) {
                    if (!(insn instanceof InvokeDynamicInsnNode)) {
                        continue;
                    }
                    InvokeDynamicInsnNode indy = (InvokeDynamicInsnNode) insn;
                    CallSiteSynthesizer.Synthesized s = synth.synthesize(node.name, site++, indy.name, indy.desc, indy.bsm, indy.bsmArgs);
                    String host = node.nestHostClass != null ? node.nestHostClass : node.name;
                    ClassNode sn = new ClassNode();
                    new ClassReader(s.classBytes()).accept(sn, 0);
                    byte[] bytes = s.classBytes();
                    if (!host.equals(sn.nestHostClass)) {
                        sn.nestHostClass = host;
                        ClassWriter cw = new ClassWriter(0);
                        sn.accept(cw);
                        bytes = cw.toByteArray();
                    }
                    members.computeIfAbsent(host, h -> new ArrayList<>()).add(s.internalName());
                    result.put(s.internalName(), bytes);
                    synthesized.add(s);
                    method.instructions.set(insn, new MethodInsnNode(Opcodes.INVOKESTATIC, s.internalName(),
                            s.methodName(), s.methodDescriptor(), false));
                }
            }
        }
        for (ClassNode node : nodes.values()) {
            List<String> added = members.get(node.name);
            if (added != null) {
                if (node.nestMembers == null) {
                    node.nestMembers = new ArrayList<>();
                }
                node.nestMembers.addAll(added);
                // HotSpot reads nest attributes from version 55 (Java 11) on
                node.version = Math.max(node.version, Opcodes.V11);
            }
            ClassWriter cw = new ClassWriter(0);
            node.accept(cw);
            result.put(node.name, cw.toByteArray());
        }
        return new Rewritten(result, synthesized);
    }

    /** Defines the given classes (and only them) itself, everything else from the platform. */
    static final class ProgramLoader extends ClassLoader {
        private final Map<String, byte[]> classes;

        ProgramLoader(Map<String, byte[]> classes) {
            super("indy-program", ClassLoader.getPlatformClassLoader());
            this.classes = classes;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = classes.get(name.replace('.', '/'));
            if (bytes == null) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, bytes, 0, bytes.length);
        }
    }

    /**
     * Runs {@code main(String[])} of {@code mainClass} loaded from {@code classes} in a fresh loader; returns what
     * it printed on System.out, followed by the class of an exception that escaped main, if any.
     */
    static synchronized String run(Map<String, byte[]> classes, String mainClass) throws Exception {
        ClassLoader loader = new ProgramLoader(classes);
        PrintStream saved = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        System.setOut(out);
        try {
            Method main = Class.forName(mainClass.replace('/', '.'), true, loader).getMethod("main", String[].class);
            main.invoke(null, (Object) new String[0]);
        } catch (InvocationTargetException e) {
            // the class only: helpful NullPointerException messages name the bytecode that failed
            out.println("main threw " + e.getCause().getClass().getName());
        } finally {
            System.setOut(saved);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    static long countIndy(Map<String, byte[]> classes) {
        long count = 0;
        for (byte[] bytes : classes.values()) {
            ClassNode node = new ClassNode();
            new ClassReader(bytes).accept(node, 0);
            for (MethodNode method : node.methods) {
                for (AbstractInsnNode insn : method.instructions) {
                    if (insn instanceof InvokeDynamicInsnNode) {
                        count++;
                    }
                }
            }
        }
        return count;
    }
}
