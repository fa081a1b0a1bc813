/**
 * Counts 1..N, printing each number with a short sleep in between: the app that gets migrated between devices
 * mid-run. Arguments: [N] [sleepMillis]; without N it counts forever.
 */
public class Counter {
    public static void main(String[] args) throws InterruptedException {
        long limit = args.length > 0 ? Long.parseLong(args[0]) : Long.MAX_VALUE;
        long sleep = args.length > 1 ? Long.parseLong(args[1]) : 100;
        for (long i = 1; i <= limit; i++) {
            System.out.println(i);
            if (i < limit) {
                Thread.sleep(sleep);
            }
        }
    }
}
