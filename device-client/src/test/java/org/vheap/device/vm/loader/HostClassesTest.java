package org.vheap.device.vm.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.objectweb.asm.Opcodes.*;

import java.lang.invoke.MethodHandles;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;

class HostClassesTest {
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

    /** A class whose {@code getAsInt} answers {@code value}. */
    private static byte[] answering(int value) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
        cw.visit(V17, ACC_FINAL | ACC_SUPER, "org/vheap/device/vm/loader/Answer", null, "java/lang/Object",
                new String[] {"java/util/function/IntSupplier"});
        MethodVisitor init = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        MethodVisitor get = cw.visitMethod(ACC_PUBLIC, "getAsInt", "()I", null, null);
        get.visitCode();
        get.visitLdcInsn(value);
        get.visitInsn(IRETURN);
        get.visitMaxs(0, 0);
        get.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    private static int answer(Class<?> c) throws ReflectiveOperationException {
        return ((IntSupplier) c.getDeclaredConstructor().newInstance()).getAsInt();
    }

    @Test
    void equalBytesDefineOneClassAndOtherBytesAnother() throws Exception {
        HostClasses classes = new HostClasses();
        Class<?> first = classes.define(LOOKUP, answering(1));
        Class<?> again = classes.define(LOOKUP, answering(1));   // equal bytes in another array
        Class<?> other = classes.define(LOOKUP, answering(2));
        assertThat(again).isSameAs(first);
        assertThat(other).isNotSameAs(first);
        assertThat(answer(first)).isEqualTo(1);
        assertThat(answer(other)).isEqualTo(2);
        assertThat(first.isHidden()).isTrue();
        assertThat(classes.defined()).isEqualTo(2);
        assertThat(classes.reused()).isEqualTo(1);
        assertThat(classes.size()).isEqualTo(2);
    }

    @Test
    void theLeastRecentlyAskedForIsGivenUpPastTheBoundAndStillWorks() throws Exception {
        HostClasses classes = new HostClasses(2);
        Class<?> one = classes.define(LOOKUP, answering(1));
        Class<?> two = classes.define(LOOKUP, answering(2));
        classes.define(LOOKUP, answering(1));   // one is now the more recent
        Class<?> three = classes.define(LOOKUP, answering(3));   // gives two up
        assertThat(classes.size()).isEqualTo(2);
        assertThat(classes.define(LOOKUP, answering(1))).isSameAs(one);
        assertThat(classes.define(LOOKUP, answering(3))).isSameAs(three);
        Class<?> twoAgain = classes.define(LOOKUP, answering(2));
        assertThat(twoAgain).isNotSameAs(two);
        assertThat(answer(two)).as("a class given up stays usable").isEqualTo(2);
        assertThat(answer(twoAgain)).isEqualTo(2);
        assertThat(classes.defined()).isEqualTo(4);
    }

    @Test
    void aClassHandedOutTheMostTimesIsReplacedByAFreshCopy() throws Exception {
        HostClasses classes = new HostClasses();
        Class<?> first = classes.define(LOOKUP, answering(7));
        for (int i = 1; i < HostClasses.MAX_SHARES; i++) {
            assertThat(classes.define(LOOKUP, answering(7))).isSameAs(first);
        }
        Class<?> copy = classes.define(LOOKUP, answering(7));
        assertThat(copy).isNotSameAs(first);
        assertThat(answer(copy)).isEqualTo(7);
        assertThat(classes.define(LOOKUP, answering(7))).isSameAs(copy);
        assertThat(classes.defined()).isEqualTo(2);
        assertThat(classes.reused()).isEqualTo(HostClasses.MAX_SHARES);
        assertThat(classes.size()).isEqualTo(1);
    }

    @Test
    void aLookupWithoutFullPrivilegeGetsNoClassEvenOneHeld() throws Exception {
        HostClasses classes = new HostClasses();
        classes.define(LOOKUP, answering(1));
        MethodHandles.Lookup weaker = LOOKUP.dropLookupMode(MethodHandles.Lookup.PRIVATE);
        assertThatThrownBy(() -> classes.define(weaker, answering(1))).isInstanceOf(IllegalAccessException.class)
                .hasMessageContaining("full privilege");
        assertThat(classes.reused()).isZero();
    }

    @Test
    void badBytesDefineNothingAndABadBoundIsRefused() {
        HostClasses classes = new HostClasses();
        assertThatThrownBy(() -> classes.define(LOOKUP, new byte[] {1, 2, 3})).isInstanceOf(ClassFormatError.class);
        assertThat(classes.size()).isZero();
        assertThatThrownBy(() -> new HostClasses(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxClasses");
    }
}
