package org.vheap.device.vm.indy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The class of a {@code LambdaMetafactory.metafactory} / {@code altMetafactory} site, shaped like the one JDK 17's
 * {@code InnerClassLambdaMetafactory} spins: {@code private final} fields {@code arg$1..arg$n} for the captured
 * values, a private constructor storing them, the interface method and the bridges forwarding to the
 * implementation with {@link TypeConversions}, {@code writeReplace} returning a {@code SerializedLambda} when the
 * lambda is serializable, and otherwise {@code writeObject}/{@code readObject} throwing
 * {@code NotSerializableException("Non-serializable lambda")} (HotSpot writes those only when an interface is
 * accidentally serializable; when none is, serialization never reaches them, so writing them always is
 * equivalent). The site method returns a new instance, or, for a non-capturing lambda, the one instance
 * created in {@code <clinit>}.
 */
final class LambdaSite {
    static final int FLAG_SERIALIZABLE = 1;
    static final int FLAG_MARKERS = 2;
    static final int FLAG_BRIDGES = 4;
    private static final String INSTANCE_FIELD = "LAMBDA_INSTANCE$";
    private static final String SERIALIZED_LAMBDA = "java/lang/invoke/SerializedLambda";
    private static final String NOT_SERIALIZABLE = "java/io/NotSerializableException";
    private static final String SERIALIZABLE = "java/io/Serializable";

    private final String caller;
    private final String className;
    private final String interfaceMethodName;
    private final Type factoryType;
    private final Type samType;
    private final Handle impl;
    private final Type instantiatedType;
    private final int flags;
    private final List<String> markers;
    private final List<Type> bridges;
    private final String describe;
    /** The handle kind used for the call: H_INVOKESPECIAL of a caller's private method becomes a virtual call. */
    private final int invocationKind;
    /** The implementation's type as a method handle's: receiver first for instance methods, the class for constructors. */
    private final Type[] implParameters;
    private final Type implReturn;
    private final Type[] captured;

    private LambdaSite(String caller, String className, String interfaceMethodName, Type factoryType, Type samType,
                       Handle impl, Type instantiatedType, int flags, List<String> markers, List<Type> bridges,
                       String describe) {
        this.caller = caller;
        this.className = className;
        this.interfaceMethodName = interfaceMethodName;
        this.factoryType = factoryType;
        this.samType = samType;
        this.impl = impl;
        this.instantiatedType = instantiatedType;
        this.flags = flags;
        this.markers = markers;
        this.bridges = bridges;
        this.describe = describe;
        this.captured = factoryType.getArgumentTypes();
        Type[] declared = Type.getArgumentTypes(impl.getDesc());
        Type owner = Type.getObjectType(impl.getOwner());
        switch (impl.getTag()) {
            case Opcodes.H_INVOKESTATIC:
                invocationKind = impl.getTag();
                implParameters = declared;
                implReturn = Type.getReturnType(impl.getDesc());
                break;
            case Opcodes.H_INVOKEVIRTUAL:
            case Opcodes.H_INVOKEINTERFACE:
            case Opcodes.H_INVOKESPECIAL:
                if (impl.getTag() != Opcodes.H_INVOKESPECIAL) {
                    invocationKind = impl.getTag();
                } else if (impl.getOwner().equals(caller)) {
                    // As AbstractValidatingLambdaMetafactory does for a private method of the caller (the only
                    // invokespecial target javac names in the caller itself): a virtual or interface call,
                    // which a nestmate may make to a private method.
                    invocationKind = impl.isInterface() ? Opcodes.H_INVOKEINTERFACE : Opcodes.H_INVOKEVIRTUAL;
                } else {
                    // HotSpot calls through the method handle (a super call on behalf of the caller), which no
                    // instruction of another class can do. javac does not emit this: it turns super::m into a
                    // lambda body in the caller.
                    throw new UnsupportedCallSiteException(describe + ": H_INVOKESPECIAL of " + impl.getOwner() + "."
                            + impl.getName() + " from " + caller + " (a super call from another class)");
                }
                implParameters = prepend(owner, declared);
                implReturn = Type.getReturnType(impl.getDesc());
                break;
            case Opcodes.H_NEWINVOKESPECIAL:
                invocationKind = impl.getTag();
                implParameters = declared;
                implReturn = owner;
                break;
            default:
                throw new UnsupportedCallSiteException(describe + ": implementation handle of kind " + impl.getTag()
                        + " (" + impl + ") is not a method");
        }
        int samArity = samType.getArgumentTypes().length;
        if (implParameters.length != captured.length + samArity
                || instantiatedType.getArgumentTypes().length != samArity) {
            throw new UnsupportedCallSiteException(describe + ": arity mismatch: " + captured.length + " captured + "
                    + samArity + " interface parameters, implementation " + impl + ", instantiated " + instantiatedType);
        }
        if (factoryType.getReturnType().getSort() != Type.OBJECT) {
            throw new UnsupportedCallSiteException(describe + ": the site does not return an interface: " + factoryType);
        }
        validate();
    }

