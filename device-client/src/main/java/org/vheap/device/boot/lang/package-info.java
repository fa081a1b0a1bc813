/** Boot classes for {@code java.lang}'s substitutions that must call back into Java (interpreted like the JDK). */
package org.vheap.device.boot.lang;
