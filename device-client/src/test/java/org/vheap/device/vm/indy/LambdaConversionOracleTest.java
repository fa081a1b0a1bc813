package org.vheap.device.vm.indy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.invoke.LambdaConversionException;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Argument and return conversions of lambda classes, including ones javac rarely asks for, checked against
 * HotSpot's {@link LambdaMetafactory} called directly with the same types and implementation: same result value
 * and class, or the same exception class; where HotSpot's bootstrap throws {@link LambdaConversionException}, the
 * synthesizer refuses the site.
 */
class LambdaConversionOracleTest {
    private static final String SELF = "org/vheap/device/vm/indy/LambdaConversionOracleTest";
    private static final Handle METAFACTORY = new Handle(Opcodes.H_INVOKESTATIC, "java/lang/invoke/LambdaMetafactory",
            "metafactory", "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;"
            + "Ljava/lang/invoke/MethodType;Ljava/lang/invoke/MethodHandle;Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/CallSite;", false);
    private static int site;

    interface IntToObject { Object apply(int i); }

    interface ObjectToLong { long apply(Object o); }

    static long widen(long x) { return x * 3; }

    static int plusOne(int c) { return c + 1; }

    static byte toByte(int x) { return (byte) x; }

    static double half(double d) { return d / 2; }

    static Object echo(Object o) { return o; }

    static String describe(CharSequence cs) { return "cs:" + cs; }

    static boolean not(boolean z) { return !z; }

    static char nextChar(char c) { return (char) (c + 1); }

    static Character boxedChar(Object o) { return 'b'; }

    static Stream<Arguments> conversions() {
        String function = "(Ljava/lang/Object;)Ljava/lang/Object;";
        List<Arguments> all = new ArrayList<>();
        all.add(Arguments.of(Function.class, function, "widen", "(J)J", "(Ljava/lang/Integer;)Ljava/lang/Long;", new Object[] {5, null, "x"}));
        all.add(Arguments.of(Function.class, function, "plusOne", "(I)I", "(Ljava/lang/Character;)Ljava/lang/Integer;", new Object[] {'a', null}));
        all.add(Arguments.of(Function.class, function, "plusOne", "(I)I", "(Ljava/lang/Short;)Ljava/lang/Integer;", new Object[] {(short) 7, 7}));
        all.add(Arguments.of(Function.class, function, "plusOne", "(I)I", "(Ljava/lang/Object;)Ljava/lang/Object;", new Object[0]));
        all.add(Arguments.of(Function.class, function, "toByte", "(I)B", "(Ljava/lang/Integer;)Ljava/lang/Object;", new Object[] {300}));
        all.add(Arguments.of(Function.class, function, "half", "(D)D", "(Ljava/lang/Float;)Ljava/lang/Double;", new Object[] {3f, 1}));
        all.add(Arguments.of(Function.class, function, "half", "(D)D", "(Ljava/lang/Long;)Ljava/lang/Object;", new Object[] {9L}));
        all.add(Arguments.of(Function.class, function, "describe", "(Ljava/lang/CharSequence;)Ljava/lang/String;",
                "(Ljava/lang/String;)Ljava/lang/String;", new Object[] {"x", new StringBuilder("sb"), 42, null}));
        all.add(Arguments.of(Function.class, function, "not", "(Z)Z", "(Ljava/lang/Boolean;)Ljava/lang/Boolean;", new Object[] {true, 1}));
        all.add(Arguments.of(Function.class, function, "nextChar", "(C)C", "(Ljava/lang/Character;)Ljava/lang/Character;", new Object[] {'y'}));
        all.add(Arguments.of(IntToObject.class, "(I)Ljava/lang/Object;", "widen", "(J)J", "(I)Ljava/lang/Long;", new Object[] {4}));
        all.add(Arguments.of(IntToObject.class, "(I)Ljava/lang/Object;", "echo", "(Ljava/lang/Object;)Ljava/lang/Object;",
                "(I)Ljava/lang/Object;", new Object[] {-1}));
        all.add(Arguments.of(IntToObject.class, "(I)Ljava/lang/Object;", "half", "(D)D", "(I)Ljava/lang/Object;", new Object[] {7}));
        all.add(Arguments.of(ObjectToLong.class, "(Ljava/lang/Object;)J", "plusOne", "(I)I", "(Ljava/lang/Integer;)J", new Object[] {41, "s"}));
        all.add(Arguments.of(ObjectToLong.class, "(Ljava/lang/Object;)J", "widen", "(J)J", "(Ljava/lang/Number;)J", new Object[0]));
        all.add(Arguments.of(ObjectToLong.class, "(Ljava/lang/Object;)J", "echo", "(Ljava/lang/Object;)Ljava/lang/Object;",
                "(Ljava/lang/Object;)J", new Object[] {5, 2.5, 'c', "s", null}));
        all.add(Arguments.of(ObjectToLong.class, "(Ljava/lang/Object;)J", "boxedChar", "(Ljava/lang/Object;)Ljava/lang/Character;",
                "(Ljava/lang/Object;)J", new Object[] {"x"}));
        all.add(Arguments.of(ObjectToLong.class, "(Ljava/lang/Object;)J", "nextChar", "(C)C", "(Ljava/lang/Character;)J", new Object[] {'a'}));
        // rejected by LambdaMetafactory
        all.add(Arguments.of(Function.class, function, "plusOne", "(I)I", "(Ljava/lang/Long;)Ljava/lang/Integer;", new Object[0]));
        all.add(Arguments.of(IntToObject.class, "(I)Ljava/lang/Object;", "describe", "(Ljava/lang/CharSequence;)Ljava/lang/String;",
                "(I)Ljava/lang/Object;", new Object[0]));
        all.add(Arguments.of(ObjectToLong.class, "(Ljava/lang/Object;)J", "half", "(D)D", "(Ljava/lang/Double;)J", new Object[0]));
        all.add(Arguments.of(IntToObject.class, "(I)Ljava/lang/Object;", "toByte", "(I)B", "(J)Ljava/lang/Object;", new Object[0]));
        all.add(Arguments.of(IntToObject.class, "(I)Ljava/lang/Object;", "nextChar", "(C)C", "(I)Ljava/lang/Object;", new Object[0]));
        return all.stream();
    }

