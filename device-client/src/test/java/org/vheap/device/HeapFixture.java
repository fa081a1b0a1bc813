package org.vheap.device;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.vheap.device.store.HeapSession;
import org.vheap.device.store.HeapStore;
import org.vheap.device.store.OpenRequest;
import org.vheap.device.vm.VmLauncher;
import org.vheap.format.BlobHash;
import org.vheap.format.VmStateImage;
import org.vheap.store.LineImage;

/**
 * A checkpointed app as one file, to commit as a fixture of the heap format: the newest checkpoint's VM state, every
 * line up to its allocation pointer that the store holds, and the system blobs the app needs (the class files its
 * class table names and its own files). Written and read only through the store API, so a fixture loads into any
 * store. Format (gzip): {@code "vheap-fixture-1"} (UTF), line size (int), VM state (int length, bytes), lines (int
 * count, then id (long) and bytes each), blobs (int count, then the 32-byte hash and int length, bytes each).
 */
final class HeapFixture {
    private static final String MAGIC = "vheap-fixture-1";

    private HeapFixture() {
    }

    /** Writes {@code app}'s newest checkpoint from {@code store} to {@code file}; changes nothing in the store. */
    static void export(HeapStore store, String app, Path file) throws IOException {
        HeapSession session = store.openHeap(new OpenRequest(app, "fixture-export", false, 0, Duration.ZERO, 0));
        byte[] vmState;
        List<LineImage> lines = new ArrayList<>();
        int lineSize;
        try {
            lineSize = session.lineSize();
            vmState = session.baseVmState();
            VmStateImage state = VmLauncher.readState(vmState);
            long count = (state.top + lineSize - 1) / lineSize;
            for (long first = 0; first < count; first += 256) {
                long[] ids = new long[(int) Math.min(256, count - first)];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = first + i;
                }
                byte[][] data = session.read(ids);
                for (int i = 0; i < ids.length; i++) {
                    if (data[i] != null) {
                        lines.add(new LineImage(ids[i], data[i]));
                    }
                }
            }
            Set<BlobHash> hashes = new LinkedHashSet<>();
            for (VmStateImage.ClassImage c : state.classes) {
                if (c.sha256() != null) {
                    hashes.add(BlobHash.of(c.sha256()));
                }
            }
            byte[] manifest = state.attachments.get(Checkpointer.APP_FILES);
            if (manifest != null) {
                try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(manifest))) {
                    for (int n = in.readInt(); n > 0; n--) {
                        in.readUTF();
                        byte[] h = new byte[32];
                        in.readFully(h);
                        hashes.add(BlobHash.of(h));
                    }
                }
            }
            Map<BlobHash, byte[]> blobs = store.systemBlobs(app).get(hashes);
            if (blobs.size() != hashes.size()) {
                throw new IllegalStateException("the store lacks " + (hashes.size() - blobs.size()) + " of the app's system blobs");
            }
            try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(file)))) {
                out.writeUTF(MAGIC);
                out.writeInt(lineSize);
                out.writeInt(vmState.length);
                out.write(vmState);
                out.writeInt(lines.size());
                for (LineImage l : lines) {
                    out.writeLong(l.lineId());
                    out.write(l.data());
                }
                out.writeInt(blobs.size());
                for (Map.Entry<BlobHash, byte[]> e : blobs.entrySet()) {
                    out.write(e.getKey().bytes());
                    out.writeInt(e.getValue().length);
                    out.write(e.getValue());
                }
            }
        } finally {
            session.close();
        }
    }

    /** Creates {@code app} in {@code store} holding the checkpoint of {@code file} (as its only checkpoint). */
    static void importInto(HeapStore store, String app, Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(file)))) {
            if (!MAGIC.equals(in.readUTF())) {
                throw new IOException(file + " is not a heap fixture");
            }
            int lineSize = in.readInt();
            byte[] vmState = new byte[in.readInt()];
            in.readFully(vmState);
            List<LineImage> lines = new ArrayList<>();
            for (int n = in.readInt(); n > 0; n--) {
                long id = in.readLong();
                byte[] data = new byte[lineSize];
                in.readFully(data);
                lines.add(new LineImage(id, data));
            }
            Map<BlobHash, byte[]> blobs = new LinkedHashMap<>();
            for (int n = in.readInt(); n > 0; n--) {
                byte[] h = new byte[32];
                in.readFully(h);
                byte[] b = new byte[in.readInt()];
                in.readFully(b);
                blobs.put(BlobHash.of(h), b);
            }
            store.systemBlobs(app).putMissing(blobs);
            HeapSession session = store.openHeap(new OpenRequest(app, "fixture-import", true, lineSize, Duration.ZERO, 0));
            try {
                session.commit(lines, new long[0], vmState, Map.of("device", "fixture-import", "reason", "import"));
            } finally {
                session.close();
            }
        }
    }
}
