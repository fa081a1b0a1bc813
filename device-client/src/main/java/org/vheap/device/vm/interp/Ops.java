package org.vheap.device.vm.interp;

/**
 * The interpreter's instruction set: the JVM opcodes (JVMS 6.5, same numbers) with their operands decoded
 * into ints by {@link CodePreparer}, plus "quick" forms (numbers from 203) that an instruction rewrites itself
 * into once its symbolic reference is resolved, so resolution happens once per instruction.
 *
 * <p>Encoding: {@code code[pc]} is the op; its operands follow in the next slots; each op has a fixed length.
 * Branch operands are absolute indexes into the code array.
 */
final class Ops {
    private Ops() {
    }

    /** [value] : int or float bits. */
    static final int LDC_INT = 203;
    /** [high, low] : long or double bits. */
    static final int LDC_LONG = 204;
    /** [refIndex] : a String or Class constant, resolved on first execution into LDC_REF. */
    static final int LDC_OBJECT = 205;
    /** [reference] : a resolved constant (interned string or mirror; both are permanent roots). */
    static final int LDC_REF = 206;

    // field access, quick: [offset, unused] for instance fields; [mirrorRef, offset] for statics
    static final int GETFIELD_I32 = 210;
    static final int GETFIELD_I64 = 211;
    static final int GETFIELD_I8 = 212;
    static final int GETFIELD_U16 = 213;
    static final int GETFIELD_I16 = 214;
    static final int PUTFIELD_I32 = 215;
    static final int PUTFIELD_I64 = 216;
    static final int PUTFIELD_I8 = 217;
    static final int PUTFIELD_I16 = 218;
    /** A reference field: the store goes through the write barrier. */
    static final int PUTFIELD_REF = 219;
    static final int GETSTATIC_I32 = 220;
    static final int GETSTATIC_I64 = 221;
    static final int GETSTATIC_I8 = 222;
    static final int GETSTATIC_U16 = 223;
    static final int GETSTATIC_I16 = 224;
    static final int PUTSTATIC_I32 = 225;
    static final int PUTSTATIC_I64 = 226;
    static final int PUTSTATIC_I8 = 227;
    static final int PUTSTATIC_I16 = 228;
    /** A reference static (in a mirror, in the user heap): the store goes through the write barrier. */
    static final int PUTSTATIC_REF = 229;

    /** [refIndex, vtableIndex] */
    static final int INVOKEVIRTUAL_Q = 230;
    /** [refIndex, unused] : a call with a known target (static, special, private, final). */
    static final int INVOKEDIRECT_Q = 231;
    /** [refIndex, unused] : refs[refIndex] is an InterfaceSite with an inline cache. */
    static final int INVOKEINTERFACE_Q = 232;
    /** [classId] */
    static final int NEW_Q = 233;
    /** [refIndex] : refs holds the resolved class. */
    static final int CHECKCAST_Q = 234;
    static final int INSTANCEOF_Q = 235;
    /** [refIndex] : refs holds the resolved array class. */
    static final int ANEWARRAY_Q = 236;

    /** [refIndex, unused] : refs holds a VarHandles.Site (a signature-polymorphic VarHandle call). */
    static final int VARHANDLE_Q = 237;

    /** Length in slots of each op, operands included. */
    static int length(int op) {
        return switch (op) {
            case 0x10, 0x11, 0x12, 0x15, 0x16, 0x17, 0x18, 0x19, 0x36, 0x37, 0x38, 0x39, 0x3a, // push, ldc, loads, stores
                 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xc6, 0xc7,
                 0xaa, 0xab, 0xbb, 0xbc, 0xbd, 0xc0, 0xc1,
                 LDC_INT, LDC_OBJECT, LDC_REF, NEW_Q, CHECKCAST_Q, INSTANCEOF_Q, ANEWARRAY_Q -> 2;
            case 0x84, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc5, LDC_LONG,
                 GETFIELD_I32, GETFIELD_I64, GETFIELD_I8, GETFIELD_U16, GETFIELD_I16,
                 PUTFIELD_I32, PUTFIELD_I64, PUTFIELD_I8, PUTFIELD_I16, PUTFIELD_REF,
                 GETSTATIC_I32, GETSTATIC_I64, GETSTATIC_I8, GETSTATIC_U16, GETSTATIC_I16,
                 PUTSTATIC_I32, PUTSTATIC_I64, PUTSTATIC_I8, PUTSTATIC_I16, PUTSTATIC_REF,
                 INVOKEVIRTUAL_Q, INVOKEDIRECT_Q, INVOKEINTERFACE_Q, VARHANDLE_Q -> 3;
            default -> 1;
        };
    }
}
