package io.servletsse.auth;

import io.servletsse.audit.AuditLog;
import io.servletsse.error.OssErrors;
import io.servletsse.error.SseException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Resolves who sent a request, in the {@link IdentityMode} the configuration chose:
 * <ul>
 *   <li>{@code accessKey}: a request with an {@code Authorization} header must carry a valid OSS
 *       V1 or V4 signature of a configured user ({@link SignatureVerifier}); a request without one
 *       is anonymous, as the OSS SDKs send requests when no AccessKey is configured. Signed URLs
 *       (signature in the query string) are refused with 403 AccessDenied: not supported.</li>
 *   <li>{@code principal}: the container's authenticated principal name; none means anonymous.</li>
 *   <li>{@code header}: the value of the configured header, which a trusted proxy in front of the
 *       container sets (and must remove from client requests); absent or empty means anonymous.</li>
 * </ul>
 * Every refusal is written to the audit log (action {@code authenticate}) before it is thrown.
 */
public final class Authenticator {
    private static final List<String> QUERY_SIGNATURE_PARAMETERS =
            List.of("OSSAccessKeyId", "Signature", "x-oss-signature", "x-oss-credential");
    private static final int MAX_NAME_LENGTH = 256;

    private final AccessControl access;
    private final SignatureVerifier verifier;
    private final AuditLog audit;

    public Authenticator(AccessControl access, Clock clock, AuditLog audit) {
        this.access = Objects.requireNonNull(access, "access");
        this.verifier = new SignatureVerifier(access, clock);
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    /**
     * @param requestId          the request id, for the audit log
     * @param request            the request view
     * @param containerPrincipal {@code getUserPrincipal().getName()}, or {@code null}; read only in principal mode
     * @return the caller (possibly {@link Caller#anonymousCaller()})
     * @throws SseException as OSS answers: 400 InvalidArgument, 403 InvalidAccessKeyId,
     *                      403 SignatureDoesNotMatch, 403 RequestTimeTooSkewed, 403 AccessDenied
     */
    public Caller authenticate(String requestId, SignedRequest request, String containerPrincipal) {
        try {
            return switch (access.identityMode()) {
                case ACCESS_KEY -> fromSignature(request);
                case PRINCIPAL -> fromName(containerPrincipal);
                case HEADER -> fromHeader(request);
            };
        } catch (SseException e) {
            String claimed = access.identityMode() == IdentityMode.ACCESS_KEY
                    ? SignatureVerifier.claimedAccessKeyId(request) : null;
            audit.denied(requestId, claimed == null ? "unauthenticated" : "accessKeyId:" + claimed, "authenticate",
                    request.bucket(), request.objectKey(), null, e.ossCode());
            throw e;
        }
    }

    private Caller fromSignature(SignedRequest request) {
        if (SignatureVerifier.isSigned(request)) {
            return Caller.named(verifier.verify(request).name());
        }
        for (String p : QUERY_SIGNATURE_PARAMETERS) {
            if (request.hasQueryParameter(p)) {
                throw OssErrors.accessDenied("Signed URLs are not supported here; sign the Authorization header (V1 or V4).");
            }
        }
        return Caller.anonymousCaller();
    }

    private Caller fromHeader(SignedRequest request) {
        List<String> values = request.headers(access.identityHeader());
        if (values.size() > 1) {
            throw OssErrors.invalidArgument("The identity header must appear once.");
        }
        return fromName(values.isEmpty() ? null : values.get(0).trim());
    }

    private static Caller fromName(String name) {
        if (name == null || name.isEmpty()) {
            return Caller.anonymousCaller();
        }
        if (name.length() > MAX_NAME_LENGTH || name.chars().anyMatch(Character::isISOControl)) {
            throw OssErrors.invalidArgument("The caller's name is not valid.");
        }
        if (Caller.ANONYMOUS_NAME.equals(name)) {
            // A user literally called "anonymous" must not be confused with no identity at all.
            throw OssErrors.accessDenied("The name 'anonymous' is reserved.");
        }
        return Caller.named(name);
    }
}
