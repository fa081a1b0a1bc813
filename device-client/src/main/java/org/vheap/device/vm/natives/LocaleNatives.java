package org.vheap.device.vm.natives;

import org.vheap.device.vm.Vm;
import org.vheap.device.vm.heap.ObjectLayout;
import org.vheap.device.vm.loader.VmClass;

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
        n.register("java/text/DecimalFormatSymbols", "getInstance", "(Ljava/util/Locale;)Ljava/text/DecimalFormatSymbols;", (t, s, b) -> {
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
                m.putInt(a + dfs.declaredField(kv[0]).offset(), vm.intern(kv[1]));
            }
            m.putInt(a + dfs.declaredField("locale").offset(), (int) s[b]);
            m.putInt(a + dfs.declaredField("serialVersionOnStream").offset(), 5);
            return obj;
        });
        n.register("java/util/concurrent/atomic/AtomicLong", "VMSupportsCS8", "()Z", (t, s, b) -> 1);
    }
}
