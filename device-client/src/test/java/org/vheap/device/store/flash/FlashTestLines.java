package org.vheap.device.store.flash;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.vheap.store.LineImage;

/** Lines the flash tests write: random contents they keep beside the store, to read back and compare. */
final class FlashTestLines {
    private FlashTestLines() {
    }

    /** Rewrites every line of {@code content} (line i is id i) with random bytes; returns them to write. */
    static List<LineImage> rewritten(Random random, byte[][] content) {
        List<LineImage> all = new ArrayList<>();
        for (int i = 0; i < content.length; i++) {
            random.nextBytes(content[i]);
            all.add(new LineImage(i, content[i].clone()));
        }
        return all;
    }
}
