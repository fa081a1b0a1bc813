// Character classification; Integer/Long/Double parsing and printing in several radixes; NumberFormatException messages.
public class S06NumbersAndCharacters {
    static void parse(String label, java.util.concurrent.Callable<Object> c) {
        try {
            System.out.println(label + " = " + c.call());
        } catch (Exception e) {
            System.out.println(label + " -> " + e.getClass().getName() + ": " + e.getMessage());
        }
    }

    public static void main(String[] args) {
        for (char c : "aZ5 _\t\n$é日٣Ⅻ".toCharArray()) {
            System.out.println((int) c + " letter=" + Character.isLetter(c) + " digit=" + Character.isDigit(c) + " ws=" + Character.isWhitespace(c)
                    + " upper=" + Character.isUpperCase(c) + " alnum=" + Character.isLetterOrDigit(c) + " javaStart=" + Character.isJavaIdentifierStart(c)
                    + " type=" + Character.getType(c) + " num=" + Character.getNumericValue(c) + " up=" + Character.toUpperCase(c) + " digit16=" + Character.digit(c, 16));
        }
        System.out.println(Character.forDigit(11, 16) + " " + Character.toString(65) + " " + Character.getName('a') + " " + Character.isSpaceChar('\u00a0'));
        int[] ints = {0, 1, -1, 255, -256, Integer.MAX_VALUE, Integer.MIN_VALUE, 123456789};
        for (int v : ints) {
            System.out.println(v + " hex=" + Integer.toHexString(v) + " oct=" + Integer.toOctalString(v) + " bin=" + Integer.toBinaryString(v)
                    + " r36=" + Integer.toString(v, 36) + " r7=" + Integer.toString(v, 7) + " bits=" + Integer.bitCount(v) + " nlz=" + Integer.numberOfLeadingZeros(v)
                    + " ntz=" + Integer.numberOfTrailingZeros(v) + " hob=" + Integer.highestOneBit(v) + " rev=" + Integer.reverse(v) + " rb=" + Integer.reverseBytes(v)
                    + " sig=" + Integer.signum(v));
        }
        long[] longs = {0L, -1L, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 40, 987654321987654321L};
        for (long v : longs) {
            System.out.println(v + " hex=" + Long.toHexString(v) + " bin=" + Long.toBinaryString(v).length() + " r36=" + Long.toString(v, 36)
                    + " bits=" + Long.bitCount(v) + " nlz=" + Long.numberOfLeadingZeros(v) + " hash=" + Long.hashCode(v));
        }
        parse("parseInt 123", () -> Integer.parseInt("123"));
        parse("parseInt -0", () -> Integer.parseInt("-0"));
        parse("parseInt +42", () -> Integer.parseInt("+42"));
        parse("parseInt ff 16", () -> Integer.parseInt("ff", 16));
        parse("parseInt -zz 36", () -> Integer.parseInt("-zz", 36));
        parse("parseInt max", () -> Integer.parseInt("2147483647"));
        parse("parseInt overflow", () -> Integer.parseInt("2147483648"));
        parse("parseInt abc", () -> Integer.parseInt("abc"));
        parse("parseInt empty", () -> Integer.parseInt(""));
        parse("parseInt null", () -> Integer.parseInt(null));
        parse("parseInt space", () -> Integer.parseInt(" 1"));
        parse("parseInt radix 99", () -> Integer.parseInt("1", 99));
        parse("parseInt -", () -> Integer.parseInt("-"));
        parse("parseUnsignedInt", () -> Integer.parseUnsignedInt("4294967295"));
        parse("valueOf 0x", () -> Integer.decode("0x1F"));
        parse("decode -010", () -> Integer.decode("-010"));
        parse("parseLong", () -> Long.parseLong("-9223372036854775808"));
        parse("parseLong bad", () -> Long.parseLong("12L"));
        parse("parseLong overflow", () -> Long.parseLong("9223372036854775808"));
        parse("parseDouble", () -> Double.parseDouble("  1.5e3 "));
        parse("parseDouble hex", () -> Double.parseDouble("0x1.8p1"));
        parse("parseDouble NaN", () -> Double.parseDouble("NaN"));
        parse("parseDouble -Infinity", () -> Double.parseDouble("-Infinity"));
        parse("parseDouble 1d", () -> Double.parseDouble("1d"));
        parse("parseDouble bad", () -> Double.parseDouble("1.2.3"));
        parse("parseDouble empty", () -> Double.parseDouble(""));
        parse("parseDouble tiny", () -> Double.parseDouble("4.9e-325"));
        parse("parseDouble long digits", () -> Double.parseDouble("3.14159265358979323846264338327950288"));
        parse("parseFloat", () -> Float.parseFloat("3.4028236e38"));
        parse("parseFloat 0.1", () -> Float.parseFloat("0.1"));
        parse("parseByte overflow", () -> Byte.parseByte("128"));
        parse("parseShort", () -> Short.parseShort("-32768"));
        parse("parseBoolean", () -> Boolean.parseBoolean("True"));
        parse("BigInteger", () -> new java.math.BigInteger("123456789012345678901234567890").multiply(java.math.BigInteger.valueOf(987654321)));
        parse("BigDecimal", () -> new java.math.BigDecimal("1.10").add(new java.math.BigDecimal("2.205")));
        System.out.println(Integer.toString(Integer.MIN_VALUE, 2) + " " + Long.toString(Long.MIN_VALUE, 16) + " " + Integer.toUnsignedString(-2, 16));
        System.out.println(Integer.compare(3, 5) + " " + Integer.max(3, 5) + " " + Integer.sum(3, 5) + " " + Long.signum(-9L) + " " + Short.toUnsignedInt((short) -1)
                + " " + Byte.toUnsignedInt((byte) -1) + " " + Double.compare(0.0, -0.0) + " " + Float.compare(Float.NaN, 1f));
        System.out.println(Double.toString(Double.longBitsToDouble(0x3ff8000000000000L)) + " " + Float.intBitsToFloat(0x40490fdb) + " " + Double.valueOf("2").intValue()
                + " " + Integer.valueOf(65).byteValue() + " " + Long.valueOf(1L << 33).intValue() + " " + Double.valueOf(1e10).floatValue());
    }
}
