package org.vheap.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.security.SelfSignedTls;
import org.vheap.security.ServerTls;
import org.vheap.server.testing.TestHeapServer;
import org.vheap.server.testing.TestHeaps;

/** A server with TLS serves its console over TLS with the same certificate, and marks the session cookie Secure. */
class ConsoleTlsTest {
    @RegisterExtension
    static final TestHeapServer SERVER = TestHeapServer.inProcess();

    @Test
    void theConsoleSpeaksTlsWithTheServersCertificateAndItsCookieIsSecure() throws Exception {
        Path dir = TestHeaps.tempDir("vheap-console-tls");
        try {
            ServerTls tls = SelfSignedTls.ensure(dir);
            try (ConsoleServer console = ConsoleTests.console(SERVER.channel(), false, tls, 1 << 20)) {
                ConsoleTests.Browser b = new ConsoleTests.Browser("https://localhost:" + console.port(), trusting(tls));
                HttpResponse<String> apps = b.get("/apps");
                assertThat(apps.statusCode()).isEqualTo(200);
                assertThat(apps.headers().firstValue("Set-Cookie").orElseThrow()).contains("Secure").contains("HttpOnly");
                assertThat(b.csrf).isNotBlank();
                // the port speaks only TLS: a plain HTTP request gets no page (Jetty answers it 400, or drops it)
                ConsoleTests.Browser plain = new ConsoleTests.Browser("http://localhost:" + console.port());
                int plainStatus;
                try {
                    plainStatus = plain.get("/apps").statusCode();
                } catch (java.io.IOException dropped) {
                    plainStatus = -1;
                }
                assertThat(plainStatus).isNotEqualTo(200);
            }
        } finally {
            TestHeaps.deleteRecursively(dir);
        }
    }

    private static SSLContext trusting(ServerTls tls) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("vheap", tls.certificate());
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, f.getTrustManagers(), null);
        return ssl;
    }
}
