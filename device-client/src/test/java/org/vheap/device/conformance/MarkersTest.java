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
    void unknownMarkerIsAnError() {
        assertThatThrownBy(() -> Markers.parse("// @hep 64m\nclass X {}")).hasMessageContaining("unknown marker @hep");
    }
}
