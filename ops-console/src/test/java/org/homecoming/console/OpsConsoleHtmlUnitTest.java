package org.homecoming.console;

import org.htmlunit.BrowserVersion;
import org.htmlunit.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.htmlunit.HtmlUnitDriver;

/**
 * The console page in HtmlUnit, a headless browser in pure Java that the build brings itself: the page is
 * checked on every machine, with or without Chromium. HtmlUnit has no EventSource, so the page takes its
 * polling path here; the stream itself is checked by {@code DashboardControllerTest} and, where Chromium
 * is installed, by {@link OpsConsoleBrowserTest}.
 */
class OpsConsoleHtmlUnitTest extends ConsolePageCheck {

    private static WebDriver browser;

    @BeforeAll
    static void startBrowser() {
        browser = new HtmlUnitDriver(BrowserVersion.CHROME, true) {
            @Override
            protected WebClient modifyWebClient(WebClient client) {
                // HtmlUnit implements fetch() as a polyfill over its XMLHttpRequest, off unless asked for.
                client.getOptions().setFetchPolyfillEnabled(true);
                return client;
            }
        };
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Override
    WebDriver browser() {
        return browser;
    }

    @Override
    String expectedTransport() {
        return "polling";
    }
}
