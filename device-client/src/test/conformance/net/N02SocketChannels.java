// Socket channels and the corners of sockets: a blocking SocketChannel to a ServerSocketChannel (direct and heap
// buffers, gathering writes and scattering reads, shutdownOutput), a read timeout (SocketTimeoutException),
// TCP_NODELAY, a read after the peer closed, a port already in use (BindException), an unknown host.
import java.io.*;
import java.net.*;
import java.nio.ByteBuffer;
import java.nio.channels.*;
import java.nio.charset.StandardCharsets;
public class N02SocketChannels {
    public static void main(String[] a) throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            Thread t = new Thread(() -> {
                try (SocketChannel c = server.accept()) {
                    ByteBuffer buf = ByteBuffer.allocate(64);
                    while (c.read(buf) >= 0) {
                        buf.flip(); c.write(buf); buf.clear();
                    }
                } catch (IOException e) { System.out.println("server " + e); }
            });
            t.start();
            try (SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
                System.out.println("connected " + c.isConnected() + " blocking " + c.isBlocking());
                ByteBuffer direct = ByteBuffer.allocateDirect(1000);
                for (int i = 0; i < 1000; i++) direct.put((byte) i);
                direct.flip();
                while (direct.hasRemaining()) c.write(direct);
                ByteBuffer in = ByteBuffer.allocate(1000);
                while (in.hasRemaining()) c.read(in);
                int sum = 0; for (int i = 0; i < 1000; i++) sum += in.get(i);
                System.out.println("echoed 1000 bytes, sum " + sum);
                ByteBuffer[] parts = {ByteBuffer.wrap("abc".getBytes()), ByteBuffer.wrap("def".getBytes())};
                c.write(parts);
                ByteBuffer x = ByteBuffer.allocate(3), y = ByteBuffer.allocate(3);
                while (y.hasRemaining()) c.read(new ByteBuffer[] {x, y});
                System.out.println(new String(x.array()) + "|" + new String(y.array()));
                c.shutdownOutput();
            }
            t.join();
        }
        try (ServerSocket ss = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             Socket s = new Socket(ss.getInetAddress(), ss.getLocalPort());
             Socket peer = ss.accept()) {
            s.setSoTimeout(200);
            long t0 = System.nanoTime();
            try { s.getInputStream().read(); } catch (SocketTimeoutException e) { System.out.println("timeout: " + e.getMessage() + " after >=200ms " + ((System.nanoTime()-t0)/1_000_000 >= 200)); }
            s.setTcpNoDelay(true);
            System.out.println("nodelay " + s.getTcpNoDelay() + " local " + s.getLocalAddress() + " peer port match " + (peer.getPort() == s.getLocalPort()));
            peer.close();
            System.out.println("read after peer closed: " + s.getInputStream().read());
        }
        try (ServerSocket a1 = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            try { new ServerSocket(a1.getLocalPort(), 5, InetAddress.getLoopbackAddress()); } catch (BindException e) { System.out.println(e); }
        }
        try { new Socket("no-such-host.invalid", 80); } catch (UnknownHostException e) { System.out.println(e); }
        System.out.println(InetAddress.getByName("localhost"));
    }
}
