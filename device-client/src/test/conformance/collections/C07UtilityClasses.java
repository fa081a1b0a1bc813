// Objects, Optional, StringJoiner, OptionalInt, Integer/Long utility methods, Comparator helpers, UUID from fixed
// bits, Base64, CRC32, BigInteger/BigDecimal arithmetic.
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.zip.CRC32;

public class C07UtilityClasses {
    public static void main(String[] args) {
        System.out.println(Objects.requireNonNullElse(null, "else") + " " + Objects.isNull(null) + " " + Objects.nonNull(1) + " " + Objects.compare("a", "b", String::compareTo)
                + " " + Objects.checkIndex(2, 5) + " " + Objects.toString(42));
        try {
            Objects.checkIndex(5, 5);
        } catch (IndexOutOfBoundsException e) {
            System.out.println("checkIndex: " + e.getMessage());
        }
        try {
            Objects.requireNonNull(null);
        } catch (NullPointerException e) {
            System.out.println("requireNonNull: " + e.getMessage());
        }
        Optional<String> o = Optional.of("value"), empty = Optional.empty();
        System.out.println(o + " " + empty + " " + o.isPresent() + " " + empty.isEmpty() + " " + o.map(String::length).get() + " " + empty.or(() -> Optional.of("alt")).get()
                + " " + o.flatMap(v -> Optional.<Integer>empty()) + " " + Optional.ofNullable(null).orElse("null-else") + " " + o.stream().count());
        try {
            empty.get();
        } catch (java.util.NoSuchElementException e) {
            System.out.println("empty get: " + e.getMessage());
        }
        try {
            empty.orElseThrow(() -> new IllegalStateException("custom"));
        } catch (IllegalStateException e) {
            System.out.println("orElseThrow: " + e.getMessage());
        }
        o.ifPresentOrElse(v -> System.out.println("present " + v), () -> System.out.println("absent"));
        empty.ifPresentOrElse(v -> System.out.println("present " + v), () -> System.out.println("absent"));
        System.out.println(OptionalInt.of(3) + " " + OptionalInt.empty() + " " + o.equals(Optional.of("value")) + " " + o.hashCode());
        StringJoiner sj = new StringJoiner(", ", "{", "}");
        sj.setEmptyValue("EMPTY");
        System.out.println(sj);
        sj.add("a").add("b");
        StringJoiner sj2 = new StringJoiner("-");
        sj2.add("x").add("y");
        sj.merge(sj2);
        System.out.println(sj + " " + sj.length());
        UUID u = new UUID(0x123456789abcdef0L, 0x0fedcba987654321L);
        System.out.println(u + " " + u.version() + " " + UUID.fromString("00000000-0000-0001-0000-000000000002").getLeastSignificantBits()
                + " " + UUID.nameUUIDFromBytes("vheap".getBytes()));
        String b64 = Base64.getEncoder().encodeToString("hello, world?>".getBytes());
        System.out.println(b64 + " " + new String(Base64.getDecoder().decode(b64)) + " " + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[]{-1, -2, -3, -4}));
        CRC32 crc = new CRC32();
        crc.update("The quick brown fox jumps over the lazy dog".getBytes());
        System.out.println("crc " + Long.toHexString(crc.getValue()));
        BigInteger f = BigInteger.ONE;
        for (int i = 2; i <= 50; i++) f = f.multiply(BigInteger.valueOf(i));
        System.out.println("50! = " + f + " bits " + f.bitLength() + " mod 1e9+7 " + f.mod(BigInteger.valueOf(1_000_000_007)));
        System.out.println(BigInteger.TWO.pow(100) + " " + BigInteger.valueOf(97).isProbablePrime(20) + " " + new BigInteger("-ff", 16) + " " + BigInteger.valueOf(12).gcd(BigInteger.valueOf(18))
                + " " + BigInteger.valueOf(3).modPow(BigInteger.valueOf(200), BigInteger.valueOf(1000)));
        BigDecimal a = new BigDecimal("10.25"), b = new BigDecimal("3");
        System.out.println(a.add(b) + " " + a.subtract(b) + " " + a.multiply(b) + " " + a.divide(b, 5, RoundingMode.HALF_UP) + " " + a.setScale(1, RoundingMode.HALF_EVEN)
                + " " + new BigDecimal(0.1) + " " + BigDecimal.valueOf(0.1) + " " + a.compareTo(new BigDecimal("10.250")) + " " + a.equals(new BigDecimal("10.250"))
                + " " + new BigDecimal("1E+3").toPlainString() + " " + new BigDecimal("123.4500").stripTrailingZeros());
        try {
            BigDecimal.ONE.divide(b);
        } catch (ArithmeticException e) {
            System.out.println("BigDecimal: " + e.getMessage());
        }
    }
}
