/**
 * The app-facing API of vheap: a small jar an app compiles against when it wants to take part in its own
 * checkpoints. Apps that do not use it need nothing.
 *
 * <p>{@link org.vheap.api.Checkpoint#now()} commits a checkpoint and returns its id; listeners hear of
 * checkpoints (also those taken by the device's policy), of failed ones, and of the app being resumed on a
 * device. On a vheap device VM the methods marked as VM entry points are replaced by the VM; on any other JVM
 * they throw {@link java.lang.UnsatisfiedLinkError}, which the API turns into "not on a vheap device"
 * ({@link org.vheap.api.Checkpoint#available()} is false, {@link org.vheap.api.Checkpoint#now()} throws
 * {@link java.lang.IllegalStateException}).
 */
package org.vheap.api;
