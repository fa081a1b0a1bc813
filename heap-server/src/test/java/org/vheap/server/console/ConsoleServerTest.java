package org.vheap.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.proto.v1.ListAppsRequest;
import org.vheap.proto.v1.HeapStoreGrpc;
import org.vheap.proto.v1.OpenHeapRequest;
import org.vheap.security.BearerToken;
import org.vheap.security.AccessTokens;
import org.vheap.server.testing.TestHeapServer;

/**
 * The console's rules without a browser, over a real heap server requiring tokens: logging in, the session cookie,
 * CSRF, logging out; bad input answered with a page saying what is wrong; an oversized upload refused with nothing
 * imported. (The pages at work, in a browser: {@code ConsoleBrowserTest} in the integration tests.)
 */
class ConsoleServerTest {
    private static final String ADMIN = AccessTokens.generate();

    @RegisterExtension
    static final TestHeapServer SERVER = TestHeapServer.inProcess().requireTokens(ADMIN);

    private static ConsoleServer console;

    @BeforeAll
    static void start() {
        console = ConsoleTests.console(SERVER.channel(), true, null, 4096);
    }

    @AfterAll
    static void stop() {
        console.close();
    }

    private static ConsoleTests.Browser loggedIn() throws Exception {
        ConsoleTests.Browser b = new ConsoleTests.Browser("http://127.0.0.1:" + console.port());
        assertThat(b.post("/login", "token", ADMIN).statusCode()).isEqualTo(303);
        assertThat(b.get("/apps").statusCode()).isEqualTo(200);
        return b;
    }

    @Test
    void theAdminTokenOpensASessionWhoseFormsCarryItsCsrfToken() throws Exception {
        ConsoleTests.Browser b = new ConsoleTests.Browser("http://127.0.0.1:" + console.port());
        HttpResponse<String> page = b.get("/apps");
        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("Location")).hasValue("/login");
        assertThat(b.get("/server/calls.json").statusCode()).as("data without a session").isEqualTo(401);

        HttpResponse<String> wrong = b.post("/login", "token", AccessTokens.generate());
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("not this server&#39;s admin token");
        assertThat(b.cookie).isNull();

        HttpResponse<String> in = b.post("/login", "token", ADMIN);
        assertThat(in.statusCode()).isEqualTo(303);
        String setCookie = in.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict").doesNotContain("Secure");
        HttpResponse<String> apps = b.get("/apps");
        assertThat(apps.statusCode()).isEqualTo(200);
        assertThat(apps.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).contains("default-src 'self'"));
        assertThat(b.csrf).isNotBlank();

        // an action without the CSRF token, or with another, is refused and does nothing
        String app = org.vheap.server.testing.TestHeaps.app("console");
        admin().openHeap(OpenHeapRequest.newBuilder().setApp(app).setDevice("d").setCreate(true).build());   // held by d
        HttpResponse<String> noToken = b.post("/apps/" + app + "/delete", "force", "true");
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(noToken.body()).contains("CSRF token is missing or stale");
        assertThat(b.post("/apps/" + app + "/delete", "force", "true", "csrf", b.csrf + "x").statusCode()).isEqualTo(403);
        assertThat(apps()).contains(app);
        HttpResponse<String> done = b.post("/apps/" + app + "/delete", "force", "true", "csrf", b.csrf, "back", "/apps/" + app);
        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(b.get("/apps").body()).contains("deleted app &#39;" + app + "&#39;");
        assertThat(apps()).doesNotContain(app);

        assertThat(b.post("/logout", "csrf", b.csrf).statusCode()).isEqualTo(303);
        assertThat(b.get("/apps").headers().firstValue("Location")).as("the session ended").hasValue("/login");
    }

    private static java.util.List<String> apps() {
        return admin().listApps(ListAppsRequest.getDefaultInstance()).getAppsList().stream().map(a -> a.getApp()).toList();
    }

    private static HeapStoreGrpc.HeapStoreBlockingStub admin() {
        return HeapStoreGrpc.newBlockingStub(SERVER.channel()).withInterceptors(new BearerToken(ADMIN));
    }

    @Test
    void badInputGetsAPageSayingWhatIsWrong() throws Exception {
        ConsoleTests.Browser b = loggedIn();
        HttpResponse<String> noApp = b.get("/apps/no-such-app-here");
        assertThat(noApp.statusCode()).isEqualTo(404);
        assertThat(noApp.body()).contains("no-such-app-here");
        HttpResponse<String> badId = b.get("/apps/x/checkpoints/abc/heap");
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(badId.body()).contains("a checkpoint id is a positive number, not &#39;abc&#39;");
        HttpResponse<String> badAddress = b.get("/apps/x/checkpoints/3/objects/0xZZ");
        assertThat(badAddress.statusCode()).isEqualTo(400);
        assertThat(badAddress.body()).contains("an object&#39;s address is a number");
        assertThat(b.get("/apps/x/diff").statusCode()).as("a diff needs from").isEqualTo(400);
        assertThat(b.get("/jobs/0123").statusCode()).isEqualTo(404);
        assertThat(b.get("/static/..%2Fconsole.css").statusCode()).isEqualTo(404);
        assertThat(b.get("/static/console.js").statusCode()).isEqualTo(200);
        // an action the server refuses comes back to its page, saying why
        HttpResponse<String> refused = b.post("/apps/no-such-app-here/checkpoints/1/delete", "csrf", b.csrf, "back", "/apps");
        assertThat(refused.statusCode()).isEqualTo(303);
        assertThat(b.get("/apps").body()).contains("class=\"flash error\"").contains("no-such-app-here");
        // it goes back only to a page of the console's own
        for (String elsewhere : new String[] {"//evil.example/apps", "/\\evil.example", "/\t/evil.example", "https://evil.example/",
                "/apps/../../x", "/login"}) {
            HttpResponse<String> away = b.post("/apps/no-such-app-here/checkpoints/1/delete", "csrf", b.csrf, "back", elsewhere);
            assertThat(away.headers().firstValue("Location")).as(elsewhere).hasValue("/apps");
        }
        HttpResponse<String> home = b.post("/apps/no-such-app-here/checkpoints/1/delete", "csrf", b.csrf, "back", "/devices");
        assertThat(home.headers().firstValue("Location")).hasValue("/devices");
        // a name that is not one is refused before any call
        HttpResponse<String> badDevice = b.post("/apps/x/resume", "csrf", b.csrf, "back", "/apps/x", "device", "a b<c>");
        assertThat(badDevice.headers().firstValue("Location")).hasValue("/apps/x");
        assertThat(b.get("/apps").body()).contains("a name is 1 to 128 letters, digits and . _ : -, not &#39;a b&lt;c&gt;&#39;");
    }

    @Test
    void anUploadBeyondTheLimitIsRefusedAndNothingIsImported() throws Exception {
        ConsoleTests.Browser b = loggedIn();
        int before = apps().size();
        HttpResponse<String> r = b.upload("/apps/import", new byte[200_000]);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("an upload may be at most 4.0 KiB");
        assertThat(apps()).hasSize(before);
    }
}
