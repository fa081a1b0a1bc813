package org.vheap.format;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a reader that runs no code needs to know of each activation a checkpoint saved, which only the device VM
 * knows (its pcs are positions in its own prepared code): the source line it is at, and which of its thread's slots
 * hold references at that point (the device's precise stack map, the same its collector uses). The device adds it to
 * every checkpoint's VM state as the attachment {@link #ATTACHMENT}; the server's heap walk ({@link HeapGraph}) takes
 * its stack roots from it, and a thread's stack shows source lines. A VM state without it (taken before it existed)
 * has no source lines, and its stack roots are found conservatively.
 *
 * <pre>
 * threads u4, (thread id u4, activations u4, (source line i4 (-1: none), reference slots u4, slot index u4*)*)*
 * </pre>
 * A slot index is absolute in the thread's {@link VmStateImage.ThreadImage#slots}.
 */
public final class FrameMaps {
    /** The VM-state attachment's name. */
    public static final String ATTACHMENT = "frame-maps";

    /** One activation's map: its source line (-1 when the method has none) and its reference slots. */
    public record ActivationMap(int line, int[] referenceSlots) {
    }

    private final Map<Integer, List<ActivationMap>> byThread;

    public FrameMaps(Map<Integer, List<ActivationMap>> byThread) {
        this.byThread = Map.copyOf(byThread);
    }

    /** The maps of thread {@code id}'s activations, bottom first (as {@link VmStateImage.ThreadImage#activations}), or null. */
    public List<ActivationMap> thread(int id) {
        return byThread.get(id);
    }

    /** The maps a VM state carries, or null when it carries none. */
    public static FrameMaps of(VmStateImage state) {
        byte[] bytes = state.attachments.get(ATTACHMENT);
        return bytes == null ? null : decode(bytes);
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(byThread.size());
            for (Map.Entry<Integer, List<ActivationMap>> t : byThread.entrySet()) {
                out.writeInt(t.getKey());
                out.writeInt(t.getValue().size());
                for (ActivationMap a : t.getValue()) {
                    out.writeInt(a.line());
                    out.writeInt(a.referenceSlots().length);
                    for (int s : a.referenceSlots()) {
                        out.writeInt(s);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException when the bytes are not frame maps (a count past the bytes, a short read) */
    public static FrameMaps decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            Map<Integer, List<ActivationMap>> threads = new HashMap<>();
            int n = count(in, bytes.length, 8);
            for (int i = 0; i < n; i++) {
                int id = in.readInt();
                int activations = count(in, bytes.length, 8);
                List<ActivationMap> maps = new ArrayList<>(activations);
                for (int k = 0; k < activations; k++) {
                    int line = in.readInt();
                    int[] slots = new int[count(in, bytes.length, 4)];
                    for (int s = 0; s < slots.length; s++) {
                        slots[s] = in.readInt();
                    }
                    maps.add(new ActivationMap(line, slots));
                }
                threads.put(id, List.copyOf(maps));
            }
            return new FrameMaps(threads);
        } catch (IOException e) {
            throw new IllegalArgumentException("damaged frame maps: " + e, e);
        }
    }

    private static int count(DataInputStream in, int total, int minBytesEach) throws IOException {
        int n = in.readInt();
        if (n < 0 || (long) n * minBytesEach > total) {
            throw new IllegalArgumentException("damaged frame maps: a count of " + n + " in " + total + " bytes");
        }
        return n;
    }
}
