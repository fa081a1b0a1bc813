// Floating point: NaN, infinities, -0.0, comparisons and Double/Float.toString of many values.
public class B02FloatingPoint {
    static double d(double x) { return x; }
    static float f(float x) { return x; }

    public static void main(String[] args) {
        double[] ds = {0.0, -0.0, 1.0, -1.0, 0.1, 0.1 + 0.2, 1e-5, 1e-4, 1e-3, 1e7, 1e6, 9999999.0, 1e21, 1e22,
                123456789.123, 1.0 / 3, 2.0 / 3, Math.PI, Math.E, Double.MIN_VALUE, Double.MAX_VALUE,
                Double.MIN_NORMAL, 100.0, 1234.5678, 5e-324, 4.35, 0.001, 1.0E-10, 2e-7, 3.0e10,
                Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e23, 8.41e21, 2.0E-3, 9.999999999999999e22};
        for (double v : ds) {
            System.out.println("d " + v + " | " + Double.toString(d(v)) + " | " + (float) v + " | " + Double.toHexString(v));
        }
        float[] fs = {0.1f, 0.2f, 0.1f + 0.2f, 1.0f / 3, 1e10f, 1e-10f, 3.4028235e38f, Float.MIN_VALUE, 16777217f, 100f, 1.1f,
                Float.NaN, -0.0f, 1e7f, 1.0e-3f};
        for (float v : fs) {
            System.out.println("f " + v + " | " + (double) v + " | " + Float.floatToIntBits(v));
        }
        double nan = d(Double.NaN), pz = d(0.0), nz = d(-0.0), inf = d(1.0) / pz;
        System.out.println("nan==nan " + (nan == nan) + " nan!=nan " + (nan != nan) + " nan<1 " + (nan < 1) + " nan>1 " + (nan > 1));
        System.out.println("equals(nan) " + Double.valueOf(nan).equals(nan) + " compare " + Double.compare(nan, inf));
        System.out.println("0.0==-0.0 " + (pz == nz) + " compare " + Double.compare(pz, nz) + " equals " + Double.valueOf(pz).equals(nz));
        System.out.println("1/-0.0 " + (1.0 / nz) + " 1/0.0 " + inf + " 0/0 " + (pz / pz) + " inf-inf " + (inf - inf));
        System.out.println("-inf " + (-inf) + " inf*0 " + (inf * pz) + " sqrt(-1) " + Math.sqrt(-1));
        System.out.println("5.5%2 " + (d(5.5) % 2) + " -5.5%2 " + (d(-5.5) % 2) + " 5%inf " + (d(5) % inf) + " inf%5 " + (inf % 5));
        System.out.println("float div " + (f(1f) / f(0f)) + " " + (f(-1f) / f(0f)) + " " + (f(0f) / f(0f)));
        System.out.println("min/max " + Math.min(pz, nz) + " " + Math.max(pz, nz) + " " + Math.min(nan, 1.0) + " " + Math.max(1.0, nan));
        System.out.println("float arith " + (f(0.1f) * f(3f)) + " " + (f(1f) - f(0.9f)) + " " + (f(16777216f) + f(1f)));
        System.out.println("double arith " + (d(0.1) * 3) + " " + (d(1) - d(0.9)) + " " + (d(1e16) + 1) + " " + (d(2) / 3 * 3));
        double acc = 0;
        for (int i = 1; i <= 100; i++) acc += 1.0 / i;
        System.out.println("harmonic " + acc);
        float facc = 0;
        for (int i = 1; i <= 100; i++) facc += 1.0f / i;
        System.out.println("fharmonic " + facc);
        System.out.println("ulp " + Math.ulp(1.0) + " nextUp " + Math.nextUp(1.0) + " " + Math.nextUp(1.0f));
        System.out.println("raw " + Double.doubleToRawLongBits(nz) + " " + Long.toHexString(Double.doubleToLongBits(nan)));
        System.out.println("isNaN " + Double.isNaN(nan) + " isInfinite " + Double.isInfinite(inf) + " isFinite " + Double.isFinite(1e308 * 10));
        System.out.println("strictfp-ish " + (d(1e308) * 10 / 10) + " " + (d(1e-320) * 1e10));
    }
}
