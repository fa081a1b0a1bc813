package org.vheap.server.torture;

/**
 * The matrix could not go on (a process did not start, did not reach what it waited for, or did not end): not a loss
 * the matrix measures, but a failure of the run, said in one line.
 */
public final class TortureFailure extends RuntimeException {
    TortureFailure(String message) {
        super(message);
    }
}
