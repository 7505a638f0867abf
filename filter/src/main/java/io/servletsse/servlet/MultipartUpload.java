package io.servletsse.servlet;

import io.servletsse.auth.Action;
import io.servletsse.auth.Authorizer;
import io.servletsse.auth.Caller;
import io.servletsse.engine.SseInfo;
import io.servletsse.engine.SseRuntime;
import io.servletsse.error.OssErrors;
import io.servletsse.error.SseException;
import io.servletsse.format.ObjectCrypto;
import io.servletsse.format.ObjectHeader;
import io.servletsse.policy.BucketPath;
import io.servletsse.policy.EncryptionRule;
import io.servletsse.policy.PathMapper;
import io.servletsse.policy.SseAlgorithm;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * A browser upload ({@code multipart/form-data} POST or PUT to a bucket or an object): the file
 * parts are encrypted one by one, each with its own data key from
 * {@link SseRuntime#planUpload(EncryptionRule, String, long)}, while the app reads the form.
 *
 * <p>Which object a file part becomes, for the permission check and the audit log: the object the
 * path names, else the form's {@code key} field ({@code ${filename}} replaced by the part's file
 * name, as OSS PostObject does), which must come before the file. With permission checks on, a
 * file part whose object is unknown is refused (400 InvalidArgument): the filter cannot check
 * {@code oss:PutObject} on an object it cannot name. Without an access section it is encrypted
 * all the same.
 *
 * <p>Which rule: the request's own {@code x-oss-server-side-encryption} headers, else the same
 * fields of the form (before the file, as PostObject), else the bucket's rule. Under None, a file
 * part that begins with the format's magic is stored in the plain envelope (as a None PUT is).
 *
 * <p>Fail closed: any refusal makes every later read of the body fail; if the app has not
 * committed a response the filter answers the OSS error instead of the app's answer. An app that
 * uses {@code getParts()} gets the refusal before it sees any part, so it stores nothing.
 */
final class MultipartUpload {
    private final SseRuntime runtime;
    private final HttpServletRequest req;
    private final HttpServletResponse res;
    private final String requestId;
    private final Caller caller;
    private final BucketPath target;
    private final EncryptionRule headerRule;
    /** How the first encrypted part is encrypted (what the response's SSE headers say), null before. */
    private volatile SseInfo firstEncrypted;
    /** The app's response, from {@link #run}: told when the first part is encrypted. */
    private RefusableResponse response;

    MultipartUpload(SseRuntime runtime, HttpServletRequest req, HttpServletResponse res, String requestId, Caller caller,
            BucketPath target, EncryptionRule headerRule) {
        this.runtime = runtime;
        this.req = req;
        this.res = res;
        this.requestId = requestId;
        this.caller = caller;
        this.target = target;
        this.headerRule = headerRule;
    }

    /** Whether a request is a form upload this class handles. */
    static boolean applies(HttpServletRequest req) {
        return MultipartParser.isFormData(req.getContentType());
    }

    /** Runs the app on the rewritten form; answers the recorded refusal if there is one. */
    void run(Exchange.App app) throws IOException, ServletException {
        byte[] boundary = MultipartParser.boundary(req.getContentType());
        MultipartParser parser = new MultipartParser(req.getInputStream(), boundary);
        MultipartRewriter body = new MultipartRewriter(parser, this::open);
        MultipartRequest reqW = new MultipartRequest(req, body, MultipartRequest.tempDir(req));
        RefusableResponse resW = new RefusableResponse(res, () -> body.refusal() != null, () -> firstEncrypted);
        response = resW;
        try {
            app.call(reqW, resW);
        } catch (IOException | ServletException | RuntimeException e) {
            if (body.refusal() == null) {
                throw e;
            }
        } finally {
            reqW.cleanUp();
        }
        SseException refusal = body.refusal();
        if (refusal != null) {
            if (res.isCommitted()) {
                throw new IOException("servlet-sse: form upload refused (" + refusal.ossCode()
                        + ") after the app committed its response");
            }
            throw refusal;
        }
        resW.appReturned();
    }

