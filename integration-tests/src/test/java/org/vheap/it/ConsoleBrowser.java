package org.vheap.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by Selenium through Debian's chromedriver, both found on this machine (nothing is
 * downloaded: {@code .ci/run} installs the packages {@code chromium} and {@code chromium-driver}). Without them it
 * fails, saying which is missing. Screenshots go to {@code target/console-screenshots/} for a person to look at.
 */
final class ConsoleBrowser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    final ChromeDriver driver;
    private final String base;
    private final Path profile;

    ConsoleBrowser(String base) throws IOException {
        for (Path p : new Path[] {CHROMIUM, CHROMEDRIVER}) {
            if (!Files.isExecutable(p)) {
                throw new AssertionError(p + " is missing: install Debian's chromium and chromium-driver"
                        + " (apt-get install chromium chromium-driver; .ci/run does)");
            }
        }
        this.base = base;
        this.profile = Files.createTempDirectory("vheap-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1280,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        this.driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(120));
    }

    void open(String path) {
        driver.get(base + path);
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    /** Waits (up to {@code seconds}) until the element {@code css} shows {@code text}; returns the element. */
    WebElement awaitText(String css, String text, int seconds) {
        new WebDriverWait(driver, Duration.ofSeconds(seconds))
                .until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
        return find(css);
    }

    /** Waits (up to {@code seconds}) until the job on this page has ended; returns its status: done or failed. */
    String awaitJob(int seconds) {
        new WebDriverWait(driver, Duration.ofSeconds(seconds)).until(d -> {
            String s = d.findElement(By.id("job-status")).getText();
            return s.equals("done") || s.equals("failed");
        });
        return find("#job-status").getText();
    }

    /** The session cookie's value, for requests made beside the browser. */
    String sessionCookie() {
        return driver.manage().getCookieNamed("vheap-console").getValue();
    }

    void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (java.util.stream.Stream<Path> s = Files.walk(profile)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temp directory left behind; the test's outcome stands
            }
        }
    }
}
