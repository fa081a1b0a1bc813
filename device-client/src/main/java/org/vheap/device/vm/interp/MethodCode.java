package org.vheap.device.vm.interp;

import org.vheap.device.vm.loader.VmMethod;

/**
 * A method's bytecode prepared for the interpreter (see {@link Ops}): the code array, the symbolic references
 * its instructions resolve lazily, switch tables, the exception table and line numbers, all indexed by the
 * prepared code's positions. A pc saved in a checkpoint is such a position: preparation is deterministic for
 * given class bytes and {@link CodePreparer#VERSION}.
 */
final class MethodCode {
    final VmMethod method;
    final int[] code;
    final int maxLocals;
    final int maxStack;
    /** Symbolic references (ASM nodes), replaced in place by what they resolve to. */
    final Object[] refs;
    final int[][] switches;
    /** Exception table: quadruples of start (inclusive), end (exclusive), handler, catch-type ref index or -1. */
    final int[] handlers;
    /** Pairs of (first pc, source line), ascending by pc. */
    final int[] lines;
    /** Code index of each ASM instruction index, for the analyzer that finds references in activations. */
    final int[] pcOfInsn;
    /**
     * Calls and backward branches counted towards translating the method ({@link Translator}); negative once it
     * proved untranslatable.
     */
    int hotness;
    /** The method's translation by the tier, or null. */
    Translator.Translation translation;

    MethodCode(VmMethod method, int[] code, int maxLocals, int maxStack, Object[] refs, int[][] switches, int[] handlers,
               int[] lines, int[] pcOfInsn) {
        this.method = method;
        this.code = code;
        this.maxLocals = maxLocals;
        this.maxStack = maxStack;
        this.refs = refs;
        this.switches = switches;
        this.handlers = handlers;
        this.lines = lines;
        this.pcOfInsn = pcOfInsn;
    }

    /** The source line of the instruction at {@code pc}, or -1 when unknown. */
    int lineAt(int pc) {
        int line = -1;
        for (int i = 0; i < lines.length; i += 2) {
            if (lines[i] > pc) {
                break;
            }
            line = lines[i + 1];
        }
        return line;
    }
}
