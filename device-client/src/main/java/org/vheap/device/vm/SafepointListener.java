package org.vheap.device.vm;

/**
 * Called by the {@link VmLauncher} at each safepoint of a running app — between two quanta, every green thread
 * between bytecodes — where a device may checkpoint the app or suspend it. Called on the interpreter host
 * thread; keep it cheap when there is nothing to do (it runs every quantum).
 */
@FunctionalInterface
public interface SafepointListener {
    /**
     * @param collected whether a garbage collection ran at this safepoint
     * @param switched  whether the last quantum ran another green thread than the one before it
     * @return true to suspend the app here: {@link VmLauncher#launch} or {@link VmLauncher#resume} returns
     *         {@link VmLauncher#SUSPENDED} and the VM must not run again
     */
    boolean atSafepoint(boolean collected, boolean switched);
}
