package org.vheap.device.vm.interp;

import org.vheap.device.vm.loader.VmClass;
import org.vheap.device.vm.loader.VmMethod;

/** An invokeinterface (or virtual call through an interface-declared method) site with a one-entry inline cache. */
final class InterfaceSite {
    final VmMethod resolved;
    final String key;
    VmClass lastReceiver;
    VmMethod lastTarget;

    InterfaceSite(VmMethod resolved) {
        this.resolved = resolved;
        this.key = resolved.key();
    }
}
