// A non-blocking server on a Selector: accepts, reads a line per connection into its key's buffer, answers and closes,
// while a client thread connects three times with blocking sockets; then Selector.wakeup ends a select() with no
// timeout from another thread, selectNow, and closing the selector.
import java.io.*;
import java.net.*;
import java.nio.ByteBuffer;
import java.nio.channels.*;
import java.util.*;
public class N04SelectorServer {
    public static void main(String[] a) throws Exception {
        Selector selector = Selector.open();
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
        Thread clients = new Thread(() -> {
            for (int c = 0; c < 3; c++) {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    PrintWriter out = new PrintWriter(s.getOutputStream(), true);
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream()));
                    out.println("client " + c);
                    System.out.println("client " + c + " got: " + in.readLine());
                } catch (IOException e) { System.out.println("client " + e); }
            }
        });
        clients.start();
        int served = 0;
        while (served < 3) {
            selector.select(5000);
            Iterator<SelectionKey> it = selector.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey k = it.next(); it.remove();
                if (k.isAcceptable()) {
                    SocketChannel ch = server.accept();
                    if (ch == null) continue;
                    ch.configureBlocking(false);
                    ch.register(selector, SelectionKey.OP_READ, ByteBuffer.allocate(100));
                } else if (k.isReadable()) {
                    SocketChannel ch = (SocketChannel) k.channel();
                    ByteBuffer buf = (ByteBuffer) k.attachment();
                    int n = ch.read(buf);
                    if (n < 0) { ch.close(); continue; }
                    if (buf.position() > 0 && buf.get(buf.position() - 1) == '\n') {
                        buf.flip();
                        String line = new String(buf.array(), 0, buf.limit()).trim();
                        ch.write(ByteBuffer.wrap(("served " + line + "\n").getBytes()));
                        ch.close();
                        served++;
                    }
                }
            }
        }
        clients.join();
        Thread waker = new Thread(() -> { try { Thread.sleep(100); } catch (InterruptedException e) { } selector.wakeup(); });
        waker.start();
        long t0 = System.nanoTime();
        int n = selector.select();
        System.out.println("woken with " + n + " keys, quickly " + ((System.nanoTime() - t0) < 3_000_000_000L));
        System.out.println("selectNow " + selector.selectNow() + ", keys " + selector.keys().size());
        server.close();
        selector.close();
        System.out.println("closed " + !selector.isOpen());
    }
}