    @ParameterizedTest(name = "{2}{3} as {4}")
    @MethodSource("conversions")
    void convertsLikeLambdaMetafactory(Class<?> functionalInterface, String samDescriptor, String implName, String implDescriptor,
                                       String instantiatedDescriptor, Object[] arguments) throws Throwable {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        MethodType factoryType = MethodType.methodType(functionalInterface);
        MethodType samType = MethodType.fromMethodDescriptorString(samDescriptor, null);
        MethodHandle impl = lookup.findStatic(LambdaConversionOracleTest.class, implName,
                MethodType.fromMethodDescriptorString(implDescriptor, null));
        String samName = "apply";
        Object[] bootstrapArgs = {Type.getMethodType(samDescriptor),
                new Handle(Opcodes.H_INVOKESTATIC, SELF, implName, implDescriptor, false), Type.getMethodType(instantiatedDescriptor)};
        Object hotSpot;
        try {
            hotSpot = LambdaMetafactory.metafactory(lookup, samName, factoryType, samType, impl,
                    MethodType.fromMethodDescriptorString(instantiatedDescriptor, null)).getTarget().invoke();
        } catch (LambdaConversionException rejected) {
            assertThat(arguments).as("cases HotSpot rejects are listed without arguments").isEmpty();
            assertThatThrownBy(() -> synthesize(samName, factoryType.toMethodDescriptorString(), bootstrapArgs))
                    .isInstanceOf(UnsupportedCallSiteException.class).hasMessageContaining("LambdaConversionException");
            return;
        }

        assertThat(arguments).as("HotSpot accepts this case").isNotEmpty();
        CallSiteSynthesizer.Synthesized s = synthesize(samName, factoryType.toMethodDescriptorString(), bootstrapArgs);
        Class<?> lambdaClass = lookup.defineClass(s.classBytes());
        Object ours = lookup.findStatic(lambdaClass, s.methodName(), factoryType).invoke();

        MethodHandle apply = lookup.findVirtual(functionalInterface, samName, samType);
        for (Object argument : arguments) {
            assertThat(outcome(apply, ours, argument)).as("argument %s", argument).isEqualTo(outcome(apply, hotSpot, argument));
        }
    }

    private static synchronized CallSiteSynthesizer.Synthesized synthesize(String name, String descriptor, Object[] args) {
        return new CallSiteSynthesizer().synthesize(SELF, site++, name, descriptor, METAFACTORY, args);
    }

    /** The result and its class, or the class of the exception. */
    private static String outcome(MethodHandle apply, Object function, Object argument) {
        try {
            Object result = apply.invoke(function, argument);
            return result + " (" + (result == null ? "null" : result.getClass().getName()) + ")";
        } catch (Throwable e) {
            return "threw " + e.getClass().getName();
        }
    }
}
