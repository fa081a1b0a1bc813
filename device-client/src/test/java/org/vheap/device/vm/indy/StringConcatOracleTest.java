package org.vheap.device.vm.indy;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.StringConcatFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;

/**
 * Concatenation sites javac does not necessarily emit (it passes most references as String after its own
 * {@code String.valueOf}), checked against HotSpot's {@link StringConcatFactory} called directly with the same
 * type, recipe, constants and argument values.
 */
class StringConcatOracleTest {
    private static final Handle WITH_CONSTANTS = new Handle(Opcodes.H_INVOKESTATIC, "java/lang/invoke/StringConcatFactory",
            "makeConcatWithConstants", "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;"
            + "Ljava/lang/String;[Ljava/lang/Object;)Ljava/lang/invoke/CallSite;", false);
    private static final Handle PLAIN = new Handle(Opcodes.H_INVOKESTATIC, "java/lang/invoke/StringConcatFactory",
            "makeConcat", "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;)"
            + "Ljava/lang/invoke/CallSite;", false);
    private static int site;

    /** A CharSequence whose characters differ from its toString. */
    static final class Chars implements CharSequence {
        public int length() { return 2; }
        public char charAt(int i) { return 'c'; }
        public CharSequence subSequence(int s, int e) { return "cc"; }
        @Override public String toString() { return "toString"; }
    }

    static final class NullToString {
        @Override public String toString() { return null; }
    }

    static Stream<Arguments> sites() {
        char[] chars = {'h', 'i'};
        int[] ints = {1};
        String[] strings = {"a"};
        List<Arguments> all = new ArrayList<>();
        all.add(Arguments.of("([C)Ljava/lang/String;", "<\1>", new Object[0], new Object[] {chars}));
        all.add(Arguments.of("([C[I[Ljava/lang/String;)Ljava/lang/String;", "\1\1\1", new Object[0], new Object[] {chars, ints, strings}));
        all.add(Arguments.of("([C)Ljava/lang/String;", "\1", new Object[0], new Object[] {null}));
        all.add(Arguments.of("(Ljava/lang/CharSequence;Ljava/lang/StringBuilder;Ljava/lang/StringBuffer;)Ljava/lang/String;",
                "\1|\1|\1", new Object[0], new Object[] {new Chars(), new StringBuilder("sb"), new StringBuffer("sbuf")}));
        all.add(Arguments.of("(Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/String;)Ljava/lang/String;", "\1\1\1",
                new Object[0], new Object[] {new NullToString(), null, null}));
        all.add(Arguments.of("(ZBSCIJFD)Ljava/lang/String;", "z=\1 b=\1 s=\1 c=\1 i=\1 j=\1 f=\1 d=\1", new Object[0],
                new Object[] {true, (byte) -1, (short) -300, '\u20ac', -7, Long.MIN_VALUE, -0.0f, Double.NaN}));
        all.add(Arguments.of("(FDFD)Ljava/lang/String;", "\1 \1 \1 \1", new Object[0],
                new Object[] {1.0e-10f, 123456789.125, Float.MAX_VALUE, 1e23}));
        all.add(Arguments.of("(Ljava/lang/Integer;Ljava/lang/Character;Ljava/lang/Boolean;)Ljava/lang/String;", "\1\1\1",
                new Object[0], new Object[] {null, 'x', Boolean.TRUE}));
        all.add(Arguments.of("(I)Ljava/lang/String;", "\2\1\2\2\2\2", new Object[] {"\1tag\2", 42, 7L, 1.5f, 0.1},
                new Object[] {3}));
        all.add(Arguments.of("()Ljava/lang/String;", "only \2 literal", new Object[] {"constant"}, new Object[0]));
        all.add(Arguments.of("()Ljava/lang/String;", "", new Object[0], new Object[0]));
        all.add(Arguments.of("(Ljava/lang/String;)Ljava/lang/String;", "x".repeat(70_000) + "\1", new Object[0],
                new Object[] {"end"}));
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("sites")
    void matchesStringConcatFactory(String descriptor, String recipe, Object[] constants, Object[] values) throws Throwable {
        MethodType type = MethodType.fromMethodDescriptorString(descriptor, null);
        Object[] bootstrapArgs = new Object[constants.length + 1];
        bootstrapArgs[0] = recipe;
        System.arraycopy(constants, 0, bootstrapArgs, 1, constants.length);
        String expected = (String) StringConcatFactory.makeConcatWithConstants(MethodHandles.lookup(), "concat", type,
                recipe, constants).dynamicInvoker().invokeWithArguments(values);
        assertThat(synthesized(descriptor, WITH_CONSTANTS, bootstrapArgs).invokeWithArguments(values)).isEqualTo(expected);
        if (constants.length == 0 && recipe.chars().allMatch(c -> c == 1)) {
            String plain = (String) StringConcatFactory.makeConcat(MethodHandles.lookup(), "concat", type)
                    .dynamicInvoker().invokeWithArguments(values);
            assertThat(synthesized(descriptor, PLAIN, new Object[0]).invokeWithArguments(values)).isEqualTo(plain);
        }
    }

    private static synchronized MethodHandle synthesized(String descriptor, Handle bootstrap, Object[] args) throws Exception {
        CallSiteSynthesizer.Synthesized s = new CallSiteSynthesizer().synthesize(
                "org/vheap/device/vm/indy/StringConcatOracleTest", site++, "concat", descriptor, bootstrap, args);
        Class<?> c = MethodHandles.lookup().defineClass(s.classBytes());
        assertThat(c.getName()).isEqualTo(s.internalName().replace('/', '.'));
        return MethodHandles.lookup().findStatic(c, s.methodName(), MethodType.fromMethodDescriptorString(descriptor, null));
    }
}
