// System.out and System.err written alternately (compared as separate streams), print/printf/write variants,
// char arrays, flush, PrintStream.checkError; exit code 0 with output left unflushed.
public class X05StdoutStderrInterleaved {
    public static void main(String[] args) {
        for (int i = 0; i < 5; i++) {
            System.out.println("out " + i);
            System.err.println("err " + i);
        }
        System.out.print('c');
        System.out.print(1);
        System.out.print(2L);
        System.out.print(1.5f);
        System.out.print(2.5);
        System.out.print(true);
        System.out.print(new char[]{'x', 'y'});
        System.out.print((Object) null);
        System.out.print((String) null);
        System.out.println();
        System.out.println(new char[]{'a', 'b'});
        System.out.println((Object) "obj");
        System.err.printf("%s=%d%n", "answer", 42);
        System.out.write('W');
        System.out.write(new byte[]{'X', 'Y', 'Z', '\n'}, 1, 3);
        System.out.append("appended").append('!').append("xyz", 1, 2).println();
        System.err.print("err without newline");
        System.out.println(System.out.checkError());
        System.out.print("last line without newline");
    }
}
