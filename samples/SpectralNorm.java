/**
 * The Computer Language Benchmarks Game "spectral-norm" (single-threaded): the spectral norm of an infinite matrix
 * by power iteration. Argument: n (default 600).
 */
public class SpectralNorm {
    static double a(int i, int j) {
        return 1.0 / ((i + j) * (i + j + 1) / 2 + i + 1);
    }

    static void multiplyAv(double[] v, double[] av) {
        for (int i = 0; i < v.length; i++) {
            double s = 0;
            for (int j = 0; j < v.length; j++) {
                s += a(i, j) * v[j];
            }
            av[i] = s;
        }
    }

    static void multiplyAtv(double[] v, double[] atv) {
        for (int i = 0; i < v.length; i++) {
            double s = 0;
            for (int j = 0; j < v.length; j++) {
                s += a(j, i) * v[j];
            }
            atv[i] = s;
        }
    }

    static void multiplyAtAv(double[] v, double[] out, double[] tmp) {
        multiplyAv(v, tmp);
        multiplyAtv(tmp, out);
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 600;
        double[] u = new double[n], v = new double[n], tmp = new double[n];
        java.util.Arrays.fill(u, 1);
        for (int i = 0; i < 10; i++) {
            multiplyAtAv(u, v, tmp);
            multiplyAtAv(v, u, tmp);
        }
        double vBv = 0, vv = 0;
        for (int i = 0; i < n; i++) {
            vBv += u[i] * v[i];
            vv += v[i] * v[i];
        }
        System.out.printf("%.9f%n", Math.sqrt(vBv / vv));
    }
}
