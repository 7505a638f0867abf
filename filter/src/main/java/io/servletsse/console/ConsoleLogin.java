package io.servletsse.console;

import io.servletsse.auth.Caller;
import io.servletsse.auth.SignedRequest;
import io.servletsse.engine.SseRuntime;
import io.servletsse.error.OssErrors;
import io.servletsse.error.SseException;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Enumeration;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who a console user is. Browsers cannot sign OSS requests, so in {@code accessKey} mode the login
 * form's AccessKey pair is checked by signing a fixed request with the given secret (OSS V1, dated
 * now by the injected clock) and handing it to the filter's own {@link io.servletsse.auth.Authenticator}:
 * the configured secret is compared there, in constant time, and a failure is audited there
 * ({@code authenticate}). The secret is used for that one HMAC and never stored or logged.
 * In {@code principal} and {@code header} mode the caller is who the container or the trusted
 * proxy says; without an access section, the anonymous caller (nothing is checked).
 */
final class ConsoleLogin {
    private static final DateTimeFormatter RFC_1123 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final SseRuntime runtime;

    ConsoleLogin(SseRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * @throws SseException 403 AccessDenied with one message for an unknown AccessKey ID and a wrong
     *                      secret alike (a login form must not tell which AccessKey IDs exist)
     */
    Caller withAccessKey(String requestId, String accessKeyId, String secret) {
        SseRuntime.Access access = runtime.access().orElseThrow();
        String date = RFC_1123.format(runtime.clock().instant());
        String signature;
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            // V1 string to sign of "POST /" with no Content-MD5, no Content-Type and no x-oss-* header.
            signature = Base64.getEncoder().encodeToString(
                    mac.doFinal(("POST\n\n\n" + date + "\n/").getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw OssErrors.accessDenied("The AccessKey ID or secret is not valid.");
        }
        SignedRequest signed = SignedRequest.builder("POST", "/").header("Date", date)
                .header("Authorization", "OSS " + accessKeyId + ":" + signature).build();
        try {
            Caller c = access.authenticator().authenticate(requestId, signed, null);
            if (c.anonymous()) {
                throw OssErrors.accessDenied("The AccessKey ID or secret is not valid.");
            }
            return c;
        } catch (SseException e) {
            throw OssErrors.accessDenied("The AccessKey ID or secret is not valid.");
        }
    }

    /** The caller the container (principal mode) or the trusted proxy (header mode) vouches for now. */
    Caller ambientCaller(HttpServletRequest req, String requestId) {
        SseRuntime.Access access = runtime.access().orElse(null);
        if (access == null) {
            return Caller.anonymousCaller();
        }
        SignedRequest.Builder b = SignedRequest.builder(req.getMethod(), "/");
        for (Enumeration<String> names = req.getHeaderNames(); names.hasMoreElements(); ) {
            String name = names.nextElement();
            for (Enumeration<String> values = req.getHeaders(name); values.hasMoreElements(); ) {
                b.header(name, values.nextElement());
            }
        }
        java.security.Principal p = req.getUserPrincipal();
        return access.authenticator().authenticate(requestId, b.build(), p == null ? null : p.getName());
    }
}
