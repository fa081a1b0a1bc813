/**
 * {@code invokedynamic} without {@code java.lang.invoke}: each call site becomes an ordinary class.
 *
 * <p>The device VM does not implement method handles. When it links an {@code invokedynamic} instruction it asks
 * {@link org.vheap.device.vm.indy.CallSiteSynthesizer#synthesize} once for that site (the caller's internal name, a
 * site number unique within the caller, the site's name and descriptor, the bootstrap handle and its static
 * arguments as ASM reads them) and gets back a {@link org.vheap.device.vm.indy.CallSiteSynthesizer.Synthesized}:
 * the bytes of a class named {@code Caller$$Lambda$N} (lambdas) or {@code Caller$$Indy$N} (everything else), in the
 * caller's package, and the name and descriptor of one of its static methods. The descriptor is exactly the call
 * site's, so the site is from then on executed as an {@code invokestatic} of that method, with the operands
 * already on the stack. The method name is {@value org.vheap.device.vm.indy.CallSiteSynthesizer#SITE_METHOD_NAME},
 * which no Java source can declare.
 *
 * <h2>What the interpreter must do</h2>
 * <ul>
 * <li>Define the synthesized class with the caller's defining loader, so it is in the caller's runtime package,
 *     the first time the site is linked, and cache the result per site (the class name is per site; defining it
 *     twice is an error). Each class is version 61 (Java 17), {@code ACC_FINAL | ACC_SYNTHETIC}, extends
 *     {@code Object}; its stack map frames are computed, so it verifies like any class.</li>
 * <li>Execute the site as {@code invokestatic internalName.methodName methodDescriptor}: initializing the class
 *     runs its {@code <clinit>} (the cached instance of a non-capturing lambda), as linking does on HotSpot.</li>
 * <li>Grant the synthesized class the caller's access: it is a member of the caller's nest. Its {@code NestHost}
 *     attribute names the caller's nest host when the synthesizer was given class files
 *     ({@link org.vheap.device.vm.indy.CallSiteSynthesizer#CallSiteSynthesizer(java.util.function.Function)}), else the
 *     caller itself, to be read as "the nest the caller belongs to". The caller's {@code NestMembers} do not list
 *     it: the VM must accept the membership without that (HotSpot does the same for a hidden class defined with
 *     {@code ClassOption.NESTMATE}, which the tests do too). The code reaches private members of the caller's
 *     nest: lambda bodies ({@code private static lambda$main$0}, private instance lambda bodies and private
 *     methods referenced as {@code this::m}, called with {@code invokevirtual}, or {@code invokeinterface} when the
 *     caller is an interface, as nestmates may since Java 11), record fields ({@code getfield} of private
 *     fields), private constructors ({@code Foo::new}). It also needs the caller's protected access where javac
 *     lets a method reference name a protected member of a superclass in another package (javac usually turns
 *     those into lambda bodies).</li>
 * <li>When {@code synthesize} throws {@link org.vheap.device.vm.indy.UnsupportedCallSiteException}, the site cannot be
 *     linked: throw {@code BootstrapMethodError} (with the exception's message) from the instruction, now and on
 *     every later execution of it, as HotSpot does when a bootstrap fails. For lambdas this includes the type
 *     mismatches for which {@code LambdaMetafactory} throws {@code LambdaConversionException}.</li>
 * <li>Optionally hide the methods of synthesized classes from stack traces: HotSpot's lambda classes are hidden
 *     classes, and string concatenation and record methods run as method handles, so none of them shows in a
 *     {@code Throwable}'s stack trace on HotSpot.</li>
 * </ul>
 *
 * <h2>What is synthesized</h2>
 * <ul>
 * <li>{@code StringConcatFactory.makeConcatWithConstants} and {@code makeConcat}: a {@code StringBuilder} appending
 *     literals (constants folded in) and arguments with the overload that gives {@code StringConcatFactory}'s
 *     text: primitives by value ({@code byte}/{@code short} as {@code int}), {@code String} as itself, every other
 *     reference as {@code String.valueOf(Object)}: a {@code char[]} prints as {@code [C@...}, a
 *     {@code CharSequence} by its {@code toString()}. See {@code StringConcatSite}.</li>
 * <li>{@code LambdaMetafactory.metafactory} and {@code altMetafactory} (serializable, marker interfaces, bridges):
 *     the class {@code InnerClassLambdaMetafactory} would spin, with the same argument and return conversions, a
 *     shared instance for non-capturing lambdas (so {@code ==} holds between evaluations) and
 *     {@code writeReplace} to {@code SerializedLambda} for serializable ones. See {@code LambdaSite}.</li>
 * <li>{@code java.lang.runtime.ObjectMethods.bootstrap}: records' {@code toString}, {@code hashCode},
 *     {@code equals} as straight-line code computing what the JDK 17 method handle trees compute. See
 *     {@code ObjectMethodsSite}.</li>
 * </ul>
 * Anything else (ConstantBootstraps, SwitchBootstraps, user bootstraps, dynamic constants as static arguments, a
 * lambda implemented by a super call of another class) throws {@link org.vheap.device.vm.indy.UnsupportedCallSiteException}
 * naming the bootstrap.
 *
 * <h2>Known differences from HotSpot</h2>
 * <ul>
 * <li>Class names and reflection: {@code getClass().getName()} of a lambda is {@code Caller$$Lambda$N} (HotSpot:
 *     {@code Caller$$Lambda$N/0x...}, a hidden class), and it is not {@code isHidden()}.</li>
 * <li>A serializable lambda names {@code java.io.Serializable} among its interfaces even when its interface
 *     already extends it ({@code altMetafactory} adds it only when no interface is serializable; telling needs the
 *     class hierarchy).</li>
 * <li>{@code writeObject}/{@code readObject} throwing {@code NotSerializableException("Non-serializable lambda")}
 *     are written into every non-serializable lambda class (HotSpot: only when an interface is serializable; when
 *     none is, serialization fails before reaching them, so behaviour is the same).</li>
 * <li>{@code LambdaMetafactory}'s linkage checks are made where they involve a primitive type or a captured
 *     argument's exact type; assignability between two reference types (a receiver's class, a reference
 *     parameter) is not checked, since that needs the class hierarchy: such a mismatch, which javac never emits,
 *     surfaces as a verification error or {@code IncompatibleClassChangeError} instead of a
 *     {@code BootstrapMethodError}.</li>
 * <li>An {@code H_INVOKESPECIAL} implementation handle naming a method of the caller (javac before
 *     {@code --release 11} names private instance methods so) becomes {@code invokevirtual}/{@code invokeinterface}
 *     as HotSpot does for a private method; whether it is private is not checked (a non-private one would, on
 *     HotSpot, be called non-virtually through the handle). One naming another class (a super call) is refused.</li>
 * <li>Without class files, a record's {@code toString} takes {@code Class.getSimpleName()} at class
 *     initialization rather than at synthesis time (same text).</li>
 * </ul>
 */
package org.vheap.device.vm.indy;
