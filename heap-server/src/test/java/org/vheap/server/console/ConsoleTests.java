package org.vheap.server.console;

import io.grpc.Channel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * The console tests' one helper: a {@link ConsoleServer} on a loopback port over a test heap server's channel, and a
 * browser-like HTTP client that keeps the session cookie and the page's CSRF token (no redirects followed: the tests
 * look at them).
 */
final class ConsoleTests {
    private ConsoleTests() {
    }

    static ConsoleServer console(Channel server, boolean tokensRequired, org.vheap.security.ServerTls tls, long maxUpload) {
        return ConsoleServer.start(new ConsoleSettings("127.0.0.1", 0, tokensRequired, true, tls, maxUpload), server,
                new SimpleMeterRegistry(), () -> Map.of("Database", "the test's"), Clock.systemUTC());
    }

    /** One browser: its cookie and the CSRF token of the last page it read. */
    static final class Browser {
        private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
        private final HttpClient http;
        final String base;
        String cookie;
        String csrf;

        Browser(String base) {
            this(base, null);
        }

        Browser(String base, SSLContext tls) {
            HttpClient.Builder b = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER);
            if (tls != null) {
                b.sslContext(tls);
            }
            this.http = b.build();
            this.base = base;
        }

        HttpResponse<String> get(String path) throws IOException, InterruptedException {
            return keep(http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString()));
        }

        /** A form POST; {@code fields} are name, value pairs (the CSRF token is not added: say it). */
        HttpResponse<String> post(String path, String... fields) throws IOException, InterruptedException {
            StringBuilder body = new StringBuilder();
            for (int i = 0; i + 1 < fields.length; i += 2) {
                body.append(body.length() == 0 ? "" : "&").append(Html.url(fields[i])).append('=').append(Html.url(fields[i + 1]));
            }
            return keep(http.send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString()));
        }

        /** A multipart POST of one file field {@code file} with {@code bytes}, and the session's CSRF token. */
        HttpResponse<String> upload(String path, byte[] bytes) throws IOException, InterruptedException {
            String boundary = "vheap-test-boundary";
            byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + csrf + "\r\n--"
                    + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.vheap\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
            byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
            byte[] all = new byte[head.length + bytes.length + tail.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(bytes, 0, all, head.length, bytes.length);
            System.arraycopy(tail, 0, all, head.length + bytes.length, tail.length);
            return keep(http.send(request(path).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(all)).build(), HttpResponse.BodyHandlers.ofString()));
        }

        private HttpRequest.Builder request(String path) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
            if (cookie != null) {
                b.header("Cookie", ConsoleServer.COOKIE + "=" + cookie);
            }
            return b;
        }

        private HttpResponse<String> keep(HttpResponse<String> r) {
            r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(ConsoleServer.COOKIE + "="))
                    .findFirst().ifPresent(c -> cookie = c.substring(ConsoleServer.COOKIE.length() + 1, c.indexOf(';')));
            Matcher m = CSRF.matcher(r.body());
            if (m.find()) {
                csrf = m.group(1);
            }
            return r;
        }
    }
}
