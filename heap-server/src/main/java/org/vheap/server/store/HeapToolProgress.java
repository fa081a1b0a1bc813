package org.vheap.server.store;

/**
 * How far a long heap-tool call (an export, an import, an inspection's reading and walk) has come, as it reports it
 * between its steps.
 *
 * @param phase       what it is doing: {@code "blobs"}, {@code "lines"}, {@code "committing"}, {@code "marking"}
 * @param linesDone  the checkpoint's lines written or read so far
 * @param linesTotal the checkpoint's lines in all
 * @param bytesDone  the image file's bytes written or read so far
 * @param objectsDone a walk's objects reached so far
 */
public record HeapToolProgress(String phase, long linesDone, long linesTotal, long bytesDone, long objectsDone) {
    public HeapToolProgress(String phase, long linesDone, long linesTotal, long bytesDone) {
        this(phase, linesDone, linesTotal, bytesDone, 0);
    }
}
