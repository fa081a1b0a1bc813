package org.vheap.format;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The system blobs a checkpoint needs to resume: the class file of every class in its VM state's class table (a device
 * slices each class's lines from its blob on a miss), and the app's class path files its manifest names (a device
 * reads them by hash as the app asks for them). An export carries exactly these beside the lines.
 */
public final class CheckpointBlobs {
    private CheckpointBlobs() {
    }

    /**
     * The blobs named by a checkpoint's VM state, in the order it names them; none when the bytes are not a device
     * VM's state at all (the store keeps whatever bytes a client commits: a client other than the device VM names no
     * blob).
     *
     * @throws IllegalArgumentException when the bytes are a damaged device VM state (saying what is wrong)
     */
    public static Set<BlobHash> of(byte[] vmState) {
        if (!isDeviceState(vmState)) {
            return Set.of();
        }
        VmStateImage state = VmStateImage.decode(vmState, VmStateImage.ANY_PREPARER);
        Set<BlobHash> blobs = new LinkedHashSet<>();
        for (VmStateImage.ClassImage c : state.classes) {
            if (c.sha256() != null) {
                blobs.add(BlobHash.of(c.sha256()));
            }
        }
        byte[] manifest = state.attachments.get(ClassPathManifest.ATTACHMENT);
        if (manifest != null) {
            blobs.addAll(ClassPathManifest.decode(manifest).blobs());
        }
        return blobs;
    }

    /** Whether the bytes are (or claim to be: they start with its magic) a device VM's state. */
    public static boolean isDeviceState(byte[] vmState) {
        return vmState.length >= 4 && ((vmState[0] & 0xFF) << 24 | (vmState[1] & 0xFF) << 16 | (vmState[2] & 0xFF) << 8
                | vmState[3] & 0xFF) == VmStateImage.MAGIC;
    }
}
