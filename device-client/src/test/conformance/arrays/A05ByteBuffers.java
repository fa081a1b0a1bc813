// Heap ByteBuffers and their views: bulk puts and gets between buffers and arrays, int/long/char/double views in
// both byte orders (the bulk copies that swap bytes), compact, slice and duplicate, and charset encoding through
// buffers.
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.IntBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

public class A05ByteBuffers {
    public static void main(String[] args) {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            ByteBuffer b = ByteBuffer.allocate(64).order(order);
            b.asIntBuffer().put(new int[] {1, -2, 0x01020304});
            System.out.println(order + " ints " + Arrays.toString(Arrays.copyOf(b.array(), 12)));
            b.clear();
            b.asLongBuffer().put(new long[] {0x0102030405060708L});
            long[] back = new long[1];
            b.asLongBuffer().get(back);
            System.out.println(order + " long " + Arrays.toString(Arrays.copyOf(b.array(), 8)) + " back " + Long.toHexString(back[0]));
            b.clear();
            b.asCharBuffer().put("héllo");
            char[] chars = new char[5];
            b.asCharBuffer().get(chars);
            System.out.println(order + " chars " + new String(chars) + " " + Arrays.toString(Arrays.copyOf(b.array(), 4)));
            b.clear();
            b.asDoubleBuffer().put(new double[] {Math.PI, -0.0});
            double[] doubles = new double[2];
            b.asDoubleBuffer().get(doubles);
            System.out.println(order + " doubles " + Arrays.toString(doubles));
        }
        ByteBuffer src = ByteBuffer.wrap("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        ByteBuffer dst = ByteBuffer.allocate(32);
        src.position(4).limit(12);
        dst.put(src);
        System.out.println("buffer to buffer " + dst.position() + " " + new String(dst.array(), 0, dst.position(), StandardCharsets.US_ASCII));
        dst.flip();
        dst.get();
        dst.compact();
        System.out.println("compacted " + dst.position() + " " + new String(dst.array(), 0, dst.position(), StandardCharsets.US_ASCII));
        ByteBuffer slice = ByteBuffer.wrap(new byte[] {9, 8, 7, 6, 5, 4}).position(2).slice();
        byte[] part = new byte[3];
        slice.duplicate().get(part);
        System.out.println("slice " + slice.remaining() + " " + Arrays.toString(part));
        ByteBuffer overlap = ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        overlap.put(2, overlap, 0, 5);
        System.out.println("overlapping put " + Arrays.toString(overlap.array()));
        IntBuffer ints = IntBuffer.allocate(4).put(new int[] {4, 3, 2, 1});
        ints.flip();
        int[] sorted = new int[4];
        ints.get(sorted);
        Arrays.sort(sorted);
        System.out.println("ints " + Arrays.toString(sorted));
        String text = "ünïcödé text ".repeat(300);
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(text));
        System.out.println("encoded " + encoded.remaining() + " bytes, decoded back " + StandardCharsets.UTF_8.decode(encoded).toString().equals(text));
        ByteBuffer filled = ByteBuffer.allocate(10);
        Arrays.fill(filled.array(), (byte) 7);
        System.out.println("filled " + Arrays.toString(filled.array()));
    }
}
