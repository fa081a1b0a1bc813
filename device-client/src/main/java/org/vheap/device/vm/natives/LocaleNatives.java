package org.vheap.device.vm.natives;

import org.vheap.device.vm.Vm;
import org.vheap.format.ObjectLayout;
import org.vheap.device.vm.loader.VmClass;
import org.vheap.device.vm.loader.VmMethod;
import org.vheap.device.vm.thread.DeferredCall;
import org.vheap.device.vm.thread.VmThread;

/**
 * A device has one locale, English with no country (the {@code user.language} it reports), and its format
 * symbols are built in: {@code DecimalFormatSymbols.getInstance} answers with the symbols HotSpot's CLDR data
 * gives for {@code en}, instead of running the JDK's locale-provider machinery (reflection and service
 * loading, which the device VM does not run). Formatter, String.format and printf read their digits and
 * separators from here.
 */
final class LocaleNatives {
    private LocaleNatives() {
    }

    static void register(Natives n, Vm vm) {
        n.register("java/text/DecimalFormatSymbols", "getInstance", "(Ljava/util/Locale;)Ljava/text/DecimalFormatSymbols;",
                (t, s, b) -> symbols(vm, (int) s[b]));
        n.register("java/text/NumberFormat", "getInstance", "(Ljava/util/Locale;Ljava/text/NumberFormat$Style;I)Ljava/text/NumberFormat;",
                (t, s, b) -> numberFormat(vm, t, (int) s[b], (int) s[b + 2]));
        n.register("java/util/concurrent/atomic/AtomicLong", "VMSupportsCS8", "()Z", (t, s, b) -> 1);
    }

    /**
     * NumberFormat.getInstance(locale, style, choice): a DecimalFormat with the en pattern of the style, made by
     * running its constructor (and, for integers, the setters the JDK calls) right after this native returns.
     */
    private static long numberFormat(Vm vm, VmThread t, int locale, int choice) {
        VmClass nf = vm.classes().load("java/text/NumberFormat");
        int integerStyle = (Integer) nf.declaredField("INTEGERSTYLE").constantValue();
        int percentStyle = (Integer) nf.declaredField("PERCENTSTYLE").constantValue();
        int currencyStyle = (Integer) nf.declaredField("CURRENCYSTYLE").constantValue();
        String pattern = choice == percentStyle ? "#,##0%" : choice == currencyStyle ? "\u00a4#,##0.00" : "#,##0.###";
        VmClass df = vm.classes().load("java/text/DecimalFormat");
        int format = vm.newObject(df);
        t.defer(new DeferredCall(df.declaredMethod("<init>", "(Ljava/lang/String;Ljava/text/DecimalFormatSymbols;)V"),
                new long[] {format, vm.strings().intern(pattern), symbols(vm, locale)}, VmThread.RETURN_DISCARD));
        if (choice == integerStyle) {
            t.defer(call(vm, df, "setMaximumFractionDigits", "(I)V", format, 0));
            t.defer(call(vm, df, "setDecimalSeparatorAlwaysShown", "(Z)V", format, 0));
            t.defer(call(vm, df, "setParseIntegerOnly", "(Z)V", format, 1));
        }
        t.deferredInit.add(df);
        return format;
    }

    private static DeferredCall call(Vm vm, VmClass c, String name, String descriptor, int receiver, int arg) {
        VmMethod m = org.vheap.device.vm.loader.ClassRegistry.select(c, name + descriptor);
        return new DeferredCall(m, new long[] {receiver, arg}, VmThread.RETURN_DISCARD);
    }

    /** The en DecimalFormatSymbols, built without the locale providers. */
    private static int symbols(Vm vm, int locale) {
            VmClass dfs = vm.classes().load("java/text/DecimalFormatSymbols");
            int obj = vm.newObject(dfs);
            long a = ObjectLayout.address(obj);
            var m = vm.memory();
            char[][] chars = {
                {'z', '0'}, {'g', ','}, {'d', '.'}, {'p', '\u2030'}, {'%', '%'}, {'#', '#'}, {';', ';'}, {'-', '-'},
                {'m', '.'}, {'E', 'E'}, {'G', ','},
            };
            String[] names = {"zeroDigit", "groupingSeparator", "decimalSeparator", "perMill", "percent", "digit",
                "patternSeparator", "minusSign", "monetarySeparator", "exponential", "monetaryGroupingSeparator"};
            for (int i = 0; i < names.length; i++) {
                m.putChar(a + dfs.declaredField(names[i]).offset(), chars[i][1]);
            }
            String[][] strings = {
                {"infinity", "\u221e"}, {"NaN", "NaN"}, {"exponentialSeparator", "E"}, {"perMillText", "\u2030"},
                {"percentText", "%"}, {"minusSignText", "-"},
            };
            for (String[] kv : strings) {
                vm.putRef(a + dfs.declaredField(kv[0]).offset(), vm.strings().intern(kv[1]));
            }
            vm.putRef(a + dfs.declaredField("locale").offset(), locale);
            m.putInt(a + dfs.declaredField("serialVersionOnStream").offset(), 5);
            return obj;
    }
}
