// Integer division by zero throws ArithmeticException; floating division does not.
public class B04DivisionByZero {
    static int zero() { return 0; }

    public static void main(String[] args) {
        try {
            System.out.println(10 / zero());
        } catch (ArithmeticException e) {
            System.out.println("idiv: " + e.getMessage() + " / " + e);
        }
        try {
            System.out.println(10 % zero());
        } catch (ArithmeticException e) {
            System.out.println("irem: " + e.getMessage());
        }
        try {
            System.out.println(10L / zero());
        } catch (ArithmeticException e) {
            System.out.println("ldiv: " + e.getMessage());
        }
        try {
            System.out.println(10L % (long) zero());
        } catch (ArithmeticException e) {
            System.out.println("lrem: " + e.getMessage());
        }
        try {
            System.out.println(Math.floorMod(5, zero()));
        } catch (ArithmeticException e) {
            System.out.println("floorMod: " + e.getMessage());
        }
        try {
            System.out.println(Math.addExact(Integer.MAX_VALUE, 1 + zero()));
        } catch (ArithmeticException e) {
            System.out.println("addExact: " + e.getMessage());
        }
        try {
            System.out.println(Math.multiplyExact(Long.MAX_VALUE, 2L + zero()));
        } catch (ArithmeticException e) {
            System.out.println("multiplyExact: " + e.getMessage());
        }
        try {
            System.out.println(Math.toIntExact(1L << 40));
        } catch (ArithmeticException e) {
            System.out.println("toIntExact: " + e.getMessage());
        }
        System.out.println("fdiv " + (10.0 / zero()) + " " + (10.0f % zero()) + " " + (-10.0 / zero()));
        int count = 0;
        for (int i = -3; i <= 3; i++) {
            try {
                count += 12 / i;
            } catch (ArithmeticException e) {
                System.out.println("at i=" + i + " " + e.getClass().getName());
            }
        }
        System.out.println("count " + count);
    }
}
