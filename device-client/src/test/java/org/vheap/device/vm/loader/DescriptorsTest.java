package org.vheap.device.vm.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.MethodNode;
import org.vheap.device.vm.JavaError;

/**
 * A class file's member names and descriptors (JVMS 4.2, 4.3), checked before the class table uses them: what the
 * class-files fuzz target found crashing the table (a method descriptor cut short, a name missing, a class name with a
 * NUL or {@code ..}) is a ClassFormatError, or a class no file can hold, with HotSpot's messages.
 */
class DescriptorsTest {
    @Test
    void fieldAndMethodDescriptorsFollowTheGrammar() {
        for (String ok : List.of("I", "J", "[[D", "Ljava/lang/String;", "[Lp/Q$R;")) {
            assertThat(Descriptors.fieldType(ok, 0)).as(ok).isEqualTo(ok.length());
        }
        for (String bad : List.of("", "V", "Q", "L;", "Ljava/lang/String", "[", "Lp.q;", "La//b;", "[".repeat(256) + "I")) {
            assertThat(Descriptors.fieldType(bad, 0)).as(bad).isNotEqualTo(bad.length());
        }
        for (String ok : List.of("()V", "(I[JLjava/lang/Object;)Ljava/lang/String;", "()[I")) {
            assertThat(Descriptors.isMethod(ok)).as(ok).isTrue();
        }
        for (String bad : List.of("", "()", "(I", "(V)V", "()VV", "I)V", "(I)Q", "(Lx)V")) {
            assertThat(Descriptors.isMethod(bad)).as(bad).isFalse();
        }
    }

    @Test
    void aBadNameOrDescriptorIsAClassFormatErrorWithHotSpotsMessage() {
        assertThatThrownBy(() -> Descriptors.check("C", node(m -> m.methods.add(new MethodNode(Opcodes.ACC_PUBLIC, "m", "(I", null, null)))))
                .isInstanceOfSatisfying(JavaError.class, e -> assertThat(e.getMessage())
                        .contains("Method \"m\" in class C has illegal signature \"(I\""));
        assertThatThrownBy(() -> Descriptors.check("C", node(m -> m.methods.add(new MethodNode(Opcodes.ACC_PUBLIC, null, "()V", null, null)))))
                .isInstanceOfSatisfying(JavaError.class, e -> assertThat(e.getMessage()).contains("Illegal method name \"null\" in class C"));
        assertThatThrownBy(() -> Descriptors.check("C", node(m -> m.fields.add(new FieldNode(0, "a.b", "I", null, null)))))
                .isInstanceOfSatisfying(JavaError.class, e -> assertThat(e.getMessage()).contains("Illegal field name \"a.b\" in class C"));
        assertThatThrownBy(() -> Descriptors.check("C", node(m -> m.fields.add(new FieldNode(0, "f", "Lx", null, null)))))
                .isInstanceOfSatisfying(JavaError.class, e -> assertThat(e.getMessage())
                        .contains("Field \"f\" in class C has illegal signature \"Lx\""));
        Descriptors.check("C", node(m -> {
            m.methods.add(new MethodNode(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null));
            m.fields.add(new FieldNode(0, "f", "[Ljava/lang/Object;", null, null));
        }));
    }

    @Test
    void onlyBinaryNamesReachTheClassPath() {
        assertThat(ClassSource.isLegalName("java/lang/Object")).isTrue();
        assertThat(ClassSource.isLegalName("Outer$Inner")).isTrue();
        for (String bad : List.of("", "/a", "a/", "a//b", "../etc/passwd", "a\0b", "a;b", "a[b")) {
            assertThat(ClassSource.isLegalName(bad)).as(bad).isFalse();
        }
        assertThat(new ClassSource(List.of()).find("../../etc/passwd")).isNull();
    }

    private static ClassNode node(java.util.function.Consumer<ClassNode> fill) {
        ClassNode n = new ClassNode();
        n.name = "C";
        fill.accept(n);
        return n;
    }
}
