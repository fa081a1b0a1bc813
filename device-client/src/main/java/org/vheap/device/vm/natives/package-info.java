/**
 * The device VM's implementations of the JDK's native methods, and its substitutions for Java methods the device
 * cannot run as written (reflection, {@code java.lang.invoke}, service loading). The JDK's library runs unmodified
 * on the interpreter; only these methods are the VM's.
 *
 * <h2>One class per JDK area</h2>
 * {@link org.vheap.device.vm.natives.NativeLibrary#registerAll} registers them all, area by area: {@code Object}
 * (identity, clone, notify), {@code Class} and {@code forName0}, {@code System}/{@code Runtime}/{@code Shutdown} and
 * the VM-facing internals the library's start-up calls (with the fixed system properties a device reports), numbers
 * and {@code StrictMath} and the {@code String} natives, {@code Throwable}'s stack traces, {@code Thread} on green
 * threads, the calls that block a thread and their interrupts ({@link org.vheap.device.vm.natives.BlockingCalls}),
 * {@code Unsafe} over the virtual heap, the console behind {@code System.in/out/err}, the app's files
 * ({@code java.io}, file channels and {@code java.nio.file}, forwarded to the heap's file system
 * {@code org.vheap.device.boot.files} through {@link org.vheap.device.vm.natives.BootCalls}), sockets (host sockets
 * leased on the device's network, {@code vm.net}), native libraries (there are none), {@code Reference},
 * {@code java.lang.reflect.Array}, the one locale's format symbols, core reflection, the VarHandle factories, and
 * checksums and message digests. Each class's javadoc says what it answers and how. A device adds its own before the
 * app starts ({@code VmLauncher.natives()}: the app API, resource leases).
 *
 * <h2>Registration and binding</h2>
 * {@link org.vheap.device.vm.natives.Natives} maps {@code owner.name(descriptor)} to a
 * {@link org.vheap.device.vm.natives.NativeMethod}; registering a method twice is an error. A native method is
 * bound at its first call ({@code MethodInvoker}); a method with bytecode that has a registration is substituted
 * at its first call (a {@code <clinit>} when its class initializes), its bytecode never run.
 *
 * <h2>What a native may do</h2>
 * It gets the thread and its arguments in the thread's slots and returns its result raw. It runs on the host, inside
 * the invoke instruction, so it must not run Java code there: it asks the thread for deferred calls and class
 * initializations instead, which run as activations right after it returns; to block, it sets the thread's state
 * and the scheduler resumes the thread after the call. It reports an error as a {@code JavaError} naming the Java
 * exception; the exception's stack trace then starts with the native method, as HotSpot's does. A native that fails
 * has not happened: what it deferred is dropped.
 *
 * <h2>An unknown native</h2>
 * A native method with no registration throws UnsatisfiedLinkError when first called, with HotSpot's message
 * ({@code 'void C.m()'}), which the app may catch; {@code registerNatives} and {@code initIDs} need none and do
 * nothing. The VM loads no native libraries: {@code System.loadLibrary} throws UnsatisfiedLinkError.
 */
package org.vheap.device.vm.natives;
