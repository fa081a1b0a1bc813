package org.vheap.device.vm.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.vheap.format.ObjectLayout;
import org.vheap.format.BlobHash;

class SystemSegmentMapTest {
    private static final long BASE = ObjectLayout.SYSTEM_SEGMENT_BASE;

    private static BlobHash hash(String s) {
        return BlobHash.digest(s.getBytes());
    }

    @Test
    void classFilesGetLineAlignedPlacesInDefinitionOrderOncePerHash() {
        SystemSegmentMap map = new SystemSegmentMap(4096);
        SystemSegmentMap.Placement a = map.place(hash("A"), 5000);
        SystemSegmentMap.Placement b = map.place(hash("B"), 4096);
        SystemSegmentMap.Placement c = map.place(hash("C"), 1);
        assertThat(a.address()).isEqualTo(BASE);
        assertThat(b.address()).isEqualTo(BASE + 2 * 4096);
        assertThat(c.address()).isEqualTo(BASE + 3 * 4096);
        assertThat(map.top()).isEqualTo(BASE + 4 * 4096);
        assertThat(map.place(hash("A"), 5000)).isSameAs(a);
        assertThat(map.placements()).containsExactly(a, b, c);

        long first = BASE / 4096;
        assertThat(map.at(first + 1)).isEqualTo(new SystemSegmentMap.Slice(a, 4096));
        assertThat(map.at(first + 2)).isEqualTo(new SystemSegmentMap.Slice(b, 0));
        assertThat(map.at(first + 4)).isNull();
    }

    @Test
    void restoredPlacesKeepTheirAddressesAndMayNotOverlap() {
        SystemSegmentMap map = new SystemSegmentMap(4096);
        map.restore(hash("B"), BASE + 4096, 100);
        map.restoreTop(BASE + 3 * 4096);
        assertThat(map.place(hash("C"), 10).address()).isEqualTo(BASE + 3 * 4096);
        assertThatThrownBy(() -> map.restore(hash("D"), BASE, 4097)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("overlaps");
        assertThatThrownBy(() -> map.restore(hash("E"), BASE + 17, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
