package io.servletsse.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The web console and the upload page in headless Chromium, against the sample app with its own
 * configuration (filter on, console on, users admin and viewer), on 127.0.0.1. Screenshots of each
 * page are saved under target/screenshots/.
 */
class ConsoleBrowserTest {
    static final String ADMIN_AK = "LTAI5tSampleAdmin0001";
    static final String ADMIN_SECRET = "sample-admin-secret-change-me";
    static final String VIEWER_AK = "LTAI5tSampleViewer001";
    static final String VIEWER_SECRET = "sample-viewer-secret-change-me";

    @TempDir
    static Path tmp;

    static SampleApp.Running app;
    Browser browser;

    @BeforeAll
    static void startApp() throws Exception {
        Browser.requireChromium();
        app = SampleApp.start(SampleApp.Options.defaults().withPort(0).withDataDir(tmp.resolve("data")));
    }

    @AfterAll
    static void stopApp() {
        if (app != null) {
            app.close();
        }
    }

    @BeforeEach
    void openBrowser() throws IOException {
        browser = Browser.open(tmp.resolve("profile-" + System.nanoTime()));
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    String url(String path) {
        return app.baseUri().resolve(path).toString();
    }

    WebElement visible(By by) {
        return browser.wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    void signIn(String ak, String secret) {
        browser.driver.get(url("/_servlet-sse/console/"));
        visible(By.id("login-ak")).sendKeys(ak);
        browser.driver.findElement(By.id("login-secret")).sendKeys(secret);
        browser.driver.findElement(By.id("login-submit")).click();
        browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("user"), "Signed in as"));
    }

    void go(String hash) {
        browser.driver.findElement(By.cssSelector("a[href='#" + hash + "']")).click();
    }

