// java.net.http.HttpClient (HTTP/1.1, plain HTTP) against a one-request server in a thread of the same app: the
// client's selector thread, its executor and the request's CompletableFutures all run on the device's green threads.
import java.net.*;
import java.net.http.*;
import java.io.*;
public class N05HttpClient {
    public static void main(String[] a) throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = ss.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream()));
                    String first = in.readLine();
                    while (!in.readLine().isEmpty()) { }
                    String body = "hello " + first.split(" ")[1];
                    OutputStream out = s.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\nContent-Type: text/plain\r\n\r\n" + body).getBytes());
                    out.flush();
                } catch (IOException e) { System.out.println("server " + e); }
            });
            t.setDaemon(true);
            t.start();
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ss.getLocalPort() + "/path")).build(),
                    HttpResponse.BodyHandlers.ofString());
            System.out.println(r.statusCode() + " " + r.body());
        }
    }
}