    /** What HotSpot's bootstrap rejects with LambdaConversionException, as far as it is decidable without classes. */
    private void validate() {
        boolean receiverCaptured = implParameters.length > Type.getArgumentTypes(impl.getDesc()).length && captured.length > 0;
        for (int i = receiverCaptured ? 1 : 0; i < captured.length; i++) {
            if (!captured[i].equals(implParameters[i])) {
                reject("captured argument " + i + " is " + captured[i] + ", the implementation takes " + implParameters[i]);
            }
        }
        Type[] dynamic = instantiatedType.getArgumentTypes();
        boolean receiverIsParameter = implParameters.length > Type.getArgumentTypes(impl.getDesc()).length && captured.length == 0;
        if (receiverIsParameter && TypeConversions.isPrimitive(dynamic[0])) {
            reject("the receiver parameter is " + dynamic[0]);
        }
        for (int i = receiverIsParameter ? 1 : 0; i < dynamic.length; i++) {
            Type target = implParameters[captured.length + i];
            if (!LambdaTypeRules.adaptable(dynamic[i], target, true)) {
                reject("lambda argument " + (captured.length + i) + ": " + dynamic[i] + " is not convertible to " + target);
            }
        }
        if (!LambdaTypeRules.adaptableAsReturn(implReturn, instantiatedType.getReturnType())) {
            reject("return type " + implReturn + " is not adaptable to " + instantiatedType.getReturnType());
        }
        checkDescriptor(samType);
        for (Type bridge : bridges) {
            checkDescriptor(bridge);
        }
    }

    private void checkDescriptor(Type descriptor) {
        Type[] dynamic = instantiatedType.getArgumentTypes();
        Type[] declared = descriptor.getArgumentTypes();
        if (declared.length != dynamic.length) {
            reject(descriptor + " and the instantiated type " + instantiatedType + " differ in arity");
        }
        for (int i = 0; i < dynamic.length; i++) {
            if (!LambdaTypeRules.assignable(dynamic[i], declared[i])) {
                reject("instantiated parameter " + dynamic[i] + " is not assignable to " + declared[i] + " of " + descriptor);
            }
        }
        if (!LambdaTypeRules.adaptableAsReturnStrict(instantiatedType.getReturnType(), descriptor.getReturnType())) {
            reject("instantiated return " + instantiatedType.getReturnType() + " is not adaptable to that of " + descriptor);
        }
    }

    private void reject(String why) {
        throw new UnsupportedCallSiteException(describe + ": LambdaMetafactory rejects this (LambdaConversionException): " + why);
    }

