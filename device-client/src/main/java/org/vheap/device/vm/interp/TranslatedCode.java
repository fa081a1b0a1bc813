package org.vheap.device.vm.interp;

/**
 * A method's prepared code translated into a host class by {@link Translator}: it runs the method's instructions from
 * an entry point (pc 0 or a loop header) on host locals until it meets an instruction it leaves to the interpreter, a
 * check that fails (the interpreter then runs that instruction and throws) or the end of the quantum at a backward
 * branch; then it writes the locals and the operand stack back to the thread's slots and returns where it stopped.
 */
public interface TranslatedCode {
    /**
     * Runs from {@code pc} (an entry point) with the activation's locals at {@code s[bp ..]} and its operand stack
     * above them. Returns {@code (pc << 32) | sp}: the instruction the interpreter runs next and the slot above the
     * operand stack, the activation's whole state written back to {@code s}. Spends {@link TierRuntime#budget}.
     */
    long run(long[] s, int bp, int pc, TierRuntime rt, Object[] constants);
}
