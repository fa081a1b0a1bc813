package org.vheap.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The web console in a real browser (headless Chromium, {@link ConsoleBrowser}) against a real heap server
 * ({@code ./vheap server --require-tokens --console-port P} on the embedded PostgreSQL) with two devices attached as
 * separate processes. The tests run in order, as an operator would: log in, see the app, migrate it from device a to
 * device b watching the progress reach done while its output goes on with no number lost or repeated, suspend it,
 * look inside its heap and follow a reference, diff two checkpoints, export and re-import a checkpoint, delete a
 * checkpoint, see a refused action's message; and requests without the session or the CSRF token are refused.
 * Each test leaves a screenshot in {@code target/console-screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
    /** Shelves N books, printing each one's number, then idles: a heap whose objects the test knows. */
    private static final String SHELF = """
            import java.util.*;
            public class Shelf {
                static final class Book {
                    final String title; final Book previous;
                    Book(String title, Book previous) { this.title = title; this.previous = previous; }
                }
                static final List<Book> books = new ArrayList<>();
                public static void main(String[] a) throws Exception {
                    int n = Integer.parseInt(a[0]);
                    long pause = Long.parseLong(a[1]);
                    Book last = null;
                    for (int i = 1; i <= n; i++) {
                        last = new Book("book-" + i, last);
                        books.add(last);
                        System.out.println(i);
                        Thread.sleep(pause);
                    }
                    while (true) { Thread.sleep(1000); }
                }
            }
            """;
    private static final int BOOKS = 600;
    private static final String APP = "shelf";

    private static Path work;
    private static VheapProcesses vheap;
    private static String server;
    private static Path adminToken;
    private static String console;
    private static int metricsPort;
    private static VheapProcesses.Started a;
    private static VheapProcesses.Started b;
    private static ConsoleBrowser browser;
    private static final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    /** The checkpoint the migration went through, and the last number device a printed. */
    private static long migrationCheckpoint;
    private static long printedOnA;

    /** A failed test leaves the page as the browser had it: a screenshot and its HTML. */
    @RegisterExtension
    static final AfterTestExecutionCallback PAGE_ON_FAILURE = context -> {
        if (context.getExecutionException().isPresent() && browser != null) {
            String name = "failed-" + context.getRequiredTestMethod().getName();
            browser.screenshot(name);
            Files.writeString(ConsoleBrowser.SCREENSHOTS.resolve(name + ".html"), browser.driver.getCurrentUrl() + "\n"
                    + browser.driver.getPageSource());
        }
    };

    @BeforeAll
    static void aServerWithTwoDevicesAndABrowser() throws Exception {
        work = Files.createTempDirectory("vheap-console");
        vheap = new VheapProcesses(work);
        adminToken = work.resolve("admin.token");
        int consolePort = VheapProcesses.freePort();
        metricsPort = VheapProcesses.freePort();
        server = vheap.startServer("--require-tokens", "--admin-token-file", adminToken.toString(),
                "--console-port", Integer.toString(consolePort), "--metrics-port", Integer.toString(metricsPort),
                "--retain", "50");
        console = "http://127.0.0.1:" + consolePort;
        // the admin token attaches them; the app's own token goes to (and is read from) a file of its own
        Path appToken = work.resolve("shelf.token");
        a = CounterMigration.device(vheap, server, "a", "--device-token-file", adminToken.toString(),
                "--token-file", appToken.toString());
        a.awaitErrors("attached", Duration.ofSeconds(60));
        Path classes = vheap.compile("Shelf", SHELF);
        a.send("run " + APP + " " + classes + " Shelf " + BOOKS + " 40");
        a.awaitOutput("\n5\n", Duration.ofSeconds(60));
        // b reads the app's token file at its start: once a has made the app
        b = CounterMigration.device(vheap, server, "b", "--device-token-file", adminToken.toString(),
                "--token-file", appToken.toString());
        b.awaitErrors("attached", Duration.ofSeconds(60));
        browser = new ConsoleBrowser(console);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        vheap.close();
        try (Stream<Path> s = Files.walk(work)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    @Order(1)
    void logInAndSeeTheRunningApp() throws Exception {
        browser.open("/apps");
        assertThat(browser.driver.getCurrentUrl()).endsWith("/login");
        browser.find("#token").sendKeys("not-the-token");
        browser.find("#login").click();
        assertThat(browser.awaitText("#refusal", "not this server's admin token", 30).getText()).isNotEmpty();
        WebElement token = browser.find("#token");
        token.clear();
        token.sendKeys(Files.readString(adminToken).strip());
        assertThat(token.getDomProperty("value")).isEqualTo(Files.readString(adminToken).strip());
        browser.find("#login").click();
        WebElement row = browser.awaitText("#apps tbody", APP, 30).findElement(By.cssSelector("tr[data-app='" + APP + "']"));
        assertThat(row.findElements(By.tagName("td")).get(1).getText()).isEqualTo("a");
        browser.screenshot("1-apps");
    }

    @Test
    @Order(2)
    void migrateFromAToBWatchingProgressAndTheOutputGoesOnExactly() throws Exception {
        browser.open("/apps/" + APP);
        new Select(browser.find("#migrate-to")).selectByVisibleText("b");
        browser.find("#migrate-button").click();
        assertThat(browser.awaitJob(120)).as(browser.find("#job-outcome").getText()).isEqualTo("done");
        List<String> events = browser.driver.findElements(By.cssSelector("#job-events li")).stream().map(WebElement::getText).toList();
        assertThat(events).anyMatch(e -> e.startsWith("suspending app 'shelf' on device 'a'"));
        assertThat(events).anyMatch(e -> e.matches("checkpoint \\d+ committed on 'a': \\d+ lines written, .*"));
        String outcome = browser.find("#job-outcome").getText();
        Matcher m = Pattern.compile("migrated app 'shelf' from device 'a' to device 'b' through checkpoint (\\d+)").matcher(outcome);
        assertThat(m.find()).as(outcome).isTrue();
        migrationCheckpoint = Long.parseLong(m.group(1));
        assertThat(browser.find("#job-moved").getText()).matches("[1-9]\\d* lines, .*");
        browser.screenshot("2-migration");
        // the page's live feed: server-sent events, progress carrying the lines and bytes moved so far, then done
        HttpResponse<String> stream = http.send(HttpRequest.newBuilder(URI.create(browser.driver.getCurrentUrl() + "/events"))
                .header("Cookie", "vheap-console=" + browser.sessionCookie()).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        List<String> kinds = stream.body().lines().filter(l -> l.startsWith("event:")).map(l -> l.substring(6).trim()).toList();
        assertThat(kinds).hasSizeGreaterThanOrEqualTo(3).endsWith("done");
        assertThat(kinds.subList(0, kinds.size() - 1)).containsOnly("progress");
        assertThat(stream.body()).containsPattern("\"kind\":\"progress\",\"text\":\"checkpoint \\d+ committed[^}]*\"lines\":[1-9]");

        b.awaitOutput("\n" + BOOKS + "\n", Duration.ofSeconds(180));
        List<String> all = new ArrayList<>(a.output().lines().toList());
        printedOnA = all.size();
        all.addAll(b.output().lines().toList());
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= BOOKS; i++) {
            expected.add(Integer.toString(i));
        }
        assertThat(all).as("a printed %d numbers, b the rest", printedOnA).isEqualTo(expected);
        assertThat(printedOnA).isBetween(5L, BOOKS - 1L);
    }

    @Test
    @Order(3)
    void theDevicesPageAndMetricsShowWhatTheDevicesReport() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<WebElement> row;
        do {   // a device reports every 5 s
            browser.open("/devices");
            row = browser.driver.findElements(By.cssSelector("tr[data-device-app='b/" + APP + "']"));
            if (row.isEmpty()) {
                Thread.sleep(500);
            }
        } while (row.isEmpty() && System.nanoTime() < deadline);
        assertThat(row).as("b's report names the app").hasSize(1);
        List<WebElement> cells = row.get(0).findElements(By.tagName("td"));
        assertThat(Long.parseLong(cells.get(2).getAttribute("data-value"))).as("faults on b").isPositive();
        assertThat(Long.parseLong(cells.get(7).getAttribute("data-value"))).as("heap in use").isPositive();
        assertThat(browser.find("#devices").getText()).contains("a").contains("b");
        browser.screenshot("2b-devices");
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).containsPattern("vheap_device_app_faults\\{app=\"" + APP + "\",device=\"b\"[^}]*\\} [1-9]");
    }

    @Test
    @Order(4)
    void aRefusedActionSaysWhyAndChangesNothing() throws Exception {
        browser.open("/apps/" + APP);
        browser.find("#delete-app").click();
        browser.driver.switchTo().alert().accept();
        WebElement flash = browser.awaitText("#flash", APP, 30);
        assertThat(flash.getAttribute("class")).contains("error");
        assertThat(flash.getText()).as("the server's own refusal").contains("is leased to device 'b'").contains("delete with force");
        assertThat(browser.find("#lease").getText()).contains("Running on device b");
        browser.screenshot("3-refused");
    }

    @Test
    @Order(5)
    void suspendThenFindABookAndFollowAReference() throws Exception {
        browser.open("/apps/" + APP);
        browser.find("section.actions form[action$='/suspend'] button").click();
        assertThat(browser.awaitText("#flash", "suspended app 'shelf' on device 'b'", 60).getText()).contains("checkpoint");
        browser.find("#checkpoints tbody tr a").click();   // the newest checkpoint's heap
        WebElement book = browser.awaitText("#histogram", "Shelf$Book", 120).findElement(By.linkText("Shelf$Book"));
        WebElement row = book.findElement(By.xpath("./ancestor::tr"));
        assertThat(row.findElements(By.tagName("td")).get(1).getText()).isEqualTo(Integer.toString(BOOKS));
        browser.screenshot("4-heap");
        book.click();
        browser.awaitText("#objects", "Shelf$Book", 60);
        List<WebElement> books = browser.driver.findElements(By.cssSelector("#objects tbody tr a.ref"));
        assertThat(books).hasSizeGreaterThan(1);
        books.get(books.size() - 1).click();   // not the first book, whose previous is null
        WebElement title = browser.awaitText("#fields", "title", 60);
        assertThat(title.getText()).containsPattern("book-\\d+");
        WebElement previous = title.findElement(By.xpath(".//tr[td[1][text()='previous']]//a"));
        String previousText = previous.getText();
        previous.click();
        browser.awaitText("h1", "Shelf$Book at ", 60);
        assertThat(previousText).contains(browser.find("h1").getText().replace("Shelf$Book at ", ""));
        List<WebElement> path = browser.driver.findElements(By.cssSelector("#path li"));
        assertThat(path).isNotEmpty();
        assertThat(path.get(0).getText()).as("the path starts at a root").contains("Shelf");
        browser.screenshot("5-object");
    }

    @Test
    @Order(6)
    void diffTheMigrationCheckpointWithTheNewest() throws Exception {
        browser.open("/apps/" + APP + "/diff?from=" + migrationCheckpoint);
        WebElement row = browser.awaitText("#diff-classes", "Shelf$Book", 120).findElement(By.xpath(".//tr[td[1][text()='Shelf$Book']]"));
        long added = Long.parseLong(row.findElements(By.tagName("td")).get(1).getText());
        // the migration's checkpoint held the books a printed, or one more it had shelved but not yet printed
        assertThat(added).isBetween(BOOKS - printedOnA - 1, BOOKS - printedOnA);
        assertThat(browser.find("#diff-summary").getText()).containsPattern("\\d+ changed");
        browser.screenshot("6-diff");
    }

    @Test
    @Order(7)
    void exportACheckpointAndImportItBack() throws Exception {
        browser.open("/apps/" + APP);
        browser.find("#checkpoints tbody tr form[action$='/export'] button").click();
        assertThat(browser.awaitJob(120)).as(browser.find("#job-outcome").getText()).isEqualTo("done");
        assertThat(browser.find("#job-events").getText()).contains("lines");
        String href = browser.find("#download").getAttribute("href");
        browser.screenshot("7-export");
        HttpResponse<Path> file = http.send(HttpRequest.newBuilder(URI.create(href))
                        .header("Cookie", "vheap-console=" + browser.sessionCookie()).build(),
                HttpResponse.BodyHandlers.ofFile(work.resolve("shelf.vheap")));
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(Files.size(file.body())).isGreaterThan(4096);

        browser.open("/apps");
        browser.find("#import-file").sendKeys(file.body().toAbsolutePath().toString());
        browser.find("#import-app").sendKeys("shelf-copy");
        browser.find("#import-button").click();
        assertThat(browser.awaitJob(120)).as(browser.find("#job-outcome").getText()).isEqualTo("done");
        assertThat(browser.find("#job-outcome").getText()).contains("imported app 'shelf-copy' as checkpoint");
        browser.open("/apps");
        assertThat(browser.find("#apps").getText()).contains("shelf-copy");
        browser.screenshot("8-import");

        // the imported copy, compacted with no device: a job that ends in a new checkpoint
        browser.open("/apps/shelf-copy");
        browser.find("#checkpoints tbody tr form[action$='/collect'] input[name='compact']").findElement(By.xpath("./.."))
                .findElement(By.tagName("button")).click();
        assertThat(browser.awaitJob(120)).as(browser.find("#job-outcome").getText()).isEqualTo("done");
        assertThat(browser.find("#job-outcome").getText()).containsPattern("collected checkpoint \\d+ into checkpoint \\d+: "
                + "\\d+ objects kept .* objects moved");
        browser.screenshot("8b-compacted");
        browser.open("/apps");

        // a file that is no heap image: refused with the server's message, and no app made
        Path junk = work.resolve("junk.vheap");
        Files.write(junk, new byte[8192]);
        browser.find("#import-file").sendKeys(junk.toAbsolutePath().toString());
        browser.find("#import-app").sendKeys("junk");
        browser.find("#import-button").click();
        assertThat(browser.awaitJob(120)).isEqualTo("failed");
        assertThat(browser.find("#job-outcome").getText()).isNotBlank();
        browser.screenshot("8c-import-refused");
        browser.open("/apps");
        assertThat(browser.driver.findElements(By.cssSelector("tr[data-app='junk']"))).isEmpty();
    }

    @Test
    @Order(8)
    void resumeFromAnOlderCheckpointOnAChosenDeviceForks() throws Exception {
        browser.open("/apps/" + APP);
        new Select(browser.find("#resume-on")).selectByVisibleText("a");
        new Select(browser.find("#resume-from")).selectByValue(Long.toString(migrationCheckpoint));
        browser.find("#resume-button").click();
        assertThat(browser.awaitText("#flash", "resumed app 'shelf' on device 'a' from checkpoint " + migrationCheckpoint, 60)
                .getAttribute("class")).contains("ok");
        assertThat(browser.find("#lease").getText()).contains("Running on device a");
        browser.find("section.actions form[action$='/suspend'] button").click();
        String suspended = browser.awaitText("#flash", "suspended app 'shelf' on device 'a': checkpoint", 60).getText();
        String fork = suspended.substring(suspended.lastIndexOf(' ') + 1);
        WebElement row = browser.find("#checkpoint-" + fork);
        assertThat(row.getAttribute("class")).contains("fork");
        assertThat(row.findElements(By.tagName("td")).get(1).getText()).isEqualTo(Long.toString(migrationCheckpoint));
        browser.screenshot("9-fork");
    }

    @Test
    @Order(9)
    void deleteACheckpoint() throws Exception {
        browser.open("/apps/" + APP);
        String id = Long.toString(migrationCheckpoint);
        browser.find("#checkpoint-" + id + " form[action$='/delete'] button").click();
        browser.driver.switchTo().alert().accept();
        assertThat(browser.awaitText("#flash", "deleted checkpoint " + id, 30).getAttribute("class")).contains("ok");
        assertThat(browser.driver.findElements(By.id("checkpoint-" + id))).isEmpty();
        browser.screenshot("10-deleted");
    }

    @Test
    @Order(10)
    void withoutTheSessionOrTheCsrfTokenNothingIsDone() throws Exception {
        String action = console + "/apps/" + APP + "/delete";
        HttpResponse<String> noSession = http.send(HttpRequest.newBuilder(URI.create(action))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("force=true")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noSession.statusCode()).isEqualTo(401);
        HttpResponse<String> noCsrf = http.send(HttpRequest.newBuilder(URI.create(action))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", "vheap-console=" + browser.sessionCookie())
                .POST(HttpRequest.BodyPublishers.ofString("force=true")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noCsrf.statusCode()).isEqualTo(403);
        assertThat(noCsrf.body()).contains("CSRF");
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(console + "/apps")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("Location")).hasValue("/login");
        browser.open("/apps");
        assertThat(browser.find("#apps").getText()).contains(APP);
        assertThat(vheap.vheap("apps", "--server", server, "--token-file", adminToken.toString()).output()).contains(APP);
    }
}
