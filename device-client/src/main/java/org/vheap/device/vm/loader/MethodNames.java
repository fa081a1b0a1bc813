package org.vheap.device.vm.loader;

import org.objectweb.asm.Type;

/** Method names as HotSpot writes them in error messages: {@code 'void Foo.bar(int, java.lang.String)'}. */
public final class MethodNames {
    private MethodNames() {
    }

    public static String readable(String name, String descriptor, String javaClassName) {
        StringBuilder b = new StringBuilder();
        b.append(Type.getReturnType(descriptor).getClassName()).append(' ').append(javaClassName).append('.').append(name).append('(');
        Type[] args = Type.getArgumentTypes(descriptor);
        for (int i = 0; i < args.length; i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(args[i].getClassName());
        }
        return b.append(')').toString();
    }
}
