package io.servletsse.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.servletsse.engine.SseRuntime;
import io.servletsse.policy.ConfigLoader;
import io.servletsse.policy.SseConfig;
import io.servletsse.testing.FilteredJetty;
import io.servletsse.testing.HttpWire;
import io.servletsse.testing.MutableClock;
import io.servletsse.testing.Stderr;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API over real HTTP (Jetty 12 + the filter), without a browser: sessions, CSRF and
 * Origin checks, permission denials with their audit lines, the KMS key lifecycle including BYOK,
 * the bucket endpoints and their agreement with the OSS {@code ?encryption} API, bounds.
 */
class AdminApiTest {
    static final String ADMIN = "LTAI5tTestAdmin00001";
    static final String VIEWER = "LTAI5tTestViewer0001";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    SseRuntime runtime;
    FilteredJetty server;
    int port;
    final AtomicInteger appCalls = new AtomicInteger();
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        String config = """
                {
                  "buckets": {"invoices": {"SSEAlgorithm": "AES256"}},
                  "keys": {"kms": {"backend": "local"}},
                  "access": {
                    "identity": "accessKey", "accountId": "1416614965936597", "region": "cn-hangzhou",
                    "users": [
                      {"name": "admin", "accessKeyId": "%s", "accessKeySecret": "admin-secret", "policies": ["all"]},
                      {"name": "viewer", "accessKeyId": "%s", "accessKeySecret": "viewer-secret", "policies": ["look"]}
                    ],
                    "policies": {
                      "all": {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]},
                      "look": {"Version": "1", "Statement": [{"Effect": "Allow",
                        "Action": ["oss:ListBuckets", "oss:GetBucketEncryption", "kms:List*", "kms:DescribeKey"], "Resource": "*"}]}
                    }
                  },
                  "admin": {"console": true, "sessionLifetime": "PT10M"}
                }""".formatted(ADMIN, VIEWER);
        SseConfig c = ConfigLoader.parse(ConfigLoader.json().readTree(config), tmp.resolve("sse"));
        runtime = SseRuntime.open(c, clock);
        server = FilteredJetty.start(runtime, new ServletHolder(new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) {
                appCalls.incrementAndGet();
                resp.setStatus(404);
            }
        }));
        port = server.port();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        runtime.close();
    }

    /** A signed-in console user: its cookie and CSRF token. */
    record Session(String cookie, String csrf) {}

    String base() {
        return "http://127.0.0.1:" + port;
    }

    HttpResponse<String> login(String ak, String secret) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + "/_servlet-sse/api/Login"))
                .header("Content-Type", "application/json").header("Origin", base())
                .POST(HttpRequest.BodyPublishers.ofString(JSON.createObjectNode().put("AccessKeyId", ak)
                        .put("AccessKeySecret", secret).toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    Session signIn(String ak, String secret) throws Exception {
        HttpResponse<String> r = login(ak, secret);
        assertThat(r.statusCode()).isEqualTo(200);
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/_servlet-sse/")
                .contains("Max-Age=600");
        return new Session(setCookie.substring(0, setCookie.indexOf(';')), JSON.readTree(r.body()).get("CsrfToken").asText());
    }

    HttpResponse<String> post(Session s, String action, String json, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + "/_servlet-sse/api/" + action))
                .header("Cookie", s.cookie())
                .POST(HttpRequest.BodyPublishers.ofString(json));
        List<String> h = new ArrayList<>(List.of("X-CSRF-Token", s.csrf(), "Origin", base(), "Content-Type", "application/json"));
        for (int i = 0; i < headers.length; i += 2) {
            int at = h.indexOf(headers[i]);
            if (at >= 0) {
                h.set(at + 1, headers[i + 1]);
            } else {
                h.add(headers[i]);
                h.add(headers[i + 1]);
            }
        }
        for (int i = 0; i < h.size(); i += 2) {
            if (!h.get(i + 1).isEmpty()) {
                b.header(h.get(i), h.get(i + 1));
            }
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(Session s, String pathAndQuery) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + pathAndQuery));
        if (s != null) {
            b.header("Cookie", s.cookie());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    String keyCount(Session s) throws Exception {
        return json(get(s, "/_servlet-sse/api/kms/ListKeys")).get("TotalCount").asText();
    }

    // ---------------------------------------------------------------- CSRF, Origin, sessions

    @Test
    void postWithoutCsrfToken_is403InvalidCSRFToken_andNothingIsCreated() throws Exception {
        Session s = signIn(ADMIN, "admin-secret");

        HttpResponse<String> r = post(s, "kms/CreateKey", "{\"Description\":\"x\"}", "X-CSRF-Token", "");
        HttpResponse<String> wrong = post(s, "kms/CreateKey", "{\"Description\":\"x\"}", "X-CSRF-Token", s.csrf() + "A");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(json(r).get("Code").asText()).isEqualTo("InvalidCSRFToken");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(keyCount(s)).isEqualTo("0");
    }

    @Test
    void crossOriginPost_isRefused_evenWithTheToken() throws Exception {
        Session s = signIn(ADMIN, "admin-secret");

        HttpResponse<String> evil = post(s, "kms/CreateKey", "{}", "Origin", "http://evil.example");
        HttpResponse<String> nullOrigin = post(s, "kms/CreateKey", "{}", "Origin", "null");
        HttpResponse<String> crossSite = post(s, "kms/CreateKey", "{}", "Origin", "", "Sec-Fetch-Site", "cross-site");

        assertThat(List.of(evil.statusCode(), nullOrigin.statusCode(), crossSite.statusCode())).containsOnly(403);
        assertThat(json(evil).get("Code").asText()).isEqualTo("InvalidCSRFToken");
        assertThat(keyCount(s)).isEqualTo("0");
    }

    @Test
    void formEncodedPost_is415_soAPlainHtmlFormCannotCallTheApi() throws Exception {
        Session s = signIn(ADMIN, "admin-secret");

        HttpResponse<String> r = post(s, "kms/CreateKey", "Description=x", "Content-Type", "application/x-www-form-urlencoded");

        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(keyCount(s)).isEqualTo("0");
    }

    @Test
    void wrongSecretOrUnknownAccessKey_sameAnswer_noCookie() throws Exception {
        HttpResponse<String> wrong = login(ADMIN, "not-it");
        HttpResponse<String> unknown = login("LTAI5tNobody00000001", "x");

        for (HttpResponse<String> r : List.of(wrong, unknown)) {
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(json(r).get("Message").asText()).isEqualTo("The AccessKey ID or secret is not valid.");
            assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
        }
    }

    @Test
    void sessionEndsAfterItsLifetime_byTheInjectedClock() throws Exception {
        Session s = signIn(ADMIN, "admin-secret");
        assertThat(get(s, "/_servlet-sse/api/kms/ListKeys").statusCode()).isEqualTo(200);

        clock.advance(Duration.ofMinutes(10));

        HttpResponse<String> r = get(s, "/_servlet-sse/api/kms/ListKeys");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(json(r).get("Code").asText()).isEqualTo("NotSignedIn");
    }

    @Test
    void logout_endsTheSession() throws Exception {
        Session s = signIn(ADMIN, "admin-secret");

        assertThat(post(s, "Logout", "{}").statusCode()).isEqualTo(200);

        assertThat(get(s, "/_servlet-sse/api/kms/ListKeys").statusCode()).isEqualTo(401);
    }

    @Test
    void adminRequests_neverReachTheApp_andCarrySecurityHeaders() throws Exception {
        HttpResponse<String> page = get(null, "/_servlet-sse/console/");
        HttpResponse<String> script = get(null, "/_servlet-sse/console/console.js");
        HttpResponse<String> noSession = get(null, "/_servlet-sse/api/kms/ListKeys");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'self'").contains("frame-ancestors 'none'");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.body()).contains("<script src=\"console.js\" defer></script>").doesNotContain("onclick");
        assertThat(script.body()).doesNotContain(".innerHTML").doesNotContain("eval(");
        assertThat(noSession.statusCode()).isEqualTo(401);
        assertThat(appCalls.get()).isZero();
    }

    @Test
    void getOfAStateChangingAction_is405() throws Exception {
        Session s = signIn(ADMIN, "admin-secret");

        HttpResponse<String> r = get(s, "/_servlet-sse/api/kms/CreateKey?Description=x");

        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(keyCount(s)).isEqualTo("0");
    }

    @Test
    void oversizedBody_is413() throws Exception {
        Session s = signIn(ADMIN, "admin-secret");

        byte[] body = ("{\"Description\":\"" + "a".repeat(20_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        // A raw socket, writing the whole body before reading, as the JDK's client does.
        String answer;
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("POST /_servlet-sse/api/kms/CreateKey HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nCookie: " + s.cookie()
                    + "\r\nX-CSRF-Token: " + s.csrf() + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            answer = HttpWire.readResponse(socket.getInputStream());
        }

        assertThat(answer).startsWith("HTTP/1.1 413").contains("\"Code\":\"EntityTooLarge\"");
        assertThat(keyCount(s)).isEqualTo("0");
    }

    /**
     * A POST refused before its body was read (no CSRF token) still has its body read: the client's
     * keep-alive connection stays in step and carries its next request. Without that, a body that
     * arrives after the answer leaves Jetty to close the connection under the client's next request.
     */
    @Test
    void refusedPost_whoseBodyComesLate_leavesTheConnectionUsable() throws Exception {
        Session s = signIn(ADMIN, "admin-secret");
        byte[] body = "{\"Description\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("POST /_servlet-sse/api/kms/CreateKey HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nCookie: " + s.cookie()
                    + "\r\nOrigin: " + base() + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(200); // a slow client: the body follows the headers late (not a timing assertion)
            out.write(body);
            out.flush();
            assertThat(HttpWire.readResponse(socket.getInputStream())).startsWith("HTTP/1.1 403").contains("InvalidCSRFToken");

            out.write(("GET /_servlet-sse/api/Session HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nCookie: " + s.cookie()
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(HttpWire.readResponse(socket.getInputStream())).startsWith("HTTP/1.1 200");
        }
        assertThat(keyCount(s)).isEqualTo("0");
    }

    // ---------------------------------------------------------------- permissions and audit

    @Test
    void viewerCreatingAKey_is403ForbiddenByKms_andAudited() throws Exception {
        Session viewer = signIn(VIEWER, "viewer-secret");
        List<HttpResponse<String>> got = new ArrayList<>();

        String log = Stderr.of(() -> got.add(post(viewer, "kms/CreateKey", "{\"Description\":\"mine\"}")));

        assertThat(got.get(0).statusCode()).isEqualTo(403);
        assertThat(json(got.get(0)).get("Code").asText()).isEqualTo("AccessDenied");
        assertThat(json(got.get(0)).get("Message").asText()).isEqualTo("This request is forbidden by kms.");
        assertThat(log).contains("\"principal\":\"viewer\",\"action\":\"kms:CreateKey\"")
                .contains("\"result\":\"denied\",\"detail\":\"AccessDenied\"");
        assertThat(keyCount(viewer)).isEqualTo("0");
    }

    @Test
    void viewerChangingABucketRule_is403_audited_andTheRuleStays() throws Exception {
        Session viewer = signIn(VIEWER, "viewer-secret");
        List<HttpResponse<String>> got = new ArrayList<>();

        String log = Stderr.of(() -> got.add(post(viewer, "oss/PutBucketEncryption",
                "{\"Bucket\":\"invoices\",\"ServerSideEncryptionRule\":{\"SSEAlgorithm\":\"SM4\"}}")));

        assertThat(got.get(0).statusCode()).isEqualTo(403);
        assertThat(json(got.get(0)).get("Message").asText()).isEqualTo("You have no right to access this bucket.");
        assertThat(log).contains("\"principal\":\"viewer\",\"action\":\"oss:PutBucketEncryption\",\"bucket\":\"invoices\"")
                .contains("\"result\":\"denied\"");
        JsonNode rule = json(get(viewer, "/_servlet-sse/api/oss/GetBucketEncryption?Bucket=invoices")).get("ServerSideEncryptionRule");
        assertThat(rule.get("SSEAlgorithm").asText()).isEqualTo("AES256");
    }

    @Test
    void viewerListing_seesKeysWithTheirMetadata_butCannotDisableOne() throws Exception {
        Session admin = signIn(ADMIN, "admin-secret");
        String id = json(post(admin, "kms/CreateKey", "{\"Description\":\"shared\"}")).at("/KeyMetadata/KeyId").asText();
        Session viewer = signIn(VIEWER, "viewer-secret");

        JsonNode keys = json(get(viewer, "/_servlet-sse/api/kms/ListKeys")).get("Keys");
        HttpResponse<String> disable = post(viewer, "kms/DisableKey", "{\"KeyId\":\"" + id + "\"}");

        assertThat(keys.get(0).at("/KeyMetadata/Description").asText()).isEqualTo("shared");
        assertThat(disable.statusCode()).isEqualTo(403);
        assertThat(json(get(viewer, "/_servlet-sse/api/kms/DescribeKey?KeyId=" + id)).at("/KeyMetadata/KeyState").asText())
                .isEqualTo("Enabled");
    }

    // ---------------------------------------------------------------- escaping, bounds

    @Test
    void hostileDescription_comesBackAsTheSameJsonString_servedAsJsonWithNosniff() throws Exception {
        Session s = signIn(ADMIN, "admin-secret");
        String hostile = "</script><script>alert(document.cookie)</script>\"'&<img src=x onerror=alert(1)>";

        post(s, "kms/CreateKey", JSON.createObjectNode().put("Description", hostile).toString());
        HttpResponse<String> list = get(s, "/_servlet-sse/api/kms/ListKeys");

        assertThat(list.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(list.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(json(list).at("/Keys/0/KeyMetadata/Description").asText()).isEqualTo(hostile);
    }

    @Test
    void hostileBucketName_is400InvalidBucketName_andNotStored() throws Exception {
        Session s = signIn(ADMIN, "admin-secret");

        HttpResponse<String> r = post(s, "oss/CreateBucket",
                "{\"Bucket\":\"<img src=x>\",\"ServerSideEncryptionRule\":{\"SSEAlgorithm\":\"AES256\"}}");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("Code").asText()).isEqualTo("InvalidBucketName");
        assertThat(json(get(s, "/_servlet-sse/api/oss/ListBuckets")).get("Buckets").toString()).doesNotContain("img");
    }

    // ---------------------------------------------------------------- KMS and buckets

    @Test
    void keyLifecycle_createAliasDisableEnableRotateScheduleCancel() throws Exception {
        Session s = signIn(ADMIN, "admin-secret");
        String id = json(post(s, "kms/CreateKey", "{\"Description\":\"invoices key\"}")).at("/KeyMetadata/KeyId").asText();

        assertThat(post(s, "kms/CreateAlias", "{\"AliasName\":\"alias/invoices\",\"KeyId\":\"" + id + "\"}").statusCode())
                .isEqualTo(200);
        assertThat(json(get(s, "/_servlet-sse/api/kms/ListAliases")).at("/Aliases/0/AliasName").asText())
                .isEqualTo("alias/invoices");
        post(s, "kms/DisableKey", "{\"KeyId\":\"" + id + "\"}");
        assertThat(describe(s, id).get("KeyState").asText()).isEqualTo("Disabled");
        post(s, "kms/EnableKey", "{\"KeyId\":\"" + id + "\"}");
        JsonNode rotated = json(post(s, "kms/CreateKeyVersion", "{\"KeyId\":\"" + id + "\"}"));
        assertThat(rotated.at("/KeyVersion/KeyVersionId").asText()).isEqualTo("2");
        post(s, "kms/UpdateRotationPolicy", "{\"KeyId\":\"" + id + "\",\"EnableAutomaticRotation\":\"true\",\"RotationInterval\":\"30d\"}");
        assertThat(describe(s, id).get("RotationInterval").asText()).isEqualTo("2592000s");
        JsonNode scheduled = json(post(s, "kms/ScheduleKeyDeletion", "{\"KeyId\":\"" + id + "\",\"PendingWindowInDays\":7}"));
        assertThat(scheduled.get("DeleteDate").asText()).isEqualTo("2026-11-30T10:00:00Z");
        assertThat(describe(s, id).get("KeyState").asText()).isEqualTo("PendingDeletion");
        HttpResponse<String> tooShort = post(s, "kms/ScheduleKeyDeletion", "{\"KeyId\":\"" + id + "\",\"PendingWindowInDays\":3}");
        assertThat(tooShort.statusCode()).isEqualTo(400);
        post(s, "kms/CancelKeyDeletion", "{\"KeyId\":\"" + id + "\"}");
        assertThat(describe(s, id).get("KeyState").asText()).isNotEqualTo("PendingDeletion");
        JsonNode stats = json(get(s, "/_servlet-sse/api/kms/GetStats"));
        assertThat(stats.has("BackendGenerateCalls")).isTrue();
    }

    @Test
    void unknownKey_is404KeyNotFound_asJson() throws Exception {
        Session s = signIn(ADMIN, "admin-secret");

        HttpResponse<String> r = get(s, "/_servlet-sse/api/kms/DescribeKey?KeyId=9468da86-3509-4f8d-a61e-6eab1eac0001");

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).get("Code").asText()).isEqualTo("KeyNotFound");
        assertThat(json(r).get("RequestId").asText()).hasSize(24);
    }

    @Test
    void byok_externalKeyImportedWithRsaOaepSha256_becomesEnabled() throws Exception {
        Session s = signIn(ADMIN, "admin-secret");
        String id = json(post(s, "kms/CreateKey", "{\"Description\":\"byok\",\"Origin\":\"EXTERNAL\"}")).at("/KeyMetadata/KeyId").asText();
        assertThat(describe(s, id).get("KeyState").asText()).isEqualTo("PendingImport");
        JsonNode params = json(post(s, "kms/GetParametersForImport", "{\"KeyId\":\"" + id
                + "\",\"WrappingAlgorithm\":\"RSAES_OAEP_SHA_256\",\"WrappingKeySpec\":\"RSA_2048\"}"));
        PublicKey pub = KeyFactory.getInstance("RSA").generatePublic(
                new X509EncodedKeySpec(Base64.getDecoder().decode(params.get("PublicKey").asText())));
        Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
        rsa.init(Cipher.ENCRYPT_MODE, pub, new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
        byte[] material = new byte[32];
        new java.security.SecureRandom().nextBytes(material);

        HttpResponse<String> r = post(s, "kms/ImportKeyMaterial", JSON.createObjectNode().put("KeyId", id)
                .put("ImportToken", params.get("ImportToken").asText())
                .put("EncryptedKeyMaterial", Base64.getEncoder().encodeToString(rsa.doFinal(material))).toString());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(describe(s, id).get("KeyState").asText()).isEqualTo("Enabled");
        assertThat(describe(s, id).get("Origin").asText()).isEqualTo("EXTERNAL");
    }

    @Test
    void bucketRuleSetInTheConsole_isWhatTheOssEncryptionApiReturns_andNoneDeletesIt() throws Exception {
        Session s = signIn(ADMIN, "admin-secret");
        String id = json(post(s, "kms/CreateKey", "{\"Description\":\"k\"}")).at("/KeyMetadata/KeyId").asText();

        HttpResponse<String> created = post(s, "oss/CreateBucket", "{\"Bucket\":\"photos\",\"ServerSideEncryptionRule\":"
                + "{\"SSEAlgorithm\":\"KMS\",\"KMSMasterKeyID\":\"" + id + "\",\"KMSDataEncryption\":\"SM4\"}}");
        assertThat(created.statusCode()).isEqualTo(200);
        HttpResponse<String> xml = http.send(HttpRequest.newBuilder(URI.create(base() + "/photos?encryption"))
                .header("Authorization", signedV1("GET", "/photos/?encryption", ADMIN, "admin-secret"))
                .header("Date", date()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(xml.statusCode()).isEqualTo(200);
        assertThat(xml.body()).contains("<SSEAlgorithm>KMS</SSEAlgorithm>").contains("<KMSMasterKeyID>" + id + "</KMSMasterKeyID>")
                .contains("<KMSDataEncryption>SM4</KMSDataEncryption>");
        JsonNode listed = json(get(s, "/_servlet-sse/api/oss/ListBuckets")).get("Buckets");
        assertThat(listed.toString()).contains("\"Name\":\"photos\"").contains("\"Name\":\"invoices\"");

        assertThat(post(s, "oss/PutBucketEncryption", "{\"Bucket\":\"photos\",\"ServerSideEncryptionRule\":{\"SSEAlgorithm\":\"None\"}}")
                .statusCode()).isEqualTo(200);
        HttpResponse<String> none = http.send(HttpRequest.newBuilder(URI.create(base() + "/photos?encryption"))
                .header("Authorization", signedV1("GET", "/photos/?encryption", ADMIN, "admin-secret"))
                .header("Date", date()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(none.body()).contains("NoSuchServerSideEncryptionRule");
    }

    @Test
    void kmsRuleWithAnUnknownCmk_is404KeyNotFound_andNoRuleStored() throws Exception {
        Session s = signIn(ADMIN, "admin-secret");

        HttpResponse<String> r = post(s, "oss/PutBucketEncryption", "{\"Bucket\":\"photos\",\"ServerSideEncryptionRule\":"
                + "{\"SSEAlgorithm\":\"KMS\",\"KMSMasterKeyID\":\"9468da86-3509-4f8d-a61e-6eab1eac0001\"}}");

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).get("Code").asText()).isEqualTo("KeyNotFound");
        assertThat(json(get(s, "/_servlet-sse/api/oss/GetBucketEncryption?Bucket=photos")).at("/ServerSideEncryptionRule/SSEAlgorithm")
                .asText()).isEqualTo("None");
    }

    JsonNode describe(Session s, String id) throws Exception {
        return json(get(s, "/_servlet-sse/api/kms/DescribeKey?KeyId=" + id)).get("KeyMetadata");
    }

    String date() {
        return java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC).format(clock.instant());
    }

    /** OSS V1 Authorization of a request with no body headers (what the OSS SDK sends for GetBucketEncryption). */
    String signedV1(String method, String resource, String ak, String secret) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        String toSign = method + "\n\n\n" + date() + "\n" + resource;
        return "OSS " + ak + ":" + Base64.getEncoder().encodeToString(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
    }
}
