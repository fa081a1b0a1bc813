package org.vheap.device.vm.natives;

import org.vheap.device.vm.Vm;

/**
 * Float and Double bit conversions, StrictMath (the host's StrictMath gives the same fdlibm results as
 * HotSpot's), and the String natives.
 */
final class NumberNatives {
    private NumberNatives() {
    }

    private interface D1 {
        double f(double x);
    }

    private interface D2 {
        double f(double x, double y);
    }

    static void register(Natives n, Vm vm) {
        n.register("java/lang/Float", "floatToRawIntBits", "(F)I", (t, s, b) -> (int) s[b]);
        n.register("java/lang/Float", "intBitsToFloat", "(I)F", (t, s, b) -> (int) s[b]);
        n.register("java/lang/Double", "doubleToRawLongBits", "(D)J", (t, s, b) -> s[b]);
        n.register("java/lang/Double", "longBitsToDouble", "(J)D", (t, s, b) -> s[b]);
        String sm = "java/lang/StrictMath";
        one(n, sm, "sin", StrictMath::sin);
        one(n, sm, "cos", StrictMath::cos);
        one(n, sm, "tan", StrictMath::tan);
        one(n, sm, "asin", StrictMath::asin);
        one(n, sm, "acos", StrictMath::acos);
        one(n, sm, "atan", StrictMath::atan);
        one(n, sm, "exp", StrictMath::exp);
        one(n, sm, "log", StrictMath::log);
        one(n, sm, "log10", StrictMath::log10);
        one(n, sm, "sqrt", StrictMath::sqrt);
        one(n, sm, "cbrt", StrictMath::cbrt);
        one(n, sm, "sinh", StrictMath::sinh);
        one(n, sm, "cosh", StrictMath::cosh);
        one(n, sm, "tanh", StrictMath::tanh);
        one(n, sm, "expm1", StrictMath::expm1);
        one(n, sm, "log1p", StrictMath::log1p);
        two(n, sm, "atan2", StrictMath::atan2);
        two(n, sm, "pow", StrictMath::pow);
        two(n, sm, "hypot", StrictMath::hypot);
        two(n, sm, "IEEEremainder", StrictMath::IEEEremainder);
        // HotSpot computes these Math methods with its own intrinsic stubs (in the interpreter as in compiled
        // code), which may differ from StrictMath in the last bit; the host's Math gives the stubs' results
        String m = "java/lang/Math";
        one(n, m, "sin", Math::sin);
        one(n, m, "cos", Math::cos);
        one(n, m, "tan", Math::tan);
        one(n, m, "exp", Math::exp);
        one(n, m, "log", Math::log);
        one(n, m, "log10", Math::log10);
        two(n, m, "pow", Math::pow);
        n.register("java/lang/String", "intern", "()Ljava/lang/String;", (t, s, b) -> vm.strings().intern((int) s[b]));
        n.register("java/lang/StringUTF16", "isBigEndian", "()Z", (t, s, b) -> 0);
        // the Unicode character names are a compressed table the JDK inflates with zlib: answered from the host's
        // table (the same Unicode version for the same JDK feature release)
        n.register("java/lang/Character", "getName", "(I)Ljava/lang/String;", (t, s, b) -> {
            int codePoint = (int) s[b];
            if (!Character.isValidCodePoint(codePoint)) {
                throw new org.vheap.device.vm.JavaError("java/lang/IllegalArgumentException",
                        String.format("Not a valid Unicode code point: 0x%X", codePoint));
            }
            String name = Character.getName(codePoint);
            return name == null ? 0 : vm.strings().newString(name);
        });
    }

    private static void one(Natives n, String owner, String name, D1 f) {
        n.register(owner, name, "(D)D", (t, s, b) -> Double.doubleToRawLongBits(f.f(Double.longBitsToDouble(s[b]))));
    }

    private static void two(Natives n, String owner, String name, D2 f) {
        n.register(owner, name, "(DD)D", (t, s, b) ->
                Double.doubleToRawLongBits(f.f(Double.longBitsToDouble(s[b]), Double.longBitsToDouble(s[b + 2]))));
    }
}
