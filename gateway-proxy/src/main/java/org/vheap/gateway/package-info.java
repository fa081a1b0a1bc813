/**
 * The gateway proxy between devices and heap servers. Not built yet: it is the subject of issue 7; this
 * module exists so the build has its final shape.
 */
package org.vheap.gateway;
