package org.vheap.device.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnifiedDiffTest {
    @Test
    void equalIsEmpty() {
        assertThat(UnifiedDiff.diff("a\nb\n", "a\nb\n", "x", "y", 3)).isEmpty();
    }

    @Test
    void changedLineWithContext() {
        String a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
        String b = "1\n2\n3\n4\nFIVE\n6\n7\n8\n9\n";
        assertThat(UnifiedDiff.diff(a, b, "want", "got", 2)).isEqualTo("""
                --- want
                +++ got
                @@ -3,5 +3,5 @@
                 3
                 4
                -5
                +FIVE
                 6
                 7
                """);
    }

    @Test
    void insertionsDeletionsAndSeparateHunks() {
        String a = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n";
        String b = "a\nc\nd\ne\nf\ng\nh\ni\nj\nk\n";
        assertThat(UnifiedDiff.diff(a, b, "want", "got", 1)).isEqualTo("""
                --- want
                +++ got
                @@ -1,3 +1,2 @@
                 a
                -b
                 c
                @@ -10,1 +9,2 @@
                 j
                +k
                """);
    }

    @Test
    void missingFinalNewlineIsShown() {
        assertThat(UnifiedDiff.diff("x\n", "x", "want", "got", 3)).isEqualTo("""
                --- want
                +++ got
                @@ -1,1 +1,1 @@
                -x
                +x
                \\ No newline at end of file
                """);
    }

    @Test
    void emptyVersusSomething() {
        assertThat(UnifiedDiff.diff("", "boom\n", "want", "got", 3)).isEqualTo("""
                --- want
                +++ got
                @@ -0,0 +1,1 @@
                +boom
                """);
    }
}
