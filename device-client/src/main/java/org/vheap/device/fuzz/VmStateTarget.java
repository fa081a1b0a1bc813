package org.vheap.device.fuzz;

import org.vheap.device.vm.VmLauncher;
import org.vheap.format.VmStateImage;

/**
 * Fuzz target {@code vm-state}: an input is a checkpoint's VM state (threads, frames, monitors, interned strings, class
 * table, attachments), read as a device reads it before it resumes an app ({@link VmLauncher#readState}).
 *
 * <p><b>What must hold:</b> the read ends with the image or with the IllegalArgumentException a resume reports ("the
 * checkpoint's VM state is truncated", "... corrupt ..."), never with another exception, a hang or running out of
 * memory: a damaged checkpoint is refused in one line and the device goes on.
 */
public final class VmStateTarget {
    private VmStateTarget() {
    }

    public static void fuzzerTestOneInput(byte[] input) {
        try {
            VmLauncher.readState(input);
        } catch (IllegalArgumentException expected) {
            // the refusal a resume reports
        }
    }
}