    /** A file part: checked, then encrypted (or enveloped under None). */
    private InputStream open(MultipartParser.PartHead head, Map<String, String> fields, InputStream content) {
        String bucket = target.bucket();
        String key = objectKey(head, fields);
        EncryptionRule rule = headerRule != null ? headerRule : formRule(fields);
        if (rule == null) {
            rule = runtime.rules().effective(bucket);
        }
        Optional<Authorizer> authorizer = runtime.access().map(SseRuntime.Access::authorizer);
        if (authorizer.isPresent()) {
            if (key == null) {
                throw OssErrors.invalidArgument("A form upload to a bucket needs a 'key' field before the file.");
            }
            EncryptionRule chosen = rule;
            authorizer.get().checkUpload(requestId, caller, bucket, key, chosen.kmsMasterKeyId());
        }
        if (rule.isNone()) {
            return enveloped(content);
        }
        SseRuntime.Upload plan;
        try {
            plan = runtime.planUpload(rule, bucket, -1);
        } catch (SseException e) {
            runtime.audit().failed(requestId, caller.name(), Action.KMS_GENERATE_DATA_KEY.ramName(), bucket, key,
                    rule.kmsMasterKeyId(), e.ossCode());
            throw e;
        }
        try {
            runtime.audit().dataKeyGenerated(requestId, caller.name(), bucket, key, plan.header().keyEnvelope().keyId());
            if (firstEncrypted == null) {
                firstEncrypted = plan.info();
                response.objectEncrypted();
            }
            // The stream derives its keys at creation: the data key can be wiped at once.
            return ObjectCrypto.encryptingStream(plan.header(), plan.dataKey(), content);
        } finally {
            plan.dataKey().destroy();
        }
    }

    private String objectKey(MultipartParser.PartHead head, Map<String, String> fields) {
        if (target.isObject()) {
            return target.key();
        }
        String key = fields.get("key");
        if (key == null || key.isEmpty()) {
            return null;
        }
        if (key.contains("${filename}") && (head.filename().indexOf('/') >= 0 || head.filename().indexOf('\\') >= 0)) {
            // Apps differ on a file name with a path (the whole of it, or its last part, as browsers
            // send): the key checked here could be another than the one the app stores.
            throw OssErrors.invalidArgument("The file name must not contain a path when the key uses ${filename}.");
        }
        key = key.replace("${filename}", head.filename());
        if (key.getBytes(StandardCharsets.UTF_8).length > PathMapper.MAX_KEY_BYTES) {
            throw new SseException(400, "InvalidObjectName", "The object key is too long.");
        }
        return key;
    }

    /** The form's own SSE fields (PostObject), validated as the headers are; null if it has none. */
    private static EncryptionRule formRule(Map<String, String> fields) {
        String sse = fields.get("x-oss-server-side-encryption");
        String keyId = fields.get("x-oss-server-side-encryption-key-id");
        String dataEnc = fields.get("x-oss-server-side-data-encryption");
        if (sse == null) {
            if (keyId != null || dataEnc != null) {
                throw OssErrors.invalidArgument("x-oss-server-side-encryption-key-id and x-oss-server-side-data-encryption "
                        + "are valid only with x-oss-server-side-encryption: KMS.");
            }
            return null;
        }
        SseAlgorithm alg = SseAlgorithm.fromHeader(sse.trim());
        if (alg == null) {
            throw OssErrors.invalidEncryptionAlgorithm();
        }
        if (keyId != null && (keyId.isBlank() || keyId.length() > 256)) {
            throw OssErrors.invalidKmsKeyId();
        }
        return new EncryptionRule(alg, keyId, dataEnc);
    }

    /** None: as sent, unless the content begins with the format's magic (then the plain envelope first). */
    private static InputStream enveloped(InputStream content) {
        PushbackInputStream in = new PushbackInputStream(content, ObjectHeader.MAGIC_LENGTH);
        return new InputStream() {
            private InputStream joined;

            private InputStream joined() throws IOException {
                if (joined == null) {
                    byte[] head = in.readNBytes(ObjectHeader.MAGIC_LENGTH);
                    in.unread(head);
                    boolean magic = head.length == ObjectHeader.MAGIC_LENGTH && ObjectHeader.hasMagic(head, 0, head.length);
                    joined = magic ? new SequenceInputStream(new ByteArrayInputStream(ObjectHeader.plainEnvelope().encode(null)), in) : in;
                }
                return joined;
            }

            @Override
            public int read() throws IOException {
                return joined().read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return joined().read(b, off, len);
            }
        };
    }
}
