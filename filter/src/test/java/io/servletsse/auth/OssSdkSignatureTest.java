package io.servletsse.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.common.auth.Credentials;
import com.aliyun.oss.common.auth.CredentialsProvider;
import com.aliyun.oss.common.auth.DefaultCredentialProvider;
import com.aliyun.oss.common.comm.SignVersion;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.PutObjectRequest;
import com.aliyun.oss.model.ResponseHeaderOverrides;
import com.aliyun.oss.model.SSEAlgorithm;
import com.aliyun.oss.model.ServerSideEncryptionByDefault;
import com.aliyun.oss.model.ServerSideEncryptionConfiguration;
import com.aliyun.oss.model.SetBucketEncryptionRequest;
import io.servletsse.audit.AuditLog;
import io.servletsse.error.SseException;
import io.servletsse.policy.EncryptionRule;
import io.servletsse.policy.EncryptionRuleXml;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * V1 and V4 verification against requests signed by the real Aliyun OSS Java SDK (3.18.4), sent
 * over a socket to a Jetty server whose servlet adapts the request the way the filter will
 * (context path stripped, raw query parsed) and answers OSS error XML when the check fails, so
 * each test asserts what an SDK user sees.
 */
final class OssSdkSignatureTest {
    private static final String REGION = "cn-hangzhou";
    private static final String AK = "LTAI5tAliceExample01";
    private static final String SK = "alice-secret-Example+/=";
    private static final String BUCKET = "photos";
    private static final String KEY = "dir/a b+ü~*.txt";

    private static final AccessControl ACCESS = AccessControl.parse("""
            {"identity": "accessKey", "accountId": "1416614965936597", "region": "cn-hangzhou",
             "users": [{"name": "alice", "accessKeyId": "%s", "accessKeySecret": "%s"}]}""".formatted(AK, SK));

    private final List<String> auditLines = Collections.synchronizedList(new ArrayList<>());
    private final List<SignedRequest> captured = Collections.synchronizedList(new ArrayList<>());
    private final List<String> callers = Collections.synchronizedList(new ArrayList<>());
    private final List<String> requestUris = Collections.synchronizedList(new ArrayList<>());
    private volatile EncryptionRule rule = EncryptionRule.none();
    private Server server;
    private String endpoint;
    private final List<OSS> clients = new ArrayList<>();

