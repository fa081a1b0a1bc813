package org.vheap.device.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MarkersTest {
    @Test
    void parsesTheLeadingCommentBlock() {
        Markers m = Markers.parse("""
                // @args a  b
                // @args c
                // A description line.
                // @exit 3
                // @heap 64m
                // @delete-class Foo
                // @delete-class p.Bar$Baz
                // @truncate-class Foo 100
                // @patch-class p.Qux 0 cafebabf
                // @stdin add milk

                // @stdin quit
                import java.util.*;
                // @args not-a-marker-any-more
                public class X { }
                """);
        assertThat(m.args()).containsExactly("a", "b", "c");
        assertThat(m.exit()).hasValue(3);
        assertThat(m.heapBytes()).hasValue(64L << 20);
        assertThat(m.xmx()).hasValue("-Xmx" + (64L << 20));
        assertThat(m.deleteClasses()).containsExactly("Foo", "p.Bar$Baz");
        assertThat(m.classEdits()).containsExactly(new ClassFileEdit.Truncate("Foo", 100), new ClassFileEdit.Patch("p.Qux", 0, "cafebabf"));
        assertThat(m.stdin()).isEqualTo("add milk\nquit\n");
    }

    @Test
    void noMarkers() {
        assertThat(Markers.parse("public class X { }")).isEqualTo(Markers.NONE);
        assertThat(Markers.NONE.xmx()).isEmpty();
    }

    @Test
    void sizes() {
        assertThat(Markers.parseSize("512k")).isEqualTo(512L << 10);
        assertThat(Markers.parseSize("2G")).isEqualTo(2L << 30);
        assertThat(Markers.parseSize("1000")).isEqualTo(1000);
        assertThatThrownBy(() -> Markers.parseSize("lots")).hasMessageContaining("bad size");
    }

    @Test
    void classFileEdits() {
        byte[] file = {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 61};
        assertThat(new ClassFileEdit.Truncate("Foo", 3).apply(file)).containsExactly(0xCA, 0xFE, 0xBA);
        assertThat(new ClassFileEdit.Patch("Foo", 3, "bf00").apply(file)).containsExactly(0xCA, 0xFE, 0xBA, 0xBF, 0, 0, 0, 61);
        assertThat(file[3]).isEqualTo((byte) 0xBE);
        assertThatThrownBy(() -> new ClassFileEdit.Truncate("Foo", 8).apply(file)).hasMessageContaining("only 8 bytes");
        assertThatThrownBy(() -> new ClassFileEdit.Patch("Foo", 7, "0102").apply(file)).hasMessageContaining("past the end");
        assertThatThrownBy(() -> Markers.parse("// @patch-class Foo 0 xyz\nclass X {}")).hasMessageContaining("NAME OFFSET HEX");
        assertThatThrownBy(() -> Markers.parse("// @truncate-class Foo\nclass X {}")).hasMessageContaining("NAME BYTES");
    }

    @Test
    void unknownMarkerIsAnError() {
        assertThatThrownBy(() -> Markers.parse("// @hep 64m\nclass X {}")).hasMessageContaining("unknown marker @hep");
    }
}
