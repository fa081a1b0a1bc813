package org.vheap.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LinePatchesTest {
    private static byte[] line(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void aPatchTurnsTheBaseIntoTheTargetForEdits() {
        Random r = new Random(7);
        for (int round = 0; round < 2000; round++) {
            byte[] base = line(round, 4096);
            byte[] target = base.clone();
            int edits = r.nextInt(12);
            for (int e = 0; e < edits; e++) {
                int at = r.nextInt(4096);
                int n = 1 + r.nextInt(r.nextBoolean() ? 8 : 300);
                for (int k = at; k < Math.min(4096, at + n); k++) {
                    target[k] = (byte) r.nextInt();
                }
            }
            byte[] patch = LinePatches.diff(base, target);
            assertThat(LinePatches.apply(base, patch)).isEqualTo(target);
            int differing = 0;
            for (int k = 0; k < 4096; k++) {
                differing += base[k] != target[k] ? 1 : 0;
            }
            // runs cover every differing byte, and merged gaps add at most MERGE_GAP - 1 bytes each
            assertThat(LinePatches.runBytes(patch, 4096)).isGreaterThanOrEqualTo(differing);
        }
    }

    @Test
    void oneChangedLongCostsItsBytesAndAFewMore() {
        byte[] base = line(1, 4096);
        byte[] target = base.clone();
        target[2049]++;                      // the low byte of a long at 2048 incremented
        byte[] patch = LinePatches.diff(base, target);
        assertThat(patch).hasSize(4);       // gap 2049 (2 bytes), length 1, the byte
        assertThat(LinePatches.apply(base, patch)).isEqualTo(target);
        assertThat(LinePatches.diff(base, base.clone())).isEmpty();
        assertThat(LinePatches.apply(base, new byte[0])).isEqualTo(base).isNotSameAs(base);
    }

    @Test
    void nearbyDifferencesAreOneRunAndTheEndsOfTheLineWork() {
        byte[] base = new byte[64];
        byte[] target = base.clone();
        target[0] = 1;
        target[3] = 1;                       // 2 equal bytes between: one run of 4
        target[63] = 1;
        byte[] patch = LinePatches.diff(base, target);
        assertThat(LinePatches.runBytes(patch, 64)).isEqualTo(5);
        assertThat(LinePatches.apply(base, patch)).isEqualTo(target);
    }

    @Test
    void malformedPatchesAreRefusedWithoutTouchingTheBase() {
        byte[] base = new byte[16];
        assertThatThrownBy(() -> LinePatches.apply(base, new byte[] {0, 0})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty run");
        assertThatThrownBy(() -> LinePatches.apply(base, new byte[] {10, 7, 1, 2, 3, 4, 5, 6, 7}))
                .hasMessageContaining("reaches past the 16-byte line");
        assertThatThrownBy(() -> LinePatches.apply(base, new byte[] {0, 4, 1, 2})).hasMessageContaining("patch's end");
        assertThatThrownBy(() -> LinePatches.apply(base, new byte[] {(byte) 0x80})).hasMessageContaining("ends inside a number");
        assertThatThrownBy(() -> LinePatches.apply(base, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF, 1})).hasMessageContaining("longer than 5 bytes");
        // a number may take more bytes than it needs: still read right
        assertThat(LinePatches.apply(base, new byte[] {(byte) 0x82, 0, 1, 9})[2]).isEqualTo((byte) 9);
        assertThat(base).containsOnly(0);
        assertThatThrownBy(() -> LinePatches.diff(new byte[4], new byte[5])).hasMessageContaining("one size");
    }

    @Test
    void theCrcIsCrc32c() {
        // the standard check value of CRC-32C for "123456789"
        assertThat(LinePatches.crc32c("123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                .isEqualTo(0xE3069283);
    }
}