    /**
     * Reads the bootstrap arguments: {@code metafactory(samType, impl, instantiatedType)} or
     * {@code altMetafactory(samType, impl, instantiatedType, flags, [markerCount, markers...], [bridgeCount, bridges...])}.
     */
    static LambdaSite parse(String caller, String className, String name, String descriptor, boolean alt,
                            Object[] args, String describe) {
        if (args.length < 3 || !(args[0] instanceof Type) || !(args[1] instanceof Handle) || !(args[2] instanceof Type)) {
            throw new UnsupportedCallSiteException(describe + ": expected (MethodType, MethodHandle, MethodType"
                    + (alt ? ", int flags, ..." : "") + ") arguments");
        }
        int flags = 0;
        List<String> markers = new ArrayList<>();
        List<Type> bridges = new ArrayList<>();
        ArgumentReader reader = new ArgumentReader(args, 3, describe);
        if (alt) {
            flags = reader.nextInt();
            if ((flags & ~(FLAG_SERIALIZABLE | FLAG_MARKERS | FLAG_BRIDGES)) != 0) {
                throw new UnsupportedCallSiteException(describe + ": unknown flags " + flags);
            }
            if ((flags & FLAG_MARKERS) != 0) {
                for (Type marker : reader.nextTypes(Type.OBJECT, "marker interface")) {
                    markers.add(marker.getInternalName());
                }
            }
            if ((flags & FLAG_BRIDGES) != 0) {
                bridges.addAll(reader.nextTypes(Type.METHOD, "bridge method type"));
            }
        }
        if (reader.next != args.length) {
            throw new UnsupportedCallSiteException(describe + ": " + (args.length - reader.next) + " unexpected extra arguments");
        }
        return new LambdaSite(caller, className, name, Type.getMethodType(descriptor), (Type) args[0], (Handle) args[1],
                (Type) args[2], flags, markers, bridges, describe);
    }

    /** Reads altMetafactory's variable arguments in order. */
    private static final class ArgumentReader {
        private final Object[] args;
        private final String describe;
        int next;

        ArgumentReader(Object[] args, int next, String describe) {
            this.args = args;
            this.next = next;
            this.describe = describe;
        }

        private Object next() {
            if (next >= args.length) {
                throw new UnsupportedCallSiteException(describe + ": too few arguments for its flags");
            }
            return args[next++];
        }

        int nextInt() {
            Object value = next();
            if (!(value instanceof Integer)) {
                throw new UnsupportedCallSiteException(describe + ": argument " + (next - 1) + " is not an int: " + value);
            }
            return (Integer) value;
        }

