package org.vheap.device.boot.files;

/**
 * An open file of the app's file system: what a {@code java.io.FileDescriptor}'s number names, with its position
 * and mode. It lives in the heap (the table of {@link HeapFiles}), so a stream open at a checkpoint is open, at the
 * same position, after a resume on any device.
 */
final class OpenFile {
    final FileNode node;
    final boolean readable;
    final boolean writable;
    final boolean append;
    long position;

    OpenFile(FileNode node, boolean readable, boolean writable, boolean append) {
        this.node = node;
        this.readable = readable;
        this.writable = writable;
        this.append = append;
    }
}