    /** Starts Jetty on 127.0.0.1:0 with context path /files; the server's clock is {@code clock}. */
    private void start(Clock clock) throws Exception {
        Authenticator authenticator = new Authenticator(ACCESS, clock, new AuditLog(clock, auditLines::add));
        AtomicInteger ids = new AtomicInteger();
        HttpServlet servlet = new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                String requestId = String.format("%024X", ids.incrementAndGet());
                resp.setHeader("x-oss-request-id", requestId);
                byte[] body = req.getInputStream().readAllBytes();
                requestUris.add(req.getRequestURI());
                try {
                    SignedRequest sr = adapt(req);
                    captured.add(sr);
                    Caller caller = authenticator.authenticate(requestId, sr, null);
                    callers.add(caller.name());
                    answer(req, resp, sr, body);
                } catch (SseException e) {
                    resp.setStatus(e.httpStatus());
                    resp.setContentType("application/xml");
                    resp.getOutputStream().write(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + e.ossCode()
                            + "</Code><Message>" + e.getMessage() + "</Message><RequestId>" + requestId
                            + "</RequestId><HostId>127.0.0.1</HostId></Error>").getBytes(StandardCharsets.UTF_8));
                }
            }
        };
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/files");
        context.addServlet(new ServletHolder(servlet), "/*");
        server.setHandler(context);
        server.start();
        endpoint = "http://127.0.0.1:" + connector.getLocalPort() + "/files";
    }

    /** What the filter's adapter does: the path below the context path, the raw query, all headers. */
    static SignedRequest adapt(HttpServletRequest req) {
        String path = req.getPathInfo() == null ? "/" : req.getPathInfo();
        SignedRequest.Builder b = SignedRequest.builder(req.getMethod(), path).rawQuery(req.getQueryString());
        for (String name : Collections.list(req.getHeaderNames())) {
            for (String value : Collections.list(req.getHeaders(name))) {
                b.header(name, value);
            }
        }
        return b.build();
    }

    private void answer(HttpServletRequest req, HttpServletResponse resp, SignedRequest sr, byte[] body)
            throws IOException {
        if (sr.hasQueryParameter("encryption")) {
            if (req.getMethod().equals("PUT")) {
                EncryptionRuleXml.verifyContentMd5(sr.header("Content-MD5"), body);
                rule = EncryptionRuleXml.parse(body);
                return;
            }
            resp.setContentType("application/xml");
            resp.getOutputStream().write(EncryptionRuleXml.toXml(rule).getBytes(StandardCharsets.UTF_8));
            return;
        }
        resp.setHeader("ETag", "\"5EB63BBBE01EEED093CB22BB8F5ACDC3\"");
        if (req.getMethod().equals("GET")) {
            resp.setHeader("Last-Modified", "Mon, 23 Nov 2026 10:00:00 GMT");
            resp.setContentLength(5);
            resp.getOutputStream().write("hello".getBytes(StandardCharsets.UTF_8));
        }
    }

    @AfterEach
    void stop() throws Exception {
        clients.forEach(OSS::shutdown);
        if (server != null) {
            server.stop();
        }
    }

    private OSS client(SignVersion version, String ak, String sk, String region) {
        ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
        conf.setSignatureVersion(version);
        conf.setMaxErrorRetry(0);
        conf.setCrcCheckEnabled(false);
        CredentialsProvider creds = ak == null ? anonymousCredentials() : new DefaultCredentialProvider(ak, sk);
        OSS oss = OSSClientBuilder.create().endpoint(endpoint).credentialsProvider(creds)
                .clientConfiguration(conf).region(region).build();
        clients.add(oss);
        return oss;
    }

    private OSS client(SignVersion version) {
        return client(version, AK, SK, REGION);
    }

    private static void putObject(OSS oss) {
        ObjectMetadata md = new ObjectMetadata();
        md.setServerSideEncryption(ObjectMetadata.KMS_SERVER_SIDE_ENCRYPTION);
        md.setServerSideEncryptionKeyId("9468da86-3509-4f8d-a61e-6eab1eac0001");
        md.addUserMetadata("note", "  signed too  ");
        oss.putObject(new PutObjectRequest(BUCKET, KEY, new ByteArrayInputStream("hello".getBytes()), md));
    }

    private static void setKmsRule(OSS oss) {
        ServerSideEncryptionByDefault d = new ServerSideEncryptionByDefault(SSEAlgorithm.KMS);
        d.setKMSMasterKeyID("9468da86-3509-4f8d-a61e-6eab1eac0001");
        d.setKMSDataEncryption("SM4");
        ServerSideEncryptionConfiguration cfg = new ServerSideEncryptionConfiguration();
        cfg.setApplyServerSideEncryptionByDefault(d);
        oss.setBucketEncryption(new SetBucketEncryptionRequest(BUCKET, cfg));
    }

    private static OSSException ossError(Runnable call) {
        try {
            call.run();
        } catch (OSSException e) {
            return e;
        }
        throw new AssertionError("the SDK call succeeded");
    }

    @ParameterizedTest
    @EnumSource(value = SignVersion.class, names = {"V1", "V4"})
    void sdkRequests_putGetAndBucketEncryption_verifyAsTheSigningUser(SignVersion version) throws Exception {
        start(Clock.systemUTC());
        OSS oss = client(version);

        putObject(oss);
        try (OSSObject o = oss.getObject(BUCKET, KEY)) {
            assertThat(o.getObjectContent().readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo("hello");
        }
        setKmsRule(oss);
        ServerSideEncryptionByDefault got = oss.getBucketEncryption(BUCKET).getApplyServerSideEncryptionByDefault();

        assertThat(callers).containsExactly("alice", "alice", "alice", "alice");
        assertThat(rule).isEqualTo(EncryptionRule.kms("9468da86-3509-4f8d-a61e-6eab1eac0001", true));
        assertThat(got.getSSEAlgorithm()).isEqualTo("KMS");
        assertThat(got.getKMSMasterKeyID()).isEqualTo("9468da86-3509-4f8d-a61e-6eab1eac0001");
        assertThat(got.getKMSDataEncryption()).isEqualTo("SM4");
        // The URL carries the context path; the signed resource does not.
        assertThat(requestUris).allMatch(u -> u.startsWith("/files/photos/"));
        assertThat(captured.get(0).resourcePath()).isEqualTo("/photos/" + KEY);
        assertThat(captured.get(2).resourcePath()).isEqualTo("/photos/");
        assertThat(auditLines).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = SignVersion.class, names = {"V1", "V4"})
    void getWithResponseOverrides_andV4AdditionalHeaders_verify(SignVersion version) throws Exception {
        start(Clock.systemUTC());
        OSS oss = client(version);
        GetObjectRequest get = new GetObjectRequest(BUCKET, KEY);
        ResponseHeaderOverrides overrides = new ResponseHeaderOverrides();
        overrides.setContentType("text/plain; charset=utf-8");
        overrides.setContentDisposition("attachment; filename=\"a b.txt\"");
        get.setResponseHeaders(overrides);
        get.setAdditionalHeaderNames(Set.of("host", "range"));
        get.setRange(0, 4);
        try (OSSObject o = oss.getObject(get)) {
            assertThat(o.getObjectContent().readAllBytes()).hasSize(5);
        }
        assertThat(callers).containsExactly("alice");
        assertThat(captured.get(0).query()).extracting(SignedRequest.QueryParameter::name)
                .contains("response-content-type", "response-content-disposition");
        if (version == SignVersion.V4) {
            // The SDK signs an additional header only if the request already has it ("host" is added later).
            assertThat(captured.get(0).header("Authorization")).contains("AdditionalHeaders=range,");
        }
    }

    @ParameterizedTest
    @EnumSource(value = SignVersion.class, names = {"V1", "V4"})
    void getBucketEncryption_aes256_sdkSeesNoKmsMasterKeyId(SignVersion version) throws Exception {
        start(Clock.systemUTC());
        OSS oss = client(version);
        ServerSideEncryptionConfiguration cfg = new ServerSideEncryptionConfiguration();
        cfg.setApplyServerSideEncryptionByDefault(new ServerSideEncryptionByDefault(SSEAlgorithm.AES256));
        oss.setBucketEncryption(new SetBucketEncryptionRequest(BUCKET, cfg));

        ServerSideEncryptionByDefault got = oss.getBucketEncryption(BUCKET).getApplyServerSideEncryptionByDefault();
        assertThat(rule).isEqualTo(EncryptionRule.aes256());
        assertThat(got.getSSEAlgorithm()).isEqualTo("AES256");
        assertThat(got.getKMSMasterKeyID()).isNull();
        assertThat(got.getKMSDataEncryption()).isNull();
    }

    @ParameterizedTest
    @EnumSource(value = SignVersion.class, names = {"V1", "V4"})
    void tamperedRequests_failWithSignatureDoesNotMatch(SignVersion version) throws Exception {
        start(Clock.systemUTC());
        OSS oss = client(version);
        putObject(oss);
        setKmsRule(oss);
        SignedRequest put = captured.get(0);
        SignedRequest putRule = captured.get(1);
        SignatureVerifier verifier = new SignatureVerifier(ACCESS, Clock.systemUTC());
        assertThat(verifier.verify(put).name()).isEqualTo("alice");
        assertThat(verifier.verify(putRule).name()).isEqualTo("alice");

        List<SignedRequest> tampered = List.of(
                copy(put, "PUT", "/photos/dir/other.txt", null, null),
                copy(put, "PUT", "/other-bucket/" + KEY, null, null),
                copy(put, "POST", put.resourcePath(), null, null),
                copy(put, "PUT", put.resourcePath(), "x-oss-server-side-encryption", "AES256"),
                copy(put, "PUT", put.resourcePath(), "x-oss-meta-note", "changed"),
                copy(put, "PUT", put.resourcePath(), "x-oss-meta-added", "new"),
                copy(put, "PUT", put.resourcePath(), "Content-Type", "text/html"),
                copy(putRule, "PUT", "/photos/", "Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg=="),
                withoutQuery(putRule, "PUT", "/photos/"));
        for (SignedRequest t : tampered) {
            assertThatThrownBy(() -> verifier.verify(t)).as(t.toString())
                    .isInstanceOfSatisfying(SseException.class, e -> {
                        assertThat(e.httpStatus()).isEqualTo(403);
                        assertThat(e.ossCode()).isEqualTo("SignatureDoesNotMatch");
                    });
        }
    }

    @ParameterizedTest
    @EnumSource(value = SignVersion.class, names = {"V1", "V4"})
    void unknownAccessKeyId_sdkSeesInvalidAccessKeyId_andItIsAudited(SignVersion version) throws Exception {
        start(Clock.systemUTC());
        OSSException e = ossError(() -> putObject(client(version, "LTAI5tNobodyExample1", SK, REGION)));
        assertThat(e.getErrorCode()).isEqualTo("InvalidAccessKeyId");
        assertThat(auditLines).singleElement().asString()
                .contains("\"principal\":\"accessKeyId:LTAI5tNobodyExample1\"", "\"action\":\"authenticate\"",
                        "\"bucket\":\"photos\"", "\"result\":\"denied\"", "\"detail\":\"InvalidAccessKeyId\"")
                .doesNotContain(SK);
    }

    @ParameterizedTest
    @EnumSource(value = SignVersion.class, names = {"V1", "V4"})
    void wrongSecret_sdkSeesSignatureDoesNotMatch(SignVersion version) throws Exception {
        start(Clock.systemUTC());
        OSSException e = ossError(() -> putObject(client(version, AK, "not-the-secret", REGION)));
        assertThat(e.getErrorCode()).isEqualTo("SignatureDoesNotMatch");
        assertThat(e.getErrorMessage()).isEqualTo("The request signature we calculated does not match the signature you provided.");
    }

    @ParameterizedTest
    @EnumSource(value = SignVersion.class, names = {"V1", "V4"})
    void serverClockTwentyMinutesAhead_sdkSeesRequestTimeTooSkewed(SignVersion version) throws Exception {
        start(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(20)));
        OSSException e = ossError(() -> putObject(client(version)));
        assertThat(e.getErrorCode()).isEqualTo("RequestTimeTooSkewed");
    }

    @ParameterizedTest
    @EnumSource(value = SignVersion.class, names = {"V1", "V4"})
    void serverClockTenMinutesBehind_isWithinOssTolerance(SignVersion version) throws Exception {
        start(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10)));
        putObject(client(version));
        assertThat(callers).containsExactly("alice");
    }

    @Test
    void v4SignedForAnotherRegion_sdkSeesInvalidArgument() throws Exception {
        start(Clock.systemUTC());
        OSSException e = ossError(() -> putObject(client(SignVersion.V4, AK, SK, "us-east-1")));
        assertThat(e.getErrorCode()).isEqualTo("InvalidArgument");
        assertThat(e.getErrorMessage()).isEqualTo("Invalid signing region in Authorization header.");
    }

    @Test
    void sdkWithoutAccessKey_sendsNoAuthorization_andIsAnonymous() throws Exception {
        start(Clock.systemUTC());
        putObject(client(SignVersion.V1, null, null, REGION));
        assertThat(captured.get(0).header("Authorization")).isNull();
        assertThat(callers).containsExactly(Caller.ANONYMOUS_NAME);
    }

    // ---- helpers

    /** A copy of {@code r} with another method/path and one header replaced or added (value null: unchanged). */
    private static SignedRequest copy(SignedRequest r, String method, String path, String header, String value) {
        SignedRequest.Builder b = SignedRequest.builder(method, path);
        r.query().forEach(p -> b.query(p.name(), p.value()));
        for (String name : r.headerNames()) {
            if (header != null && name.equalsIgnoreCase(header)) {
                continue;
            }
            r.headers(name).forEach(v -> b.header(name, v));
        }
        if (header != null) {
            b.header(header, value);
        }
        return b.build();
    }

    private static SignedRequest withoutQuery(SignedRequest r, String method, String path) {
        SignedRequest.Builder b = SignedRequest.builder(method, path);
        r.headerNames().forEach(name -> r.headers(name).forEach(v -> b.header(name, v)));
        return b.build();
    }

    private static CredentialsProvider anonymousCredentials() {
        Credentials none = new Credentials() {
            @Override
            public String getAccessKeyId() {
                return "";
            }

            @Override
            public String getSecretAccessKey() {
                return "";
            }

            @Override
            public String getSecurityToken() {
                return null;
            }

            @Override
            public boolean useSecurityToken() {
                return false;
            }
        };
        return new CredentialsProvider() {
            @Override
            public void setCredentials(Credentials creds) {}

            @Override
            public Credentials getCredentials() {
                return none;
            }
        };
    }
}
