/**
 * The device VM: runs unmodified Java 17 programs, and the JDK's own library, by interpreting their bytecode
 * over an app's virtual heap.
 *
 * <ul>
 *   <li>{@code loader}: class files (ASM) from the host JDK's {@code jrt:/}, the class path or synthesis;
 *       classes, fields, methods, vtables and resolution as the VM sees them (JVMS 5); the system segment, where
 *       the class files are read-only lines of the virtual heap.</li>
 *   <li>{@code interp}: the interpreter loop over prepared code, calls and returns, linking and quickening, class
 *       initialization, exceptions and stack traces, stack maps for the collector, invokedynamic call sites,
 *       VarHandles.</li>
 *   <li>{@code indy}: synthesizes an ordinary class for each invokedynamic site javac emits.</li>
 *   <li>{@code heap}: the one heap format ({@code ObjectLayout}), allocation, the collector; {@code heap.paging}:
 *       the seed's cache of lines (cache table, frames, barriers, eviction, flushing).</li>
 *   <li>{@code thread}: green threads, their activations, the scheduler and monitors.</li>
 *   <li>{@code natives}: the JDK's native methods and the VM's substitutions (one class per JDK area); the blocking
 *       calls and their interrupts.</li>
 * </ul>
 *
 * <p>{@link org.vheap.device.vm.Vm} holds one app's VM (heap, classes, threads, clocks, console), with
 * {@link org.vheap.device.vm.ClassMirrors} (each class's {@code java.lang.Class} object and statics),
 * {@link org.vheap.device.vm.VmStrings} (strings and the intern table) and {@link org.vheap.device.vm.Boxing}
 * (wrapper objects for reflection);
 * {@link org.vheap.device.vm.VmLauncher} boots the library and runs a main class, scheduling green threads and
 * collecting garbage at safepoints (every thread between instructions, its activations saved), where a
 * {@link org.vheap.device.vm.SafepointListener} may checkpoint or suspend the app. A checkpoint's VM state is a
 * {@link org.vheap.format.VmStateImage} (class table, interned strings, free space, threads and activations,
 * monitors, clocks): {@code VmLauncher.checkpointState} takes one and {@code VmLauncher.resume} rebuilds a VM
 * from one over the checkpoint's heap, replaying the class table in definition order so every class gets its
 * id, method ids and mirror back. Host objects
 * ({@code VmClass}, prepared code, analyses, parsed class files) are caches rebuilt from the class bytes in the
 * heap's system segment; objects, arrays, statics and
 * strings live in the virtual heap, named by references that never point into host memory.
 */
package org.vheap.device.vm;
