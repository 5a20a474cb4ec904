package io.github.onboardingguard.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

/**
 * Headless Chromium from the distribution (never a downloaded browser or driver), one profile
 * per instance so a hire and a verifier can be signed in at the same time.
 */
public final class Browser implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(20);

    public final ChromeDriver driver;
    private final String name;

    public Browser(String name, String language) {
        this.name = name;
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("onboarding.chromium", "/usr/bin/chromium"));
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--window-size=1280,1000",
                "--lang=" + language);
        // Keycloak asks for a passkey label with window.prompt; accepting keeps its suggestion.
        options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.ACCEPT);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(System.getProperty("webdriver.chrome.driver", "/usr/bin/chromedriver"))
                        .toFile())
                .build();
        this.driver = new ChromeDriver(service, options);
    }

    /**
     * A platform authenticator whose passkeys can be synced to other devices (WebAuthn's backup-eligible
     * flag), as a phone's password manager would; Selenium's options cannot set the flag, Chromium's
     * DevTools can. Returns the authenticator's id for {@link #removeAuthenticator}.
     */
    public String addSyncedPasskeyAuthenticator() {
        driver.executeCdpCommand("WebAuthn.enable", Map.of());
        Map<String, Object> options = Map.of(
                "protocol", "ctap2",
                "transport", "internal",
                "hasResidentKey", true,
                "hasUserVerification", true,
                "isUserVerified", true,
                "defaultBackupEligibility", true,
                "defaultBackupState", true);
        return (String) driver.executeCdpCommand("WebAuthn.addVirtualAuthenticator", Map.of("options", options))
                .get("authenticatorId");
    }

    public void removeAuthenticator(String authenticatorId) {
        driver.executeCdpCommand("WebAuthn.removeVirtualAuthenticator", Map.of("authenticatorId", authenticatorId));
    }

    /** A platform authenticator that verifies the user, as a laptop's fingerprint reader would. */
    public VirtualAuthenticator addPasskeyAuthenticator() {
        return driver.addVirtualAuthenticator(new VirtualAuthenticatorOptions()
                .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
                .setHasResidentKey(true)
                .setHasUserVerification(true)
                .setIsUserVerified(true)
                .setIsUserConsenting(true));
    }

    public void open(String url) {
        driver.get(url);
    }

    /**
     * The WCAG 2.1 A/AA violations axe-core finds in the part of the page {@code selector} names,
     * as "rule (impact): help at targets" lines. axe-core comes from npm (providers/src/test/node).
     */
    @SuppressWarnings("unchecked")
    public List<String> accessibilityViolations(String selector) {
        try {
            driver.executeScript(Files.readString(Path.of(System.getProperty("onboarding.axe"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        return (List<String>) driver.executeAsyncScript(
                String.join(
                        "\n",
                        "const done = arguments[arguments.length - 1];",
                        "axe.run(document.querySelector(arguments[0]),",
                        "        { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })",
                        "    .then(result => done(result.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help",
                        "        + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', '))))",
                        "    .catch(error => done(['axe failed: ' + error]));"),
                selector);
    }

    public WebElement waitFor(By locator) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    public void waitForText(By locator, String text) {
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(locator, text));
    }

    /** Waits until a script returns true, e.g. after the page re-rendered a list. */
    public void waitUntil(String booleanScript) {
        new WebDriverWait(driver, WAIT)
                .until(d -> Boolean.TRUE.equals(driver.executeScript("return " + booleanScript)));
    }

    /**
     * Presses Keycloak's "Register" on its passkey page. Keycloak asks for a label with
     * {@code window.prompt}; answering it in the page keeps a native dialog (which the driver may
     * report as unexpected, whatever its prompt setting) from appearing at all.
     */
    public void registerPasskey(String label) {
        waitFor(By.id("registerWebAuthn"));
        driver.executeScript("const label = arguments[0]; window.prompt = () => label;", label);
        click(By.id("registerWebAuthn"));
    }

    /** Clicks a control that submits the page, and waits until the next page has replaced it. */
    public void clickToNextPage(By locator) {
        org.openqa.selenium.WebElement page = driver.findElement(By.tagName("html"));
        click(locator);
        new WebDriverWait(driver, WAIT).until(org.openqa.selenium.support.ui.ExpectedConditions.stalenessOf(page));
    }

    /** Waits until the browser has been sent to an address starting with {@code prefix}. */
    public String waitForAddress(String prefix) {
        try {
            new WebDriverWait(driver, WAIT).until(d -> driver.getCurrentUrl().startsWith(prefix));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError(
                    "Still at " + driver.getCurrentUrl() + " (screenshot " + screenshot("stuck") + "), not at " + prefix
                            + ":\n" + driver.getPageSource(),
                    e);
        }
        return driver.getCurrentUrl();
    }

    /** Forgets every cookie, as closing the browser would: the next login starts without SSO. */
    public void clearCookies() {
        driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
    }

    public void click(By locator) {
        new WebDriverWait(driver, WAIT)
                .until(ExpectedConditions.elementToBeClickable(locator))
                .click();
    }

    public void type(By locator, String text) {
        WebElement field = waitFor(locator);
        field.clear();
        field.sendKeys(text);
    }

    public void signIn(String username, String password) {
        type(By.id("username"), username);
        type(By.id("password"), password);
        click(By.id("kc-login"));
    }

    /** Saves a screenshot under target/screenshots as {@code <name>-<step>.png}. */
    public Path screenshot(String step) {
        try {
            Path directory = Path.of(System.getProperty("onboarding.screenshots", "target/screenshots"));
            Files.createDirectories(directory);
            Path file = directory.resolve(name + "-" + step + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
