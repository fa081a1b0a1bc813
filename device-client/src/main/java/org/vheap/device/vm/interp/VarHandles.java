package org.vheap.device.vm.interp;

import java.util.HashMap;
import java.util.Map;
import org.objectweb.asm.Type;
import org.vheap.device.vm.JavaError;
import org.vheap.device.vm.Vm;
import org.vheap.device.vm.heap.HeapMemory;
import org.vheap.format.ObjectLayout;
import org.vheap.device.vm.heap.TypedAccess;
import org.vheap.device.vm.loader.VmClass;
import org.vheap.device.vm.loader.VmField;
import org.vheap.device.vm.thread.Activation;
import org.vheap.device.vm.thread.VmThread;

/**
 * VarHandles without java.lang.invoke. The factories ({@code MethodHandles.lookup},
 * {@code Lookup.findVarHandle}, {@code findStaticVarHandle}, {@code MethodHandles.arrayElementVarHandle}) are
 * substituted (see natives.VarHandleNatives) and make instances of the JDK's own VarHandle classes with their
 * fields set ({@code fieldOffset}, {@code base}, {@code abase}, {@code ashift}) and nothing else; a
 * signature-polymorphic call on one ({@code vh.compareAndSet(this, 0, 1)}) is linked to a {@link Site} and run
 * here against the heap. All green threads share one host thread, so every access mode (plain, opaque,
 * acquire/release, volatile) is the same single access and compare-and-set never fails spuriously.
 */
public final class VarHandles {
    /** How a VarHandle class reaches its variable, and the variable's type. */
    record Shape(char type, Kind kind) {
    }

    /** Where the variable is: a field of an object, a static field, an array element. */
    public enum Kind { INSTANCE, STATIC, ARRAY, BYTE_ARRAY_VIEW }

    /** A linked call site: the access mode and the site's descriptor. */
    record Site(String mode, String descriptor, int argSlots, char returnType) {
    }

    private final Vm vm;
    private final HeapMemory mem;
    private final Map<VmClass, Shape> shapes = new HashMap<>();

    VarHandles(Vm vm) {
        this.vm = vm;
        this.mem = vm.memory();
    }

    static Site site(String mode, String descriptor) {
        int slots = 1;
        for (Type t : Type.getArgumentTypes(descriptor)) {
            slots += t.getSize();
        }
        return new Site(mode, descriptor, slots, Type.getReturnType(descriptor).getDescriptor().charAt(0));
    }

    /** The JDK VarHandle class for a variable of this type reached this way. */
    public static String className(char type, Kind kind) {
        String family = switch (type) {
            case 'I' -> "Ints";
            case 'J' -> "Longs";
            case 'F' -> "Floats";
            case 'D' -> "Doubles";
            case 'Z' -> "Booleans";
            case 'B' -> "Bytes";
            case 'C' -> "Chars";
            case 'S' -> "Shorts";
            default -> "References";
        };
        String variant = switch (kind) {
            case INSTANCE -> "FieldInstanceReadWrite";
            case STATIC -> "FieldStaticReadWrite";
            case ARRAY -> "Array";
            case BYTE_ARRAY_VIEW -> throw new IllegalArgumentException("byte[] views are made by the JDK's own factory");
        };
        return "java/lang/invoke/VarHandle" + family + "$" + variant;
    }

