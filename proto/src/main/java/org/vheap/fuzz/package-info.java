/**
 * Fuzzing with Jazzer, shared by the modules that have fuzz targets: {@link org.vheap.fuzz.JazzerRun} runs one target
 * in a child JVM and reads libFuzzer's figures; each module's {@code fuzz} command ({@code ./vheap fuzz TARGET}) and
 * its tests name the targets and their seed corpora ({@code MODULE/src/fuzz/TARGET/}).
 */
package org.vheap.fuzz;
