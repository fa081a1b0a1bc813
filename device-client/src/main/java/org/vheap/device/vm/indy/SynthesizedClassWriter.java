package org.vheap.device.vm.indy;

import org.objectweb.asm.ClassWriter;

/**
 * The {@link ClassWriter} every synthesized class is written with: stack map frames are computed, and computing them
 * never loads a class. The generated code never merges two different reference types at a branch target
 * (locals are only the parameters plus at most one local stored before any branch reaches it), so the answer
 * of {@link #getCommonSuperClass} is never consulted for a real merge; {@code java/lang/Object} is safe.
 */
final class SynthesizedClassWriter extends ClassWriter {
    SynthesizedClassWriter() {
        super(ClassWriter.COMPUTE_FRAMES);
    }

    @Override
    protected String getCommonSuperClass(String type1, String type2) {
        return "java/lang/Object";
    }
}
