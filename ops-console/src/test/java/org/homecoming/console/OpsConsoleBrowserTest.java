package org.homecoming.console;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.fail;

/**
 * The console page in a real browser: Debian's headless Chromium, driven through Debian's chromedriver. A
 * screenshot is saved as {@code target/screenshots/ops-console.png}. Selenium Manager is never asked for
 * anything: both executables are given.
 *
 * <p>It runs wherever Chromium is installed. Where it is not, it is skipped and the test report says that the
 * real-browser test did not run ({@link OpsConsoleHtmlUnitTest} still checks the page). CI asks for it with
 * {@code -Dhomecoming.browser=chromium} (or {@code HOMECOMING_BROWSER=chromium}): then a missing browser
 * fails the run instead.
 */
@ExtendWith(OpsConsoleBrowserTest.RealBrowser.class)
class OpsConsoleBrowserTest extends ConsolePageCheck {

    private static final Logger log = LoggerFactory.getLogger(OpsConsoleBrowserTest.class);
    private static final Path CHROMIUM = Path.of(System.getProperty("homecoming.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("homecoming.chromedriver", "/usr/bin/chromedriver"));
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private static WebDriver browser;
    private static Path profile;

    @BeforeAll
    static void startBrowser() throws IOException {
        if (!RealBrowser.installed()) {
            // Only reached when the real browser was asked for (RealBrowser skips the class otherwise).
            fail("The real-browser test was asked for (%s) but Debian's headless Chromium is missing: %s and %s "
                    + "must exist. Install them with `apt-get install -y chromium chromium-driver`.",
                    RealBrowser.request(), CHROMIUM, CHROMEDRIVER);
        }
        profile = Files.createTempDirectory("chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1440,2100", "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver chrome = new ChromeDriver(service, options);
        log.info("Real-browser test runs in {} {}", chrome.getCapabilities().getBrowserName(),
                chrome.getCapabilities().getBrowserVersion());
        browser = chrome;
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Override
    WebDriver browser() {
        return browser;
    }

    @Override
    String expectedTransport() {
        return "stream";
    }

    @Override
    void pageChecked(WebDriver browser) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        File screenshot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(screenshot.toPath(), SCREENSHOTS.resolve("ops-console.png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Runs the class when Chromium is installed or when the real browser was asked for; skips it, saying so
     * plainly in the test report, otherwise. Evaluated before the Spring context starts.
     */
    static final class RealBrowser implements ExecutionCondition {

        static final String PROPERTY = "homecoming.browser";
        static final String VARIABLE = "HOMECOMING_BROWSER";

        static boolean installed() {
            return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        }

        /** What was asked for: the system property, else the environment variable, else nothing. */
        static String request() {
            String asked = System.getProperty(PROPERTY, System.getenv(VARIABLE));
            return asked == null || asked.isBlank() ? null : PROPERTY + "=" + asked.strip();
        }

        static boolean required() {
            String asked = System.getProperty(PROPERTY, System.getenv(VARIABLE));
            return asked != null && asked.strip().equalsIgnoreCase("chromium");
        }

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (installed()) {
                return ConditionEvaluationResult.enabled("Chromium is installed at " + CHROMIUM);
            }
            if (required()) {
                return ConditionEvaluationResult.enabled("the real browser was asked for: a missing one fails the run");
            }
            String reason = "THE REAL-BROWSER TEST DID NOT RUN: no Chromium at " + CHROMIUM + " with chromedriver at "
                    + CHROMEDRIVER + ". The page was checked in HtmlUnit only (OpsConsoleHtmlUnitTest). Install "
                    + "Debian's chromium and chromium-driver to run it; -Dhomecoming.browser=chromium makes it required.";
            log.warn(reason);
            return ConditionEvaluationResult.disabled(reason);
        }
    }
}
