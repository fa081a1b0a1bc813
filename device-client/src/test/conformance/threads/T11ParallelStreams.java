// Parallel streams and the common ForkJoinPool (on the device, green threads): sums, collectors, reductions with
// an identity, a RecursiveTask, and an exception thrown inside a parallel stage. Only results that do not depend
// on which thread ran what are printed.
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

public class T11ParallelStreams {
    static final class Fib extends RecursiveTask<Long> {
        final int n;

        Fib(int n) {
            this.n = n;
        }

        @Override
        protected Long compute() {
            if (n < 12) {
                long a = 0;
                long b = 1;
                for (int i = 0; i < n; i++) {
                    long t = a + b;
                    a = b;
                    b = t;
                }
                return a;
            }
            Fib left = new Fib(n - 1);
            left.fork();
            return new Fib(n - 2).compute() + left.join();
        }
    }

    public static void main(String[] args) {
        System.out.println("sum " + IntStream.rangeClosed(1, 100_000).parallel().asLongStream().sum());
        System.out.println("ordered list " + IntStream.range(0, 20).parallel().map(i -> i * i).boxed().collect(Collectors.toList()));
        Map<Boolean, Long> parity = IntStream.range(0, 1000).parallel().boxed()
                .collect(Collectors.partitioningBy(i -> i % 2 == 0, Collectors.counting()));
        System.out.println("partition " + parity);
        Map<Integer, List<String>> byLength = new TreeMap<>(Arrays.asList("a", "bb", "cc", "ddd", "e", "fff", "gggg")
                .parallelStream().collect(Collectors.groupingByConcurrent(String::length)));
        byLength.replaceAll((k, v) -> v.stream().sorted().collect(Collectors.toList()));
        System.out.println("grouped " + byLength);
        System.out.println("reduce " + LongStream.rangeClosed(1, 20).parallel().reduce(1, (a, b) -> a * b));
        LongAdder adder = new LongAdder();
        IntStream.range(0, 5000).parallel().forEach(i -> adder.add(i));
        System.out.println("adder " + adder.sum());
        System.out.println("fib(25) " + ForkJoinPool.commonPool().invoke(new Fib(25)));
        System.out.println("sorted " + Arrays.toString(IntStream.range(0, 3000).map(i -> (i * 7919) % 3001).parallel()
                .sorted().limit(8).toArray()));
        try {
            IntStream.range(0, 100).parallel().forEach(i -> {
                if (i == 42) {
                    throw new IllegalStateException("bad element " + i);
                }
            });
        } catch (IllegalStateException e) {
            // thrown in a worker, it comes back wrapped in a new exception of its class; in the caller, as it is
            Throwable thrown = e.getCause() instanceof IllegalStateException ? e.getCause() : e;
            System.out.println("caught " + thrown.getMessage());
        }
    }
}