    private Shape shapeOf(VmClass c) {
        return shapes.computeIfAbsent(c, k -> {
            String n = k.name();
            if (n.startsWith("java/lang/invoke/VarHandleByteArrayAs") && n.endsWith("$ArrayHandle")) {
                char viewType = switch (n.substring("java/lang/invoke/VarHandleByteArrayAs".length(), n.indexOf('$'))) {
                    case "Ints" -> 'I';
                    case "Longs" -> 'J';
                    case "Floats" -> 'F';
                    case "Doubles" -> 'D';
                    case "Chars" -> 'C';
                    case "Shorts" -> 'S';
                    default -> throw new JavaError("java/lang/UnsupportedOperationException", "the device VM does not run VarHandle " + k.javaName());
                };
                return new Shape(viewType, Kind.BYTE_ARRAY_VIEW);
            }
            int dollar = n.indexOf('$');
            if (!n.startsWith("java/lang/invoke/VarHandle") || dollar < 0) {
                throw new JavaError("java/lang/UnsupportedOperationException", "the device VM does not run VarHandle " + k.javaName());
            }
            char type = switch (n.substring("java/lang/invoke/VarHandle".length(), dollar)) {
                case "Ints" -> 'I';
                case "Longs" -> 'J';
                case "Floats" -> 'F';
                case "Doubles" -> 'D';
                case "Booleans" -> 'Z';
                case "Bytes" -> 'B';
                case "Chars" -> 'C';
                case "Shorts" -> 'S';
                case "References" -> 'L';
                default -> throw new JavaError("java/lang/UnsupportedOperationException", "the device VM does not run VarHandle " + k.javaName());
            };
            String variant = n.substring(dollar + 1);
            Kind kind = variant.startsWith("FieldInstance") ? Kind.INSTANCE : variant.startsWith("FieldStatic") ? Kind.STATIC
                    : variant.equals("Array") ? Kind.ARRAY : null;
            if (kind == null) {
                throw new JavaError("java/lang/UnsupportedOperationException", "the device VM does not run VarHandle " + k.javaName());
            }
            return new Shape(type, kind);
        });
    }

    /** Runs a VarHandle call site: its arguments are on top of the current activation's stack; completes the instruction. */
    void invoke(VmThread t, Site site) {
        Activation act = t.activations[t.depth - 1];
        long[] s = t.slots;
        int base = act.sp - site.argSlots();
        int handle = (int) s[base];
        if (handle == 0) {
            throw new JavaError("java/lang/NullPointerException", null);
        }
        VmClass hc = vm.classOf(handle);
        Shape shape = shapeOf(hc);
        int at = base + 1;
        long address;
        switch (shape.kind()) {
            case INSTANCE -> {
                int obj = (int) s[at++];
                if (obj == 0) {
                    throw new JavaError("java/lang/NullPointerException", null);
                }
                address = ObjectLayout.address(obj) + vm.getLongField(handle, field(hc, "fieldOffset"));
            }
            case STATIC -> address = ObjectLayout.address(vm.getIntField(handle, field(hc, "base")))
                    + vm.getLongField(handle, field(hc, "fieldOffset"));
            case BYTE_ARRAY_VIEW -> {
                viewOfBytes(t, site, shape.type(), handle, hc, base, at);
                return;
            }
            default -> {
                int array = (int) s[at++];
                int index = (int) s[at++];
                if (array == 0) {
                    throw new JavaError("java/lang/NullPointerException", null);
                }
                int length = vm.arrayLength(array);
                if (index < 0 || index >= length) {
                    throw new JavaError("java/lang/ArrayIndexOutOfBoundsException", "Index " + index + " out of bounds for length " + length);
                }
                address = ObjectLayout.address(array) + vm.getIntField(handle, field(hc, "abase"))
                        + ((long) index << vm.getIntField(handle, field(hc, "ashift")));
            }
        }
        char type = shape.type();
        String mode = site.mode();
        long result = 0;
        if (mode.startsWith("get") && !mode.startsWith("getAnd")) {
            result = read(address, type);
        } else if (mode.startsWith("set")) {
            write(address, type, s[at]);
        } else if (mode.startsWith("compareAndSet") || mode.startsWith("weakCompareAndSet")) {
            long expected = s[at];
            long update = s[at + (type == 'J' || type == 'D' ? 2 : 1)];
            boolean same = read(address, type) == normalize(expected, type);
            if (same) {
                write(address, type, update);
            }
            result = same ? 1 : 0;
        } else if (mode.startsWith("compareAndExchange")) {
            long expected = s[at];
            long update = s[at + (type == 'J' || type == 'D' ? 2 : 1)];
            result = read(address, type);
            if (result == normalize(expected, type)) {
                write(address, type, update);
            }
        } else if (mode.startsWith("getAndSet")) {
            result = read(address, type);
            write(address, type, s[at]);
        } else if (mode.startsWith("getAndAdd")) {
            result = read(address, type);
            write(address, type, add(result, s[at], type));
        } else if (mode.startsWith("getAndBitwiseOr")) {
            result = read(address, type);
            write(address, type, result | s[at]);
        } else if (mode.startsWith("getAndBitwiseAnd")) {
            result = read(address, type);
            write(address, type, result & s[at]);
        } else if (mode.startsWith("getAndBitwiseXor")) {
            result = read(address, type);
            write(address, type, result ^ s[at]);
        } else {
            throw new JavaError("java/lang/UnsupportedOperationException", "VarHandle." + mode + " is not supported on a device");
        }
        act.sp = base;
        char rt = site.returnType();
        if (rt == 'J' || rt == 'D') {
            s[act.sp] = result;
            act.sp += 2;
        } else if (rt != 'V') {
            s[act.sp++] = result;
        }
        act.pc += 3;
    }

