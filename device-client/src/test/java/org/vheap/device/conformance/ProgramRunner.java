package org.vheap.device.conformance;

import org.vheap.device.conformance.ProgramCompiler.CompiledProgram;

/**
 * Runs a compiled program to completion with its markers applied (arguments, standard input, heap limit) and
 * captures what it did. Implementations: {@link HotSpotRunner} (the reference) and {@link DeviceRunner} (the
 * device VM under test).
 */
public interface ProgramRunner {
    /** A short label for test names and messages. */
    String name();

    /**
     * Runs the program; throws only when the runner itself fails (a timeout, a crash of the runner), never for
     * anything the program does.
     */
    RunResult run(CompiledProgram program) throws Exception;
}
