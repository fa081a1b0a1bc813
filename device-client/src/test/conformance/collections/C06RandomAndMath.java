// java.util.Random with fixed seeds; Math and StrictMath functions; integer bit twiddling; floorMod/abs/pow/sqrt/
// trig/exp/log of several values; max/min with NaN and -0.0; SplittableRandom.
import java.util.Random;
import java.util.SplittableRandom;

public class C06RandomAndMath {
    public static void main(String[] args) {
        Random r = new Random(2024);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 10; i++) sb.append(r.nextInt(100)).append(' ');
        System.out.println("nextInt(100) " + sb);
        System.out.println("nextInt " + r.nextInt() + " nextLong " + r.nextLong() + " nextDouble " + r.nextDouble() + " nextFloat " + r.nextFloat()
                + " nextBoolean " + r.nextBoolean() + " nextGaussian " + r.nextGaussian() + " " + r.nextGaussian());
        byte[] bytes = new byte[8];
        new Random(1).nextBytes(bytes);
        System.out.println(java.util.Arrays.toString(bytes) + " " + new Random(0).nextInt(1 << 20) + " " + new Random(-1).nextInt(7) + " " + new Random(5).nextInt(10, 20));
        System.out.println(new Random(99).ints(5, 0, 1000).boxed().toList() + " " + new Random(99).doubles(2).sum());
        SplittableRandom sr = new SplittableRandom(77);
        System.out.println("splittable " + sr.nextInt(1000) + " " + sr.nextLong() + " " + sr.split().nextInt(1000));
        double[] xs = {0, 0.5, 1, Math.PI / 6, Math.PI / 2, Math.PI, 2, 10, 100, -3.7, 1e-10, 1e10};
        for (double x : xs) {
            System.out.println(x + ": sin " + Math.sin(x) + " cos " + Math.cos(x) + " tan " + Math.tan(x) + " exp " + Math.exp(x) + " log " + Math.log(x)
                    + " log10 " + Math.log10(x) + " sqrt " + Math.sqrt(x) + " cbrt " + Math.cbrt(x) + " atan " + Math.atan(x));
            System.out.println(x + ": strict sin " + StrictMath.sin(x) + " exp " + StrictMath.exp(x) + " log " + StrictMath.log(x) + " pow " + StrictMath.pow(x, 1.5)
                    + " sinh " + Math.sinh(x) + " expm1 " + Math.expm1(x) + " log1p " + Math.log1p(x));
        }
        System.out.println("pow " + Math.pow(2, 10) + " " + Math.pow(2, -1) + " " + Math.pow(-8, 1.0 / 3) + " " + Math.pow(0, 0) + " " + Math.pow(10, 15) + " " + Math.pow(1.0001, 10000));
        System.out.println("atan2 " + Math.atan2(1, 1) + " " + Math.atan2(-0.0, -1) + " hypot " + Math.hypot(3, 4) + " " + Math.toDegrees(Math.PI) + " " + Math.toRadians(180));
        System.out.println("abs " + Math.abs(-5) + " " + Math.abs(Integer.MIN_VALUE) + " " + Math.abs(-0.0) + " " + Math.abs(-2.5f) + " " + Math.abs(Long.MIN_VALUE));
        System.out.println("floorMod " + Math.floorMod(-7, 3) + " " + Math.floorMod(7, -3) + " " + Math.floorMod(-7L, 3L) + " floorDiv " + Math.floorDiv(-7, 3));
        System.out.println("max/min " + Math.max(-0.0, 0.0) + " " + Math.min(-0.0, 0.0) + " " + Math.max(Double.NaN, 1) + " " + Math.min(1f, Float.NaN)
                + " " + Math.max(Integer.MIN_VALUE, -1) + " " + Math.min(-0.0f, 0.0f));
        System.out.println("signum " + Math.signum(-3.2) + " " + Math.signum(0.0) + " copySign " + Math.copySign(3, -0.0) + " scalb " + Math.scalb(1.5, 4)
                + " getExponent " + Math.getExponent(1024.0) + " IEEEremainder " + Math.IEEEremainder(10, 3) + " fma " + Math.fma(2.0, 3.0, 1.0));
        System.out.println("bits " + Integer.bitCount(0xF0F0) + " " + Long.bitCount(-1L) + " " + Integer.highestOneBit(1000) + " " + Integer.lowestOneBit(1000)
                + " " + Long.numberOfTrailingZeros(1L << 50) + " " + Integer.rotateRight(1, 1) + " " + Long.reverse(1L) + " " + Integer.toBinaryString(Integer.reverse(6)));
        System.out.println("exact " + Math.addExact(1, 2) + " " + Math.negateExact(-5) + " " + Math.floorDiv(Long.MIN_VALUE, -1) + " " + Math.multiplyHigh(Long.MAX_VALUE, 3));
        double acc = 0;
        Random g = new Random(31337);
        for (int i = 0; i < 1000; i++) acc += g.nextGaussian();
        System.out.println("gaussian sum " + acc);
        long h = 0;
        Random lr = new Random(555);
        for (int i = 0; i < 1000; i++) h = h * 31 + lr.nextInt(1 + i);
        System.out.println("bounded hash " + h);
    }
}