        /** A count, then that many types of the given sort. */
        List<Type> nextTypes(int sort, String what) {
            int count = nextInt();
            List<Type> types = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Object value = next();
                if (!(value instanceof Type) || ((Type) value).getSort() != sort) {
                    throw new UnsupportedCallSiteException(describe + ": not a " + what + ": " + value);
                }
                types.add((Type) value);
            }
            return types;
        }
    }

    private boolean isSerializable() {
        return (flags & FLAG_SERIALIZABLE) != 0;
    }

    void generate(ClassVisitor cv, String siteMethodName, String nestHost) {
        String interfaceName = factoryType.getReturnType().getInternalName();
        Set<String> interfaces = new LinkedHashSet<>();
        interfaces.add(interfaceName);
        interfaces.addAll(markers);
        if (isSerializable()) {
            // altMetafactory adds Serializable unless the interface or a marker already is: without loading
            // classes we add it unless it is named directly (implementing it twice is harmless).
            interfaces.add(SERIALIZABLE);
        }
        cv.visit(Opcodes.V17, Opcodes.ACC_SUPER | Opcodes.ACC_FINAL | Opcodes.ACC_SYNTHETIC, className, null,
                "java/lang/Object", interfaces.toArray(new String[0]));
        if (nestHost != null) {
            cv.visitNestHost(nestHost);
        }
        for (int i = 0; i < captured.length; i++) {
            cv.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL, field(i), captured[i].getDescriptor(), null, null).visitEnd();
        }
        generateConstructor(cv);
        generateSiteMethod(cv, siteMethodName);
        generateForwarder(cv, samType);
        Set<String> written = new LinkedHashSet<>();
        written.add(samType.getDescriptor());
        for (Type bridge : bridges) {
            if (written.add(bridge.getDescriptor())) {
                generateForwarder(cv, bridge);
            }
        }
        if (isSerializable()) {
            generateWriteReplace(cv);
        } else {
            generateSerializationHostile(cv, "writeObject", "(Ljava/io/ObjectOutputStream;)V");
            generateSerializationHostile(cv, "readObject", "(Ljava/io/ObjectInputStream;)V");
        }
        cv.visitEnd();
    }

    private static String field(int i) {
        return "arg$" + (i + 1);
    }

    private void generateConstructor(ClassVisitor cv) {
        MethodVisitor mv = cv.visitMethod(Opcodes.ACC_PRIVATE, "<init>", Type.getMethodDescriptor(Type.VOID_TYPE, captured),
                null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        int slot = 1;
        for (int i = 0; i < captured.length; i++) {
            mv.visitVarInsn(Opcodes.ALOAD, 0);
            mv.visitVarInsn(captured[i].getOpcode(Opcodes.ILOAD), slot);
            slot += captured[i].getSize();
            mv.visitFieldInsn(Opcodes.PUTFIELD, className, field(i), captured[i].getDescriptor());
        }
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    private void generateSiteMethod(ClassVisitor cv, String siteMethodName) {
        String instanceDescriptor = factoryType.getReturnType().getDescriptor();
        if (captured.length == 0) {
            cv.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL, INSTANCE_FIELD, instanceDescriptor,
                    null, null).visitEnd();
            MethodVisitor clinit = cv.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
            clinit.visitCode();
            clinit.visitTypeInsn(Opcodes.NEW, className);
            clinit.visitInsn(Opcodes.DUP);
            clinit.visitMethodInsn(Opcodes.INVOKESPECIAL, className, "<init>", "()V", false);
            clinit.visitFieldInsn(Opcodes.PUTSTATIC, className, INSTANCE_FIELD, instanceDescriptor);
            clinit.visitInsn(Opcodes.RETURN);
            clinit.visitMaxs(0, 0);
            clinit.visitEnd();
        }
        MethodVisitor mv = cv.visitMethod(Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC, siteMethodName,
                factoryType.getDescriptor(), null, null);
        mv.visitCode();
        if (captured.length == 0) {
            mv.visitFieldInsn(Opcodes.GETSTATIC, className, INSTANCE_FIELD, instanceDescriptor);
        } else {
            mv.visitTypeInsn(Opcodes.NEW, className);
            mv.visitInsn(Opcodes.DUP);
            int slot = 0;
            for (Type t : captured) {
                mv.visitVarInsn(t.getOpcode(Opcodes.ILOAD), slot);
                slot += t.getSize();
            }
            mv.visitMethodInsn(Opcodes.INVOKESPECIAL, className, "<init>", Type.getMethodDescriptor(Type.VOID_TYPE, captured), false);
        }
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** The interface method (or a bridge) of type {@code methodType}: captures, converted parameters, the call, the converted result. */
    private void generateForwarder(ClassVisitor cv, Type methodType) {
        MethodVisitor mv = cv.visitMethod(Opcodes.ACC_PUBLIC, interfaceMethodName, methodType.getDescriptor(), null, null);
        mv.visitCode();
        if (invocationKind == Opcodes.H_NEWINVOKESPECIAL) {
            mv.visitTypeInsn(Opcodes.NEW, impl.getOwner());
            mv.visitInsn(Opcodes.DUP);
        }
        for (int i = 0; i < captured.length; i++) {
            mv.visitVarInsn(Opcodes.ALOAD, 0);
            mv.visitFieldInsn(Opcodes.GETFIELD, className, field(i), captured[i].getDescriptor());
        }
        Type[] parameters = methodType.getArgumentTypes();
        Type[] instantiated = instantiatedType.getArgumentTypes();
        int slot = 1;
        for (int i = 0; i < parameters.length; i++) {
            mv.visitVarInsn(parameters[i].getOpcode(Opcodes.ILOAD), slot);
            slot += parameters[i].getSize();
            TypeConversions.convert(mv, parameters[i], implParameters[captured.length + i], instantiated[i]);
        }
        switch (invocationKind) {
            case Opcodes.H_INVOKESTATIC:
                mv.visitMethodInsn(Opcodes.INVOKESTATIC, impl.getOwner(), impl.getName(), impl.getDesc(), impl.isInterface());
                break;
            case Opcodes.H_INVOKEVIRTUAL:
                mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, impl.getOwner(), impl.getName(), impl.getDesc(), false);
                break;
            case Opcodes.H_INVOKEINTERFACE:
                mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, impl.getOwner(), impl.getName(), impl.getDesc(), true);
                break;
            case Opcodes.H_NEWINVOKESPECIAL:
                mv.visitMethodInsn(Opcodes.INVOKESPECIAL, impl.getOwner(), "<init>", impl.getDesc(), false);
                break;
            default:
                throw new IllegalStateException("kind " + invocationKind);
        }
        Type result = methodType.getReturnType();
        if (result.getSort() == Type.VOID) {
            if (implReturn.getSort() != Type.VOID) {
                mv.visitInsn(implReturn.getSize() == 2 ? Opcodes.POP2 : Opcodes.POP);
            }
            mv.visitInsn(Opcodes.RETURN);
        } else {
            if (implReturn.getSort() == Type.VOID) {
                throw new UnsupportedCallSiteException(describe + ": implementation " + impl + " returns void, "
                        + interfaceMethodName + methodType + " does not");
            }
            TypeConversions.convert(mv, implReturn, result, result);
            mv.visitInsn(result.getOpcode(Opcodes.IRETURN));
        }
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** {@code new SerializedLambda(...)} with the same values as HotSpot's lambda classes give it. */
    private void generateWriteReplace(ClassVisitor cv) {
        MethodVisitor mv = cv.visitMethod(Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL, "writeReplace", "()Ljava/lang/Object;",
                null, null);
        mv.visitCode();
        mv.visitTypeInsn(Opcodes.NEW, SERIALIZED_LAMBDA);
        mv.visitInsn(Opcodes.DUP);
        mv.visitLdcInsn(Type.getObjectType(caller));
        mv.visitLdcInsn(factoryType.getReturnType().getInternalName());
        mv.visitLdcInsn(interfaceMethodName);
        mv.visitLdcInsn(samType.getDescriptor());
        mv.visitLdcInsn(impl.getTag());
        mv.visitLdcInsn(impl.getOwner());
        mv.visitLdcInsn(impl.getName());
        mv.visitLdcInsn(impl.getDesc());
        mv.visitLdcInsn(instantiatedType.getDescriptor());
        mv.visitLdcInsn(captured.length);
        mv.visitTypeInsn(Opcodes.ANEWARRAY, "java/lang/Object");
        for (int i = 0; i < captured.length; i++) {
            mv.visitInsn(Opcodes.DUP);
            mv.visitLdcInsn(i);
            mv.visitVarInsn(Opcodes.ALOAD, 0);
            mv.visitFieldInsn(Opcodes.GETFIELD, className, field(i), captured[i].getDescriptor());
            if (TypeConversions.isPrimitive(captured[i])) {
                TypeConversions.box(mv, captured[i]);
            }
            mv.visitInsn(Opcodes.AASTORE);
        }
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, SERIALIZED_LAMBDA, "<init>",
                "(Ljava/lang/Class;Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;ILjava/lang/String;"
                        + "Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;[Ljava/lang/Object;)V", false);
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    private static void generateSerializationHostile(ClassVisitor cv, String name, String descriptor) {
        MethodVisitor mv = cv.visitMethod(Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL, name, descriptor, null,
                new String[] {NOT_SERIALIZABLE});
        mv.visitCode();
        mv.visitTypeInsn(Opcodes.NEW, NOT_SERIALIZABLE);
        mv.visitInsn(Opcodes.DUP);
        mv.visitLdcInsn("Non-serializable lambda");
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, NOT_SERIALIZABLE, "<init>", "(Ljava/lang/String;)V", false);
        mv.visitInsn(Opcodes.ATHROW);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    private static Type[] prepend(Type first, Type[] rest) {
        Type[] all = new Type[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
