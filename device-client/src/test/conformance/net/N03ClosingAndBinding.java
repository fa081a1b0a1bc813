// Closing a listening socket ends a thread blocked in accept ("Socket closed") and frees its port at once for a new
// ServerSocket; a client socket bound before it connects is not listening (its connect to a closed port is refused).
import java.net.*;
public class N03ClosingAndBinding {
    public static void main(String[] a) throws Exception {
        ServerSocket s1 = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        int port = s1.getLocalPort();
        Thread t = new Thread(() -> { try { s1.accept(); } catch (Exception e) { System.out.println("accept ended: " + e.getMessage()); } });
        t.start();
        Thread.sleep(100);
        s1.close();
        t.join();
        try (ServerSocket s2 = new ServerSocket(port, 5, InetAddress.getLoopbackAddress())) { System.out.println("rebound " + (s2.getLocalPort() == port)); }
        Socket c = new Socket();
        c.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        System.out.println("client bound " + (c.getLocalPort() > 0) + " " + c.getLocalAddress());
        try { c.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)); } catch (ConnectException e) { System.out.println(e.getMessage()); }
    }
}
