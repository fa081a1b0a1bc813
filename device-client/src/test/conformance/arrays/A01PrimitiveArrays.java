// Every primitive array type: default values, stores with narrowing, lengths, clone independence.
import java.util.Arrays;

public class A01PrimitiveArrays {
    public static void main(String[] args) {
        boolean[] z = new boolean[3]; byte[] b = new byte[3]; short[] s = new short[3]; char[] c = new char[3];
        int[] i = new int[3]; long[] l = new long[3]; float[] f = new float[3]; double[] d = new double[3];
        Object[] o = new Object[3]; String[] str = new String[2];
        System.out.println(Arrays.toString(z) + Arrays.toString(b) + Arrays.toString(s) + Arrays.toString(i) + Arrays.toString(l)
                + Arrays.toString(f) + Arrays.toString(d) + Arrays.toString(o) + Arrays.toString(str) + " c0=" + (int) c[0]);
        for (int k = 0; k < 3; k++) {
            z[k] = k % 2 == 0; b[k] = (byte) (k * 100); s[k] = (short) (k * 20000); c[k] = (char) ('x' + k);
            i[k] = k * 1_000_000_000; l[k] = (long) k << 40; f[k] = k / 3f; d[k] = k / 3.0; o[k] = k;
        }
        System.out.println(Arrays.toString(z) + Arrays.toString(b) + Arrays.toString(s) + Arrays.toString(c) + Arrays.toString(i)
                + Arrays.toString(l) + Arrays.toString(f) + Arrays.toString(d) + Arrays.toString(o));
        b[1] += 100; s[2]++; c[0] -= 32; i[2] += i[2]; l[1] *= -1; f[1] *= 3; d[2] /= 0;
        System.out.println(b[1] + " " + s[2] + " " + c[0] + " " + i[2] + " " + l[1] + " " + f[1] + " " + d[2]);
        int[] copy = i.clone();
        copy[0] = 99;
        System.out.println(Arrays.toString(i) + " vs " + Arrays.toString(copy) + " same=" + (i == copy) + " len " + copy.length);
        char[] word = {'h', 'e', 'l', 'l', 'o'};
        System.out.println(word);
        System.out.println(String.valueOf(word, 1, 3) + " " + new String(word) + " " + word.length);
        byte[] bytes = "héllo".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        System.out.println(Arrays.toString(bytes) + " " + bytes.length);
        long sum = 0;
        int[] big = new int[100_000];
        for (int k = 0; k < big.length; k++) big[k] = k * 7 % 1000;
        for (int v : big) sum += v;
        System.out.println("sum " + sum);
        double[] dd = new double[1000];
        for (int k = 0; k < dd.length; k++) dd[k] = Math.sqrt(k);
        double ds = 0;
        for (double v : dd) ds += v;
        System.out.println("dsum " + ds);
        int[] empty = {};
        System.out.println("empty " + empty.length + " " + Arrays.toString(empty) + " " + Arrays.toString((int[]) null));
        boolean[] flags = new boolean[64];
        for (int k = 2; k < 64; k++) if (!flags[k]) for (int m = k * k; m < 64; m += k) flags[m] = true;
        StringBuilder primes = new StringBuilder();
        for (int k = 2; k < 64; k++) if (!flags[k]) primes.append(k).append(' ');
        System.out.println("primes " + primes);
    }
}