    /**
     * A byte[] viewed as ints, longs, ... (MethodHandles.byteArrayViewVarHandle): any byte index, either byte
     * order; only plain get and set (what the JDK's ByteArrayAccess uses).
     */
    private void viewOfBytes(VmThread t, Site site, char type, int handle, VmClass hc, int base, int at) {
        long[] s = t.slots;
        int array = (int) s[at];
        int index = (int) s[at + 1];
        if (array == 0) {
            throw new JavaError("java/lang/NullPointerException", null);
        }
        int size = type == 'J' || type == 'D' ? 8 : type == 'I' || type == 'F' ? 4 : 2;
        int length = vm.arrayLength(array);
        if (index < 0 || index > length - size) {
            throw new JavaError("java/lang/ArrayIndexOutOfBoundsException", "Index " + index + " out of bounds for length " + length);
        }
        boolean bigEndian = vm.getByteField(handle, field(hc, "be")) != 0;
        long address = ObjectLayout.address(array) + ObjectLayout.ARRAY_BASE_OFFSET + index;
        Activation act = t.activations[t.depth - 1];
        String mode = site.mode();
        if (mode.startsWith("get") && !mode.startsWith("getAnd")) {
            long v = 0;
            for (int i = 0; i < size; i++) {
                long b = mem.getByte(address + (bigEndian ? i : size - 1 - i)) & 0xFF;
                v = (v << 8) | b;
            }
            v = size == 8 ? v : size == 4 ? (int) v : type == 'C' ? (char) v : (short) v;
            act.sp = base;
            s[act.sp] = v;
            act.sp += size == 8 ? 2 : 1;
        } else if (mode.startsWith("set")) {
            long v = s[at + 2];
            for (int i = 0; i < size; i++) {
                mem.putByte(address + (bigEndian ? size - 1 - i : i), (byte) (v >>> (8 * i)));
            }
            act.sp = base;
        } else {
            throw new JavaError("java/lang/UnsupportedOperationException", "VarHandle." + mode + " on a byte[] view is not supported on a device");
        }
        act.pc += 3;
    }

    private static VmField field(VmClass c, String name) {
        VmField f = c.fieldInHierarchy(name);
        if (f == null) {
            throw new IllegalStateException(c + " has no field " + name);
        }
        return f;
    }

    private long read(long address, char type) {
        long v = TypedAccess.read(mem, address, type);
        return type == 'Z' ? v & 1 : v;
    }

    private void write(long address, char type, long value) {
        if (type == 'L' || type == '[') {
            vm.putRef(address, (int) value);
        } else {
            TypedAccess.write(mem, address, type, value);
        }
    }

    private static long normalize(long slot, char type) {
        return switch (type) {
            case 'J', 'D' -> slot;
            case 'Z' -> slot & 1;
            case 'B' -> (byte) slot;
            case 'C' -> (char) slot;
            case 'S' -> (short) slot;
            default -> (int) slot;
        };
    }

    private static long add(long current, long delta, char type) {
        return switch (type) {
            case 'F' -> Float.floatToRawIntBits(Float.intBitsToFloat((int) current) + Float.intBitsToFloat((int) delta));
            case 'D' -> Double.doubleToRawLongBits(Double.longBitsToDouble(current) + Double.longBitsToDouble(delta));
            case 'J' -> current + delta;
            default -> normalize(current + delta, type);
        };
    }
}
