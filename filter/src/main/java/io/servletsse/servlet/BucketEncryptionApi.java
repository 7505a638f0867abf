package io.servletsse.servlet;

import io.servletsse.auth.Action;
import io.servletsse.auth.Authorizer;
import io.servletsse.auth.Caller;
import io.servletsse.engine.SseRuntime;
import io.servletsse.error.OssErrors;
import io.servletsse.error.SseException;
import io.servletsse.policy.EncryptionRule;
import io.servletsse.policy.EncryptionRuleXml;
import io.servletsse.policy.SseAlgorithm;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The OSS bucket encryption API, answered by the filter itself (the app never sees these
 * requests): {@code PUT|GET|DELETE /{bucket}?encryption} with the XML, statuses and errors of
 * OSS-WIRE.md section 2.
 */
final class BucketEncryptionApi {
    private final SseRuntime runtime;
    private final HttpServletRequest req;
    private final HttpServletResponse res;
    private final String requestId;
    private final Caller caller;
    private final String bucket;

    BucketEncryptionApi(SseRuntime runtime, HttpServletRequest req, HttpServletResponse res, String requestId,
            Caller caller, String bucket) {
        this.runtime = runtime;
        this.req = req;
        this.res = res;
        this.requestId = requestId;
        this.caller = caller;
        this.bucket = bucket;
    }

    void handle(String method) throws IOException {
        switch (method) {
            case "PUT" -> put();
            case "GET" -> get();
            case "DELETE" -> delete();
            default -> throw new SseException(405, "MethodNotAllowed",
                    "The specified method is not allowed against this resource.");
        }
    }

    /** PutBucketEncryption: 200 with an empty body (OSS-WIRE.md 2.1). */
    private void put() throws IOException {
        // The caller first: one who may not set the rule learns 403, not what is wrong with the body.
        authorizer().ifPresent(a -> a.check(requestId, caller, Action.PUT_BUCKET_ENCRYPTION, Authorizer.Target.bucket(bucket)));
        byte[] body = readBody();
        EncryptionRuleXml.verifyContentMd5(req.getHeader(OssHeaders.CONTENT_MD5), body);
        EncryptionRule rule = EncryptionRuleXml.parse(body);
        authorizer().ifPresent(a -> a.checkPutBucketEncryption(requestId, caller, bucket, rule));
        if (rule.algorithm() == SseAlgorithm.KMS) {
            runtime.keys().checkRuleCmk(rule);
        }
        runtime.rules().put(bucket, rule);
        runtime.audit().ruleChanged(requestId, caller.name(), Action.PUT_BUCKET_ENCRYPTION.ramName(), bucket,
                rule.kmsMasterKeyId(), rule.toString());
        res.setStatus(200);
        res.setHeader(OssHeaders.REQUEST_ID, requestId);
        res.setContentLength(0);
    }

    /** GetBucketEncryption: 200 with the rule, or 404 NoSuchServerSideEncryptionRule (OSS-WIRE.md 2.2). */
    private void get() throws IOException {
        authorizer().ifPresent(a -> a.check(requestId, caller, Action.GET_BUCKET_ENCRYPTION, Authorizer.Target.bucket(bucket)));
        EncryptionRule rule = runtime.rules().configured(bucket).orElseThrow(OssErrors::noSuchServerSideEncryptionRule);
        byte[] xml = EncryptionRuleXml.toXml(rule).getBytes(StandardCharsets.UTF_8);
        res.setStatus(200);
        res.setHeader(OssHeaders.REQUEST_ID, requestId);
        res.setContentType("application/xml");
        res.setContentLength(xml.length);
        try (OutputStream out = res.getOutputStream()) {
            out.write(xml);
        }
    }

    /** DeleteBucketEncryption: 204, idempotent (OSS-WIRE.md 2.3). */
    private void delete() {
        authorizer().ifPresent(a -> a.check(requestId, caller, Action.DELETE_BUCKET_ENCRYPTION, Authorizer.Target.bucket(bucket)));
        runtime.rules().delete(bucket);
        runtime.audit().ruleChanged(requestId, caller.name(), Action.DELETE_BUCKET_ENCRYPTION.ramName(), bucket, null, "None");
        res.setStatus(204);
        res.setHeader(OssHeaders.REQUEST_ID, requestId);
        res.setContentLength(0);
    }

    private java.util.Optional<Authorizer> authorizer() {
        return runtime.access().map(SseRuntime.Access::authorizer);
    }

    /** The XML body, bounded: a rule is a few hundred bytes. */
    private byte[] readBody() throws IOException {
        long declared = req.getContentLengthLong();
        if (declared > EncryptionRuleXml.MAX_BODY_BYTES) {
            throw OssErrors.malformedXml();
        }
        try (InputStream in = req.getInputStream()) {
            byte[] body = in.readNBytes(EncryptionRuleXml.MAX_BODY_BYTES + 1);
            if (body.length > EncryptionRuleXml.MAX_BODY_BYTES) {
                throw OssErrors.malformedXml();
            }
            return body;
        }
    }
}
