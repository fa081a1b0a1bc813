package org.vheap.device.vm.natives;

import org.vheap.device.vm.Vm;
import org.vheap.format.ObjectLayout;
import org.vheap.device.vm.interp.Backtraces;
import org.vheap.device.vm.loader.VmClass;
import org.vheap.device.vm.loader.VmField;

/** Throwable's stack trace capture and StackTraceElement's initialization from a backtrace. */
final class ThrowableNatives {
    private ThrowableNatives() {
    }

    static void register(Natives n, Vm vm, Backtraces backtraces) {
        n.register("java/lang/Throwable", "fillInStackTrace", "(I)Ljava/lang/Throwable;", (t, s, b) -> {
            backtraces.fillInStackTrace(t, (int) s[b]);
            return s[b];
        });
        n.register("java/lang/NullPointerException", "getExtendedNPEMessage", "()Ljava/lang/String;",
                (t, s, b) -> backtraces.extendedNpeMessage((int) s[b]));
        n.register("java/lang/StackTraceElement", "initStackTraceElements",
                "([Ljava/lang/StackTraceElement;Ljava/lang/Throwable;)V", (t, s, b) -> {
                    int elements = (int) s[b];
                    int throwable = (int) s[b + 1];
                    VmClass tc = vm.classes().load("java/lang/Throwable");
                    int backtrace = vm.getIntField(throwable, tc.declaredField("backtrace"));
                    int depth = vm.getIntField(throwable, tc.declaredField("depth"));
                    VmClass ste = vm.classes().load("java/lang/StackTraceElement");
                    VmField declaringClass = ste.declaredField("declaringClass");
                    VmField methodName = ste.declaredField("methodName");
                    VmField fileName = ste.declaredField("fileName");
                    VmField lineNumber = ste.declaredField("lineNumber");
                    VmField moduleName = ste.declaredField("moduleName");
                    VmField declaringClassObject = ste.declaredField("declaringClassObject");
                    for (int i = 0; i < depth && i < vm.arrayLength(elements); i++) {
                        int e = vm.memory().getInt(Vm.elementAddress(elements, i, 2));
                        Backtraces.StackEntry entry = backtraces.stackEntry(backtrace, i);
                        VmClass owner = entry.method().owner();
                        long a = ObjectLayout.address(e);
                        vm.putRef(a + declaringClassObject.offset(), owner.mirror());
                        vm.putRef(a + declaringClass.offset(), vm.strings().intern(owner.javaName()));
                        vm.putRef(a + methodName.offset(), vm.strings().intern(entry.method().name()));
                        if (owner.sourceFile() != null) {
                            vm.putRef(a + fileName.offset(), vm.strings().intern(owner.sourceFile()));
                        }
                        vm.memory().putInt(a + lineNumber.offset(), entry.line());
                        if (owner.module() != null) {
                            vm.putRef(a + moduleName.offset(), vm.strings().intern(owner.module()));
                        }
                    }
                    return 0;
                });
    }
}
