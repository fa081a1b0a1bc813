// Direct ByteBuffers (native memory, which a device keeps for the app): puts and gets in both byte orders, bulk
// transfers to and from arrays and heap buffers, views, slices, reads and writes of a file channel through one, and
// many allocated and dropped.
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

public class A06DirectBuffers {
    public static void main(String[] args) throws IOException {
        ByteBuffer d = ByteBuffer.allocateDirect(64);
        System.out.println("direct " + d.isDirect() + ", capacity " + d.capacity() + ", has array " + d.hasArray()
                + ", zeroed " + (d.getLong(0) == 0 && d.getLong(56) == 0));
        d.putInt(0x01020304).putLong(-2).putDouble(Math.E).putChar('é');
        d.flip();
        System.out.println("big-endian: " + Integer.toHexString(d.getInt()) + " " + d.getLong() + " " + d.getDouble() + " " + d.getChar());
        d.clear().order(ByteOrder.LITTLE_ENDIAN).putInt(0x01020304);
        byte[] raw = new byte[4];
        d.flip();
        d.get(raw);
        System.out.println("little-endian bytes " + Arrays.toString(raw));
        d.clear();
        d.put(new byte[] {5, 6, 7, 8, 9}, 1, 3);
        ByteBuffer heap = ByteBuffer.allocate(8);
        d.flip();
        heap.put(d);
        System.out.println("to a heap buffer " + Arrays.toString(heap.array()));
        IntBuffer ints = ByteBuffer.allocateDirect(16).asIntBuffer();
        ints.put(new int[] {10, 20, 30, 40});
        int[] back = new int[4];
        ints.flip();
        ints.get(back);
        System.out.println("int view " + Arrays.toString(back));
        ByteBuffer slice = ByteBuffer.allocateDirect(10).put(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}).position(3).slice();
        System.out.println("slice " + slice.remaining() + " first " + slice.get(0) + " direct " + slice.isDirect());

        File f = File.createTempFile("vheap-a06-", ".bin");
        try (FileChannel ch = new RandomAccessFile(f, "rw").getChannel()) {
            ByteBuffer out = ByteBuffer.allocateDirect(1000);
            for (int i = 0; i < 1000; i++) {
                out.put((byte) (i * 7));
            }
            out.flip();
            System.out.println("channel wrote " + ch.write(out) + ", size " + ch.size());
            ByteBuffer in = ByteBuffer.allocateDirect(600);
            System.out.println("channel read " + ch.read(in, 100) + ", byte 0 " + in.get(0) + ", byte 599 " + in.get(599));
        } finally {
            f.delete();
        }
        long sum = 0;
        for (int i = 0; i < 200; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(4096);
            b.putInt(4092, i);
            sum += b.getInt(4092);
        }
        System.out.println("200 buffers, sum " + sum);
    }
}
