// Sockets on loopback: a ServerSocket and a Socket in one app (a server thread echoing lines), HotSpot's
// ConnectException for a refused connection, and what a connected socket says of its addresses. The device offers
// the network (resource net) to conformance apps; ports are the system's, so only relations between them are printed.
import java.io.*;
import java.net.*;
public class N01EchoSockets {
    public static void main(String[] a) throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = ss.getLocalPort();
            Thread server = new Thread(() -> {
                try (Socket s = ss.accept();
                     BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream()));
                     PrintWriter out = new PrintWriter(s.getOutputStream(), true)) {
                    String line;
                    while ((line = in.readLine()) != null) out.println("echo " + line);
                } catch (IOException e) { System.out.println("server " + e); }
            });
            server.start();
            try (Socket c = new Socket("localhost", port);
                 BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream()));
                 PrintWriter out = new PrintWriter(c.getOutputStream(), true)) {
                for (int i = 0; i < 3; i++) { out.println("hello " + i); System.out.println(in.readLine()); }
                System.out.println("connected " + c.isConnected() + " remote port ok " + (c.getPort() == port));
            }
            server.join();
        }
        try { new Socket("127.0.0.1", 1); } catch (ConnectException e) { System.out.println(e); }
    }
}
