// Multi-dimensional arrays: rectangular (multianewarray), ragged, partially specified, deepToString, deepEquals.
import java.util.Arrays;

public class A02MultiDimensional {
    public static void main(String[] args) {
        int[][][] cube = new int[2][3][4];
        for (int a = 0; a < 2; a++) for (int b = 0; b < 3; b++) for (int c = 0; c < 4; c++) cube[a][b][c] = a * 100 + b * 10 + c;
        System.out.println(Arrays.deepToString(cube));
        System.out.println(cube.length + " " + cube[1].length + " " + cube[1][2].length + " " + cube.getClass().getName());
        int[][] ragged = new int[4][];
        for (int r = 0; r < ragged.length; r++) {
            ragged[r] = new int[r + 1];
            ragged[r][0] = ragged[r][r] = 1;
            for (int k = 1; k < r; k++) ragged[r][k] = ragged[r - 1][k - 1] + ragged[r - 1][k];
        }
        System.out.println(Arrays.deepToString(ragged));
        long[][] partial = new long[3][];
        System.out.println(Arrays.deepToString(partial));
        String[][] names = {{"a", "b"}, {}, {"c"}, null};
        System.out.println(Arrays.deepToString(names) + " " + names[2][0].length());
        double[][] m = new double[3][3];
        for (int k = 0; k < 3; k++) m[k][k] = 1.5;
        double[][] sq = new double[3][3];
        for (int r = 0; r < 3; r++) for (int c = 0; c < 3; c++) for (int k = 0; k < 3; k++) sq[r][c] += m[r][k] * m[k][c];
        System.out.println(Arrays.deepToString(sq));
        Object[] mixed = {new int[]{1, 2}, new char[]{'x'}, new Object[]{"deep", new boolean[]{true}}, "flat"};
        System.out.println(Arrays.deepToString(mixed));
        int[][] a1 = {{1, 2}, {3}}, a2 = {{1, 2}, {3}};
        System.out.println(Arrays.equals(a1, a2) + " " + Arrays.deepEquals(a1, a2) + " " + Arrays.deepHashCode(a1));
        char[][][] grid = new char[2][2][];
        grid[0][1] = "hi".toCharArray();
        System.out.println(grid[0][0] + " " + new String(grid[0][1]) + " " + grid[1].length);
        int[][] clone = a1.clone();
        clone[0][0] = 42;
        clone[1] = new int[]{7};
        System.out.println(Arrays.deepToString(a1) + " " + Arrays.deepToString(clone));
        Object[][] objs = new String[2][2];
        try {
            objs[0][0] = Integer.valueOf(1);
        } catch (ArrayStoreException e) {
            System.out.println("ASE " + e.getMessage());
        }
        int[][][][] four = new int[2][2][2][2];
        four[1][1][1][1] = 16;
        System.out.println(Arrays.deepToString(four));
        byte[][] zeroLen = new byte[0][5];
        System.out.println(zeroLen.length + " " + new int[3][0][7].length + " " + new int[3][0][7][0].length);
    }
}
