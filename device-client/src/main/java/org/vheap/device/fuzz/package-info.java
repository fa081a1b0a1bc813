/**
 * The device's fuzz targets ({@code ./vheap fuzz class-files | vm-state}, run under Jazzer by
 * {@link org.vheap.fuzz.JazzerRun}): an app's class file loaded by the VM's class table, and a checkpoint's VM state
 * read for a resume, must end in what the app or the resume reports (a {@code JavaError}, an IllegalArgumentException),
 * never in another exception, a hang or running out of memory. Their seed corpora, the samples' and some of the JDK's
 * class files and VM states of checkpoints of running samples, are under {@code device-client/src/fuzz/}.
 */
package org.vheap.device.fuzz;