    /** Waits for the message banner to say something containing {@code text}, and returns its text. */
    String messageContaining(String text) {
        browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), text));
        return browser.driver.findElement(By.id("message")).getText();
    }

    String createKey(String description) {
        go("keys");
        visible(By.id("key-description")).sendKeys(description);
        browser.driver.findElement(By.id("key-create")).click();
        String msg = messageContaining("created");
        String keyId = msg.replaceAll(".*Key ([0-9a-f-]{36}) created.*", "$1");
        visible(By.cssSelector("tr[data-key='" + keyId + "'] span[data-state='Enabled']"));
        return keyId;
    }

    @Test
    void admin_createsKmsBucketChangesItInBasicSettings_managesKeys_andUploadsThroughTheSamplePage() throws Exception {
        signIn(ADMIN_AK, ADMIN_SECRET);
        browser.screenshot("01-buckets");

        // Keys page: create a CMK; a hostile description is shown as text.
        String hostile = "<img src=x id=pwned onerror=alert(1)> Q3 reports";
        String cmk = createKey(hostile);
        WebElement description = visible(By.cssSelector("tr[data-key='" + cmk + "'] td.description"));
        assertThat(description.getText()).isEqualTo(hostile);
        assertThat(browser.driver.findElements(By.id("pwned"))).isEmpty();
        browser.screenshot("02-keys");

        // Method 1: Create Bucket with KMS and that CMK.
        go("buckets");
        visible(By.id("create-bucket-open")).click();
        visible(By.id("create-name")).sendKeys("photos");
        browser.driver.findElement(By.id("create-alg-KMS")).click();
        Select cmkChoice = new Select(visible(By.id("create-cmk")));
        cmkChoice.selectByValue(cmk);
        browser.screenshot("03-create-bucket");
        browser.driver.findElement(By.id("create-ok")).click();
        assertThat(messageContaining("Bucket photos created")).contains("KMS (" + cmk + ")");
        WebElement row = visible(By.cssSelector("tr[data-bucket='photos'] td.sse"));
        assertThat(row.getText()).isEqualTo("KMS (" + cmk + ")");
        assertThat(Files.isDirectory(app.dataDir().resolve("objects/photos"))).as("created in the app").isTrue();

        // Upload through the sample app's page: stored as ciphertext, downloaded as the file.
        String secretText = "quarterly numbers: 42 million\n".repeat(100);
        Path file = Files.writeString(tmp.resolve("q3.txt"), secretText);
        browser.driver.get(url("/ui/b/photos"));
        visible(By.id("file")).sendKeys(file.toAbsolutePath().toString());
        browser.driver.findElement(By.id("upload-submit")).click();
        WebElement link = visible(By.cssSelector("a.download[href='/photos/q3.txt']"));
        browser.screenshot("04-upload-page");
        byte[] stored = Files.readAllBytes(app.dataDir().resolve("objects/photos/q3.txt"));
        assertThat(Arrays.copyOf(stored, 4)).containsExactly(0x89, 0x53, 0x45, 0x46);
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("quarterly numbers");
        HttpResponse<String> download = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(link.getAttribute("href"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(download.body()).isEqualTo(secretText);
        assertThat(download.headers().firstValue("x-oss-server-side-encryption-key-id")).hasValue(cmk);
        link.click();
        browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "quarterly numbers: 42 million"));

        // Method 2: Basic Settings -> Server Encryption -> Configure -> Save (SM4).
        browser.driver.get(url("/_servlet-sse/console/#bucket/photos"));
        browser.wait.until(ExpectedConditions.textToBe(By.id("bucket-current"), "KMS (" + cmk + ")"));
        visible(By.id("configure-open")).click();
        visible(By.id("configure-alg-SM4")).click();
        assertThat(browser.driver.findElement(By.cssSelector("#configure-form .note")).getText())
                .contains("existing objects in the bucket are not added or modified");
        browser.screenshot("05-basic-settings");
        browser.driver.findElement(By.id("configure-save")).click();
        browser.wait.until(ExpectedConditions.textToBe(By.id("bucket-current"), "SM4"));
        assertThat(messageContaining("saved")).contains("Existing objects keep the encryption they were stored with");
        // The object uploaded before the change is still the KMS one.
        HttpResponse<String> again = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url("/photos/q3.txt"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(again.headers().firstValue("x-oss-server-side-encryption")).hasValue("KMS");

        // Keys page: disable a key.
        String spare = createKey("spare key");
        browser.driver.findElement(By.cssSelector("button[data-action='DisableKey'][data-key='" + spare + "']")).click();
        visible(By.cssSelector("tr[data-key='" + spare + "'] span[data-state='Disabled']"));
        assertThat(messageContaining("Disable: done")).contains(spare);
        browser.screenshot("06-keys-disabled");
    }

    @Test
    void viewer_seesBucketsButIsDeniedCreatingOne() throws Exception {
        signIn(VIEWER_AK, VIEWER_SECRET);
        visible(By.cssSelector("tr[data-bucket='aes256']"));
        visible(By.id("create-bucket-open")).click();
        visible(By.id("create-name")).sendKeys("viewer-bucket");
        browser.driver.findElement(By.id("create-alg-AES256")).click();
        browser.driver.findElement(By.id("create-ok")).click();

        String denial = messageContaining("Access denied");
        browser.screenshot("07-denied");

        assertThat(denial).isEqualTo("Access denied: You have no right to access this bucket. (AccessDenied)");
        assertThat(app.dataDir().resolve("objects/viewer-bucket")).doesNotExist();
        go("keys");
        browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("key-create"))).click();
        assertThat(messageContaining("forbidden")).isEqualTo("Access denied: This request is forbidden by kms. (AccessDenied)");
    }

    @Test
    void wrongSecret_isRefusedOnTheLoginForm() throws Exception {
        browser.driver.get(url("/_servlet-sse/console/"));
        visible(By.id("login-ak")).sendKeys(ADMIN_AK);
        browser.driver.findElement(By.id("login-secret")).sendKeys("not-the-secret");
        browser.driver.findElement(By.id("login-submit")).click();

        assertThat(messageContaining("not valid")).isEqualTo("Access denied: The AccessKey ID or secret is not valid. (AccessDenied)");
        assertThat(browser.driver.findElement(By.id("nav")).isDisplayed()).isFalse();
        assertThat(List.of(browser.driver.manage().getCookies().toArray())).isEmpty();
    }
}
