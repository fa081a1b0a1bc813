/**
 * The interpreter: prepared code, the dispatch loop, quickening, calls and class initialization, and exceptions.
 *
 * <h2>Instruction encoding</h2>
 * A method's bytecode is prepared once, at its first call ({@link org.vheap.device.vm.interp.CodePreparer}, kept in
 * {@code VmMethod.code} as a {@link org.vheap.device.vm.interp.MethodCode}), from ASM's instruction list: an
 * {@code int[]} where {@code code[pc]} is an op and its operands follow in the next slots, each op with a fixed
 * length ({@link org.vheap.device.vm.interp.Ops#length}). Ops are the JVM's opcodes with their numbers (JVMS 6.5),
 * operands decoded into ints (a local's index, an {@code iinc}'s constant, a branch target as an absolute index into
 * {@code code}), plus {@code ldc} split by the constant's kind ({@code LDC_INT}, {@code LDC_LONG}: the value inline;
 * {@code LDC_OBJECT}: a String or Class) and the quick forms (from 203, below). Labels take the position of the next
 * instruction; {@code wide} is gone (ASM expands it); {@code jsr}/{@code ret} are refused (VerifyError: class files
 * before version 51). Beside the code: {@code refs}, the symbolic references instructions name (ASM's instruction
 * nodes, catch types), replaced in place by what they resolve to; switch tables; the exception table as quadruples
 * (start, end, handler, catch-type ref or -1); (pc, line) pairs; and each ASM instruction's pc, for the analyses
 * that read the bytecode again ({@link org.vheap.device.vm.interp.StackRoots},
 * {@link org.vheap.device.vm.interp.NullPointerMessages}). Preparation is deterministic for given class bytes: a
 * checkpoint saves pcs as positions in prepared code, with {@code CodePreparer.VERSION}.
 *
 * <h2>Dispatch</h2>
 * {@link org.vheap.device.vm.interp.Interpreter#run} runs one green thread: a {@code switch} on {@code code[pc]}
 * with the current activation's pc, sp, locals base, code and the thread's slot array in host locals. Locals and
 * operand stacks of all the thread's activations share that {@code long[]} (long and double take two slots, the
 * value in the first; a reference is an {@code int} in a slot); a callee's arguments become its first locals in
 * place. Every heap access goes through {@code HeapMemory} (the cache table's translation and barriers). Before
 * anything that may call, block, switch threads or throw, the loop writes pc and sp back to the activation; after a
 * call, a return, a link that pushed activations or a throw it reloads them from the thread's top activation
 * ({@code continue outer}). An instruction moves pc only after all in it that may throw, and sp only after an
 * allocation, so the handlers find the faulting instruction and its operands in the loop's own pc and sp (nothing is
 * copied per instruction for them). Rarer work is kept out of the loop so the host JIT compiles it well:
 * {@link org.vheap.device.vm.interp.MethodInvoker} (calls, returns, natives and what they defer),
 * {@link org.vheap.device.vm.interp.InstructionLinker}, {@link org.vheap.device.vm.interp.ClassInitializer},
 * {@link org.vheap.device.vm.interp.ArrayInstructions}, {@link org.vheap.device.vm.interp.VarHandles},
 * {@link org.vheap.device.vm.interp.CallSites} (an {@code invokedynamic} site becomes an {@code invokestatic} of a
 * class the {@code indy} package synthesizes).
 *
 * <h2>Quickening</h2>
 * An instruction with a symbolic reference ({@code getfield}, {@code putstatic}, the invokes, {@code new},
 * {@code checkcast}, {@code instanceof}, {@code anewarray}, {@code ldc} of a String or Class) is resolved the first
 * time it runs (JVMS 5.4.3) and rewritten in place into its quick form ({@link org.vheap.device.vm.interp.Ops}):
 * a field access by its width, with the offset (and for a static the mirror's reference) as operands (a store of a
 * reference as {@code PUTFIELD_REF} or {@code PUTSTATIC_REF}, through the nursery's write barrier); a call as
 * {@code INVOKEVIRTUAL_Q} (vtable index), {@code INVOKEDIRECT_Q} (static, special, private, final: a known method)
 * or {@code INVOKEINTERFACE_Q} (an {@link org.vheap.device.vm.interp.InterfaceSite} with a one-entry inline cache);
 * {@code NEW_Q} with the class id; an {@code ldc} as {@code LDC_REF} with the interned string or mirror inline (the
 * objects the VM allocates in the user heap and a compacting collection pins: {@code Vm.forEachPinnedRoot}). Each instruction resolves once. An instruction whose class
 * this thread is still initializing runs without being rewritten, so other threads stop at it until the class is
 * initialized. A resumed VM prepares code afresh and quickens again.
 *
 * <h2>Safepoints and the quantum</h2>
 * A thread runs until it has spent its quantum ({@code DeviceConfig.quantum}, 10,000 by default): each quickened
 * call and each backward branch (a switch's backward case too) costs one. Then, or when it blocks (a monitor, a blocking native), yields, ends or the VM is
 * exiting, {@code run} returns with every activation saved: the thread stands between two instructions. A safepoint
 * asked for from any thread ({@code Vm.requestSafepoint}: a suspend, a stop, a checkpoint) ends the quantum at
 * the next backward branch or call, as HotSpot's safepoint polls do: a quantum whose instructions wait for the store
 * (each fault a millisecond or more) would otherwise hold a suspend for as long as its faults take. The
 * launcher's loop ({@code VmLauncher}) is the safepoint: no thread is inside an instruction, so it may collect
 * garbage (the roots of a thread are its activations' reference slots, {@link org.vheap.device.vm.interp.StackRoots},
 * typed by an ASM analysis of the bytecode at each pc), tell the device's {@code SafepointListener} (a checkpoint
 * or a suspension) and pick the next thread. An allocation that finds the heap full ({@code HeapExhausted}) puts its
 * instruction back (pc and sp as before it) and ends the quantum: the launcher collects and the instruction runs
 * again, or, when the same instruction fails again right after the collection it asked for, throws
 * OutOfMemoryError. A thread that blocked in a native finishes the call when it next runs
 * ({@code natives.BlockingCalls#finish}: an interrupted {@code sleep} or {@code wait} throws there).
 *
 * <h2>The tier</h2>
 * {@link org.vheap.device.vm.interp.TierRuntime} counts each method's calls and backward branches (in
 * {@code MethodCode.hotness}) and, from a threshold on ({@code DeviceConfig.tierThreshold}), has
 * {@link org.vheap.device.vm.interp.Translator} translate its prepared code into a host class
 * ({@link org.vheap.device.vm.interp.TranslatedCode}), entered from the loop at pc 0 and at loop headers. The
 * translation mirrors the interpreter's cases slot for slot on host locals and hands back, by writing the activation
 * to the slots and returning a pc, every instruction it does not run; calls between translated methods nest on the
 * host stack ({@code TierRuntime.call}) with real activations pushed, so any of them can stop and leave the rest to the
 * interpreter. At the end of the quantum translated code stops at a backward branch or a call, like the loop: a
 * safepoint never sees a translated frame. A host StackOverflowError inside translated code (nesting is bounded, so
 * only on a host stack already nearly full) is not caught: the device fails rather than resume from a state not
 * written back. A translation keeps no state of its own (its runtime and constants are arguments of each call), so
 * the VMs sharing a code cache share translations with equal bytes ({@code loader.HostClasses}): a method translated
 * exactly as another VM of the device did (the same quickened code and class ids: often the JDK's methods, and an app
 * run or resumed again) runs code the host JIT has already compiled. Over a paged heap, a translation's int and long
 * accesses do the barrier's fast path themselves: a look in the heap's translation caches (one array, read in place
 * at every access, written only by the heap) and an access to its frame bytes, the barrier called only when both
 * entries miss ({@code TranslationWriter.index}); a translation that would be too long for the host JIT that way is
 * made again with a call per access.
 *
 * <h2>Exceptions</h2>
 * An error the VM detects (a null receiver, an index out of bounds, a failed resolution, a native's refusal) is a
 * host {@code JavaError} naming the Java exception class; the loop catches it and
 * {@link org.vheap.device.vm.interp.ThrowableFactory} makes the exception object without running Java code (fields
 * set directly, the stack trace captured by {@link org.vheap.device.vm.interp.Backtraces}, above it the methods
 * HotSpot shows for a native or the app class loader, {@link org.vheap.device.vm.interp.AppLoaderBacktrace}).
 * {@code athrow} and natives that rethrow a Java exception use {@link org.vheap.device.vm.interp.VmThrow}. A host
 * StackOverflowError becomes a Java one; a thread's own stack is bounded by {@code VmThread.MAX_DEPTH} activations
 * and {@code MAX_SLOTS} slots. {@link org.vheap.device.vm.interp.ExceptionUnwinder} then unwinds: the activation's
 * pc is the faulting instruction (or, after a native call whose work was not over, the call:
 * {@code Activation.faultPc}), each activation's exception table is searched in order, monitors of synchronized
 * methods left are released, reflective calls wrap the exception in InvocationTargetException and a class
 * initializer left this way makes its class erroneous (ExceptionInInitializerError). With no handler the stack
 * empties and the launcher dispatches the exception as HotSpot does ({@code Thread.dispatchUncaughtException}).
 */
package org.vheap.device.vm.interp;
