/**
 * Classes as the VM sees them (JVMS 5): class files from the host JDK's {@code jrt:/}, the app's class path or
 * synthesis ({@link org.vheap.device.vm.loader.ClassSource}), parsed with ASM, linked into
 * {@link org.vheap.device.vm.loader.VmClass}es with field layouts, vtables and resolution
 * ({@link org.vheap.device.vm.loader.ClassRegistry}); and the system segment they live in.
 *
 * <p>A class file is checked first ({@link org.vheap.device.vm.loader.ClassFileBounds}: magic, version, and that
 * its structure fits its bytes), so one that is no class file never enters the heap; the error is the one HotSpot
 * reports, with its message. Errors HotSpot throws from the defining loader's {@code defineClass1} (those checks, a
 * wrong name, an impossible superclass) are marked as such for an app class, whose stack trace then starts with
 * the app class loader's methods, as on HotSpot.
 *
 * <h2>The system segment</h2>
 * The seed's system pages: read-only class bytes shared by every app of a store. Each distinct class file the
 * VM defines (by SHA-256) gets a line-aligned place in the system range of the virtual heap, in definition
 * order ({@link org.vheap.device.vm.loader.SystemSegmentMap}); the heap header records the places (format
 * version 2), so a VM rebuilding from the heap maps the same addresses. Defining a class puts its bytes into
 * system lines of the cache table, clean and without a store read, and the ASM parse reads them back through
 * the heap. Those lines share the device's frames (and {@code --memory}) with the user lines, are evicted like
 * clean lines and fault back in from the store's system blobs
 * ({@link org.vheap.device.vm.loader.SystemSegment}, which keeps at most the last class file it fetched).
 *
 * <p>Uploads are eager, in batches: a class file defined from the host (or synthesized) is kept on the host
 * until it is uploaded, because its lines may be evicted before then; the definition that brings the class
 * files waiting to 1 MiB uploads them ({@code missing}, then {@code put} of those the store lacks), and so
 * does every heap header (after each collection and when the app ends: no header names a class file the store
 * lacks). Uploading only at safepoints (the first version) does not bound the host copies: the launcher runs
 * each boot step ({@code System.initPhase1} and the rest) to its end without a safepoint, so most of the boot's
 * class files would wait for it. One upload per class would cost a store round trip or two per class while
 * the library boots; batching costs a few per boot and keeps at most 1 MiB plus one class file on the host.
 * Uploads need no safepoint: the blobs are immutable and store-wide. Measured on a busy 2-core machine (fresh
 * process, in-memory store, boot and a hello world, three runs each): 1.9-3.4 s at 512 KiB and 2.2-2.5 s at
 * 64 MiB of device memory with class files as system lines, against 2.1-3.5 s and 2.6-4.0 s when they were
 * kept on the host and stored at the app's end: no difference beyond the noise. {@code ./vheap bench vm}: see
 * docs/benchmarks.md.
 *
 * <h2>The code cache</h2>
 * {@link org.vheap.device.vm.loader.ParsedClasses} holds ASM trees by class-file hash, shared by the VMs of one
 * process: like a JIT's code cache it is derived from the system lines and is not part of any heap; with it a
 * class defined again parses nothing and reads none of its lines. It also holds the tier's translations
 * ({@link org.vheap.device.vm.loader.HostClasses}, hidden host classes by the bytes that define them, at most 2,048),
 * so VMs of one process that translate a method the same way share the host JIT's compiled code.
 * {@code VmClass}es, prepared code and analyses are per-VM host caches of the same kind. What an app needs to go on (statics, mirrors, init
 * states, interned strings, the class table and the placements) is in its heap.
 */
package org.vheap.device.vm.loader;
