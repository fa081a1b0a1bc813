/**
 * The {@code vheap} command line (picocli), run by the {@code ./vheap} launcher: {@code server}, the store
 * tools ({@code apps}, {@code checkpoints}, {@code delete-checkpoint}, {@code delete-app}), the control
 * plane ({@code devices}, {@code suspend}, {@code resume}, {@code migrate}), {@code demo} and {@code bench}.
 * Failures print one line saying what to fix; exit 2 for bad usage, 1 for a failed operation.
 */
package org.vheap.server.cli;
