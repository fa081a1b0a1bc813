/**
 * The device VM: a Java-bytecode interpreter whose object heap is a bounded cache of lines of the virtual
 * heap, speaking the {@code vheap.v1.HeapStore} contract. Not built yet: it is the subject of issue 4;
 * this module exists so the build has its final shape.
 */
package org.vheap.device;
