package io.servletsse.servlet;

import io.servletsse.auth.Action;
import io.servletsse.auth.Authorizer;
import io.servletsse.auth.Caller;
import io.servletsse.auth.SignedRequest;
import io.servletsse.crypto.ContentAlgorithm;
import io.servletsse.crypto.Crc64;
import io.servletsse.engine.SseInfo;
import io.servletsse.engine.SseRuntime;
import io.servletsse.error.OssErrors;
import io.servletsse.error.SseException;
import io.servletsse.format.FormatException;
import io.servletsse.format.ObjectCrypto;
import io.servletsse.format.ObjectHeader;
import io.servletsse.format.RangePlan;
import io.servletsse.policy.BucketPath;
import io.servletsse.policy.EncryptionRule;
import io.servletsse.policy.EncryptionRuleXml;
import io.servletsse.policy.PathMapper;
import io.servletsse.policy.SseAlgorithm;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.ByteArrayInputStream;
import java.io.PushbackInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request through servlet-sse: the core that the filter and the Java agent both drive. It
 * decides what the request is (upload, download, HEAD, something else), answers errors before the
 * app sees anything, and otherwise hands the app wrapped request/response objects.
 *
 * <p>The app may be called twice for one client request: a {@code Range} GET or a HEAD of an
 * object first probes its first {@link ObjectHeader#MAX_LENGTH} bytes (the header names the key
 * and the segment size; the stored length comes from the probe's Content-Range), then reads only
 * the segments the range needs. The probe's output never reaches the client.
 */
public final class Exchange {
    private static final Logger LOG = LoggerFactory.getLogger(Exchange.class);

    /** The app behind the filter: the rest of the filter chain, or the servlet the agent advised. */
    @FunctionalInterface
    public interface App {
        void call(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException;
    }

    /** Request attribute that marks a request servlet-sse has already taken care of (forward, include, nesting). */
    public static final String HANDLED_ATTRIBUTE = "io.servletsse.handled";

    private static final long MAX_KEY_ID_LENGTH = 256;
    /** The app's BucketInfo XML is a few hundred bytes; longer is passed on untouched. */
    private static final int BUCKET_INFO_LIMIT = 64 * 1024;
    /** A ServerSideEncryptionRule element of the app's BucketInfo, over lines too; ours replaces it. */
    private static final java.util.regex.Pattern APP_RULE = java.util.regex.Pattern.compile(
            "<ServerSideEncryptionRule\\b[^>]*>.*?</ServerSideEncryptionRule>", java.util.regex.Pattern.DOTALL);

    private final SseRuntime runtime;
    /** The request as the filter or agent got it: what a request out of scope goes on with. */
    private final HttpServletRequest raw;
    /** The same, with asynchronous processing refused: what everything in scope uses. */
    private final HttpServletRequest req;
    private final HttpServletResponse res;
    private final App app;
    private final String requestId;
    private Caller caller = Caller.anonymousCaller();
    private BucketPath target; // the bucket/object the request names, when it names one

    private Exchange(SseRuntime runtime, HttpServletRequest req, HttpServletResponse res, App app) {
        this.runtime = runtime;
        this.raw = req;
        this.req = SyncOnlyRequest.of(req);
        this.res = res;
        this.app = app;
        this.requestId = ErrorResponses.newRequestId();
    }

    /** Handles one request. Exceptions that escape mean the response must be aborted. */
    public static void handle(SseRuntime runtime, HttpServletRequest req, HttpServletResponse res, App app)
            throws IOException, ServletException {
        if (req.getAttribute(HANDLED_ATTRIBUTE) != null) {
            app.call(req, res); // a forward, include or nested dispatch of a request already handled
            return;
        }
        req.setAttribute(HANDLED_ATTRIBUTE, Boolean.TRUE);
        new Exchange(runtime, req, res, app).run();
    }

    private void run() throws IOException, ServletException {
        String method = req.getMethod().toUpperCase(Locale.ROOT);
        try {
            String path = contextPath(req);
            if (io.servletsse.console.AdminEndpoints.handles(runtime, path)) {
                // The admin API and console: the filter's own, with their own sessions (docs/CONSOLE.md).
                io.servletsse.console.AdminEndpoints.handle(runtime, req, res, path, requestId);
                return;
            }
            if (path != null && runtime.config().isExcluded(method, path)) {
                app.call(raw, res);
                return;
            }
            if (path != null && !path.startsWith(runtime.paths().prefix())) {
                app.call(raw, res); // out of scope: asynchronous processing stays the container's to allow
                return;
            }
            target = path == null ? null : runtime.paths().map(path).orElse(null);
            SseRuntime.Access access = runtime.access().orElse(null);
            if (access != null) {
                if (path == null) {
                    throw new SseException(400, "InvalidObjectName", "The object name is ambiguous (encoded or dot path segments).");
                }
                caller = access.authenticator().authenticate(requestId, signedRequest(path), principalName());
            }
            String query = req.getQueryString();
            if (target != null && !target.isObject()) {
                if (QueryString.has(query, "encryption")) {
                    new BucketEncryptionApi(runtime, req, res, requestId, caller, target.bucket()).handle(method);
                    return;
                }
                if ("GET".equals(method) && QueryString.has(query, "bucketInfo")) {
                    bucketInfo();
                    return;
                }
            }
            switch (method) {
                case "PUT", "POST" -> upload(path);
                // Downloads are recognised by content, not by path: whatever URL the app serves an
                // encrypted object under, it is decrypted (and a stored plaintext object passes).
                case "GET" -> download();
                case "HEAD" -> head();
                default -> {
                    rejectSseHeader();
                    app.call(req, res);
                }
            }
        } catch (SseException e) {
            if (res.isCommitted()) {
                throw new IOException("servlet-sse: " + e.ossCode() + " after the response was committed", e);
            }
            LOG.debug("request {} answered {} {}", requestId, e.httpStatus(), e.ossCode());
            UnreadBody.drain(req);
            ErrorResponses.write(res, e, requestId, req.getServerName(), "HEAD".equals(method));
        }
    }

    /** The request as the OSS signature covers it: the path below the bucket prefix, every header, the raw query. */
    private SignedRequest signedRequest(String path) {
        String resource = "/" + path.substring(runtime.paths().prefix().length());
        String m = req.getMethod();
        if (m.isEmpty() || !m.chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
            // "get", "Put", "M-SEARCH": no OSS method, and none the signature can be checked against.
            throw new SseException(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
        }
        SignedRequest.Builder b = SignedRequest.builder(req.getMethod(), resource).rawQuery(req.getQueryString());
        for (java.util.Enumeration<String> names = req.getHeaderNames(); names.hasMoreElements(); ) {
            String name = names.nextElement();
            for (java.util.Enumeration<String> values = req.getHeaders(name); values.hasMoreElements(); ) {
                b.header(name, values.nextElement());
            }
        }
        return b.build();
    }

    private String principalName() {
        java.security.Principal p = req.getUserPrincipal();
        return p == null ? null : p.getName();
    }

    private java.util.Optional<Authorizer> authorizer() {
        return runtime.access().map(SseRuntime.Access::authorizer);
    }

    /** oss:GetObject on the object a GET or HEAD names, before the app is asked for anything. */
    private void authorizeRead() {
        if (target != null && target.isObject()) {
            authorizer().ifPresent(a -> a.check(requestId, caller, Action.GET_OBJECT,
                    Authorizer.Target.object(target.bucket(), target.key())));
        }
    }

    /**
     * kms:Decrypt on the object's CMK (when it names one), then unwrap: every request is
     * authorized for its own caller, whether or not the key is cached. Audited.
     */
    private SseRuntime.Download open(ObjectHeader header) {
        String bucket = target == null ? null : target.bucket();
        String key = target == null ? null : target.key();
        SseInfo info = SseInfo.of(header);
        if (info.keyId() != null && !runtime.keys().isDefaultCmk(info.keyId())) {
            authorizer().ifPresent(a -> a.check(requestId, caller, Action.KMS_DECRYPT,
                    Authorizer.Target.cmk(info.keyId(), bucket, key)));
        }
        try {
            SseRuntime.Download d = runtime.openForServing(header);
            runtime.audit().dataKeyDecrypted(requestId, caller.name(), bucket, key, header.keyEnvelope().keyId());
            return d;
        } catch (SseException e) {
            runtime.audit().failed(requestId, caller.name(), Action.KMS_DECRYPT.ramName(), bucket, key,
                    header.keyEnvelope().keyId(), e.ossCode());
            throw e;
        }
    }

    /** GetBucketInfo from the app, with the bucket's ServerSideEncryptionRule put in (OSS-WIRE.md 2.4). */
    private void bucketInfo() throws IOException, ServletException {
        String bucket = target.bucket();
        EncryptionRule rule = runtime.rules().configured(bucket).orElse(EncryptionRule.none());
        String element = EncryptionRuleXml.toBucketInfoXml(rule);
        DeferredResponse resW = new DeferredResponse(res, (status, held, prefix, len, complete, real) -> {
            if (!complete) {
                return DeferredResponse.Outcome.WAIT;
            }
            String xml = new String(prefix, 0, len, java.nio.charset.StandardCharsets.UTF_8);
            int at = xml.lastIndexOf("</Bucket>");
            if (status != 200 || at < 0) {
                return DeferredResponse.Outcome.PASSTHROUGH;
            }
            xml = APP_RULE.matcher(xml).replaceAll(""); // the app's own, if it sent one (pretty-printed too)
            at = xml.lastIndexOf("</Bucket>");
            byte[] out = (xml.substring(0, at) + element + xml.substring(at)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            real.setStatus(200);
            real.setContentLength(out.length);
            real.getOutputStream().write(out);
            return DeferredResponse.Outcome.DISCARD;
        }, BUCKET_INFO_LIMIT);
        app.call(req, resW);
        resW.finish();
    }

    // ---- uploads -------------------------------------------------------------------------------

    private void upload(String path) throws IOException, ServletException {
        if (path == null) {
            // Fail closed: the filter cannot tell which bucket an ambiguous path names for the app.
            throw new SseException(400, "InvalidObjectName", "The object name is ambiguous (encoded or dot path segments).");
        }
        BucketPath bp = runtime.paths().map(path).orElse(null);
        if (bp == null) {
            if (!runtime.config().defaultRule().isNone()) {
                // Fail closed: a path that names no valid bucket, while the default says encrypt.
                throw new SseException(400, "InvalidBucketName", "The specified bucket is not valid.");
            }
            app.call(req, res);
            return;
        }
        if (!bp.isObject()) {
            if ("POST".equalsIgnoreCase(req.getMethod()) && MultipartUpload.applies(req)) {
                // A browser form posted to the bucket (OSS PostObject): its file parts are encrypted.
                new MultipartUpload(runtime, req, res, requestId, caller, bp, requestRule()).run(app);
                return;
            }
            app.call(req, res); // bucket operations are the app's (the ?encryption API aside)
            return;
        }
        String query = req.getQueryString();
        if (req.getHeader(OssHeaders.SSE) != null && (QueryString.has(query, "uploadId") || QueryString.has(query, "partNumber"))) {
            // OSS: the encryption of a multipart upload is set when it is initiated; the header on
            // UploadPart (or Complete) is 400 InvalidArgument, whatever the bucket's rule.
            throw OssErrors.invalidArgument("x-oss-server-side-encryption is not allowed on UploadPart or "
                    + "CompleteMultipartUpload: a multipart upload's encryption is set when it is initiated.");
        }
        EncryptionRule ownRule = requestRule();
        EncryptionRule rule = ownRule;
        if (rule == null) {
            rule = runtime.rules().effective(bp.bucket());
        }
        if (req.getHeader(OssHeaders.CONTENT_RANGE) != null) {
            throw OssErrors.invalidArgument("Partial uploads (Content-Range) are not supported.");
        }
        if (MultipartUpload.applies(req)) {
            // File parts encrypted part by part (or enveloped under None), form fields intact.
            new MultipartUpload(runtime, req, res, requestId, caller, bp, ownRule).run(app);
            return;
        }
        if (!rule.isNone() && req.getContentLengthLong() / runtime.config().segmentSize() > io.servletsse.crypto.SegmentCipher.MAX_INDEX) {
            // More segments than the format can number (2^32): refused before a data key is made.
            throw new SseException(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed object size.");
        }
        if (rule.isNone()) {
            authorizer().ifPresent(a -> a.checkUpload(requestId, caller, bp.bucket(), bp.key(), null));
            uploadPlain();
            return;
        }
        for (String sub : new String[] {"append", "uploads", "uploadId", "partNumber"}) {
            if (QueryString.has(query, sub)) {
                throw new SseException(501, "NotImplemented",
                        "servlet-sse does not encrypt '" + sub + "' uploads; use a single PUT.");
            }
        }
        String contentType = req.getContentType();
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            // Fail closed: multipart/form-data is handled above; other multipart bodies are not parsed.
            throw OssErrors.invalidArgument("Only multipart/form-data uploads are encrypted part by part.");
        }

        EncryptionRule chosen = rule;
        authorizer().ifPresent(a -> a.checkUpload(requestId, caller, bp.bucket(), bp.key(), chosen.kmsMasterKeyId()));

        MessageDigest md5 = null;
        byte[] expectedMd5 = null;
        String contentMd5 = req.getHeader(OssHeaders.CONTENT_MD5);
        if (contentMd5 != null) {
            expectedMd5 = decodeMd5(contentMd5);
            md5 = newMd5();
        }
        SseRuntime.Upload plan;
        try {
            plan = runtime.planUpload(rule, bp.bucket(), req.getContentLengthLong());
        } catch (SseException e) {
            runtime.audit().failed(requestId, caller.name(), Action.KMS_GENERATE_DATA_KEY.ramName(), bp.bucket(), bp.key(),
                    rule.kmsMasterKeyId(), e.ossCode());
            throw e;
        }
        runtime.audit().dataKeyGenerated(requestId, caller.name(), bp.bucket(), bp.key(),
                plan.header().keyEnvelope().keyId());
        try {
            ObjectHeader header = plan.header();
            Crc64 crc = new Crc64();
            UploadBody body = new UploadBody(req.getInputStream(), md5, expectedMd5, crc, runtime.digestExecutor(),
                    runtime.digestBatch());
            UploadResponse resW = new UploadResponse(res, plan.info(), body::digestMismatch);
            body.onComplete(() -> resW.plaintextComplete(crc.toUnsignedString()));
            // The body is also the encryptor's observer: it digests each segment before it is sealed.
            InputStream encrypted = ObjectCrypto.encryptingStream(header, plan.dataKey(), body, body);
            long plainLength = req.getContentLengthLong();
            long storedLength = plainLength >= 0 ? header.ciphertextLength(plainLength) : -1;
            HeaderOverrides h = uploadHeaders();
            TransformedRequest reqW = new TransformedRequest(req, h, null, encrypted, () -> storedLength);
            try {
                app.call(reqW, resW);
            } catch (IOException | ServletException | RuntimeException e) {
                if (!body.digestMismatch()) {
                    throw e;
                }
            }
            if (body.digestMismatch()) {
                if (res.isCommitted()) {
                    throw new IOException("servlet-sse: Content-MD5 mismatch after the app committed its response");
                }
                throw OssErrors.invalidDigest();
            }
            resW.appReturned();
        } finally {
            plan.dataKey().destroy();
        }
    }

    /**
     * A None upload passes through, except one whose body begins with the format's magic: it is
     * stored in the plain envelope so that it can never be mistaken for an encrypted object.
     */
    private void uploadPlain() throws IOException, ServletException {
        String ct = req.getContentType();
        if (ct != null) {
            String t = ct.toLowerCase(Locale.ROOT);
            // A multipart body begins with its boundary (text), and a POSTed form is the app's to
            // parse: neither can begin with the magic, and neither must be consumed here. (A PUT
            // labelled as a form, as curl --data-binary sends, is an object and is checked.)
            if (t.startsWith("multipart/") || ("POST".equals(req.getMethod()) && t.startsWith("application/x-www-form-urlencoded"))) {
                app.call(req, res);
                return;
            }
        }
        PlainBody plain = new PlainBody(req.getInputStream(), req.getContentLengthLong());
        HeaderOverrides h = new HeaderOverrides();
        app.call(new TransformedRequest(req, h, null, plain.stream(), plain::length), res);
    }

    private HeaderOverrides uploadHeaders() {
        HeaderOverrides h = new HeaderOverrides();
        // The app stores the object; these describe the plaintext or ask for encryption, and are ours.
        h.remove(OssHeaders.CONTENT_MD5);
        h.remove(OssHeaders.SSE);
        h.remove(OssHeaders.SSE_KEY_ID);
        h.remove(OssHeaders.SSE_DATA_ENCRYPTION);
        h.remove(OssHeaders.CRC64);
        return h;
    }

    /** The upload's own SSE headers as a rule (null if it has none), validated as OSS does (OSS-WIRE.md 1.2). */
    private EncryptionRule requestRule() {
        String sse = req.getHeader(OssHeaders.SSE);
        String keyId = req.getHeader(OssHeaders.SSE_KEY_ID);
        String dataEnc = req.getHeader(OssHeaders.SSE_DATA_ENCRYPTION);
        if (sse == null) {
            if (keyId != null || dataEnc != null) {
                throw OssErrors.invalidArgument("x-oss-server-side-encryption-key-id and x-oss-server-side-data-encryption "
                        + "are valid only with x-oss-server-side-encryption: KMS.");
            }
            return null;
        }
        SseAlgorithm alg = SseAlgorithm.fromHeader(sse);
        if (alg == null) {
            throw OssErrors.invalidEncryptionAlgorithm();
        }
        if (dataEnc != null && !"SM4".equals(dataEnc)) {
            throw OssErrors.invalidDataEncryptionAlgorithm();
        }
        if (alg != SseAlgorithm.KMS && (keyId != null || dataEnc != null)) {
            throw OssErrors.invalidArgument("x-oss-server-side-encryption-key-id and x-oss-server-side-data-encryption "
                    + "are valid only with x-oss-server-side-encryption: KMS.");
        }
        if (keyId != null && (keyId.isBlank() || keyId.length() > MAX_KEY_ID_LENGTH)) {
            throw OssErrors.invalidKmsKeyId();
        }
        return new EncryptionRule(alg, keyId, dataEnc);
    }

    /** OSS: the SSE request header is accepted only on uploads (400 InvalidArgument elsewhere). */
    private void rejectSseHeader() {
        if (req.getHeader(OssHeaders.SSE) != null) {
            throw OssErrors.invalidArgument("x-oss-server-side-encryption is not allowed on a " + req.getMethod() + " request.");
        }
    }

    // ---- downloads -----------------------------------------------------------------------------

    private void download() throws IOException, ServletException {
        rejectSseHeader();
        authorizeRead();
        ByteRange range = ByteRange.parse(req.getHeader(OssHeaders.RANGE));
        if (range == null) {
            fullDownload();
        } else {
            rangeDownload(range);
        }
    }

    private void fullDownload() throws IOException, ServletException {
        HeaderOverrides h = new HeaderOverrides()
                .remove(OssHeaders.RANGE)
                .remove(OssHeaders.IF_RANGE)
                .remove(OssHeaders.ACCEPT_ENCODING); // the app must send the stored bytes as they are
        mapConditionals(h);
        FullDecision decision = new FullDecision();
        try {
            callDecrypting(new TransformedRequest(req, h, null, null, null),
                    new DeferredResponse(res, decision, ObjectHeader.MAX_LENGTH));
        } finally {
            decision.close();
        }
    }

    /**
     * One app call of a download. A stored object that fails authentication before any byte has
     * reached the client is answered 500 InternalError (OSS XML), whatever the app made of the
     * failure; once bytes went out, the failure propagates and the connection is aborted.
     */
    private void callDecrypting(TransformedRequest appRequest, DeferredResponse resW) throws IOException, ServletException {
        try {
            app.call(appRequest, resW);
            resW.finish();
        } catch (IOException | ServletException | RuntimeException e) {
            if (!resW.failedBeforeSending()) {
                throw e;
            }
        }
        if (resW.failedBeforeSending()) { // thrown, or swallowed by an app that then answered an error of its own
            SseException failed = new FormatException(FormatException.Reason.SEGMENT_AUTHENTICATION_FAILED,
                    "the stored object failed authentication");
            logRefusal(failed);
            ErrorResponses.write(res, failed, requestId, req.getServerName(), false);
        }
    }

    private void rangeDownload(ByteRange range) throws IOException, ServletException {
        Probe probe = probe(false);
        switch (probe.kind) {
            case PASSED -> { }
            case LEGACY -> {
                res.reset();
                app.call(req, res);
            }
            case ENCRYPTED -> servePlannedRange(probe, range);
        }
    }

    private void servePlannedRange(Probe probe, ByteRange range) throws IOException, ServletException {
        ObjectHeader header = probe.header;
        if (probe.storedLength < 0) {
            // The app sent no length: the range cannot be planned, so the whole object is served
            // (OSS, too, may answer a Range with the whole object).
            res.reset();
            fullDownload();
            return;
        }
        long plainLength = header.plaintextLength(probe.storedLength);
        String behavior = req.getHeader(OssHeaders.RANGE_BEHAVIOR);
        if (!range.fits(plainLength) && (behavior == null || !behavior.trim().equalsIgnoreCase("standard"))) {
            res.reset(); // OSS by default: a Range outside the object is ignored
            fullDownload();
            return;
        }
        long[] interval = range.resolve(plainLength);
        if (interval == null) {
            SseException e = OssErrors.invalidRange("The requested range cannot be satisfied.");
            ErrorResponses.write(res, e, requestId, req.getServerName(), false,
                    java.util.Map.of(OssHeaders.CONTENT_RANGE, "bytes */" + plainLength));
            return;
        }
        SseRuntime.Download opened = header.algorithm() == ContentAlgorithm.NONE ? null : open(header);
        try {
            RangePlan plan = header.planRange(probe.storedLength, interval[0], interval[1]);
            res.reset();
            HeaderOverrides h = new HeaderOverrides()
                    .set(OssHeaders.RANGE, "bytes=" + plan.ciphertextOffset() + "-" + (plan.ciphertextEnd() - 1))
                    .remove(OssHeaders.ACCEPT_ENCODING);
            mapConditionals(h);
            if (req.getHeader(OssHeaders.IF_RANGE) != null) {
                h.set(OssHeaders.IF_RANGE, Etags.toApp(req.getHeader(OssHeaders.IF_RANGE)));
            }
            RangeDecision decision = new RangeDecision(header, opened, plan, probe.storedLength,
                    req.getHeader(OssHeaders.IF_RANGE) != null);
            callDecrypting(new TransformedRequest(req, h, null, null, null), new DeferredResponse(res, decision, 1));
        } finally {
            if (opened != null) {
                opened.close();
            }
        }
    }

    private void head() throws IOException, ServletException {
        rejectSseHeader();
        authorizeRead();
        Probe probe = probe(true);
        switch (probe.kind) {
            case PASSED -> { }
            case LEGACY -> {
                res.reset();
                app.call(req, res);
            }
            case ENCRYPTED -> {
                ObjectHeader header = probe.header;
                res.setStatus(200);
                if (probe.storedLength >= 0) {
                    long p = header.algorithm() == ContentAlgorithm.NONE
                            ? probe.storedLength - header.length()
                            : header.plaintextLength(probe.storedLength);
                    res.setContentLengthLong(p);
                }
                if (probe.etag != null) {
                    res.setHeader(OssHeaders.ETAG, Etags.toClient(probe.etag));
                }
                if (header.algorithm() != ContentAlgorithm.NONE) {
                    SseResponseHeaders.set(res, SseInfo.of(header));
                }
                res.setHeader(OssHeaders.ACCEPT_RANGES, "bytes");
            }
        }
    }

    /** Client conditionals carry our ETags: the app must see its own. */
    private void mapConditionals(HeaderOverrides h) {
        for (String name : new String[] {OssHeaders.IF_MATCH, OssHeaders.IF_NONE_MATCH}) {
            String v = req.getHeader(name);
            if (v != null) {
                h.set(name, Etags.toApp(v));
            }
        }
    }

    // ---- the probe -----------------------------------------------------------------------------

    private enum ProbeKind { PASSED, LEGACY, ENCRYPTED }

    private static final class Probe {
        ProbeKind kind = ProbeKind.PASSED;
        SseException failure;
        ObjectHeader header;
        long storedLength = -1;
        String etag;
    }

    /**
     * Asks the app for the first bytes of the object (a ranged GET), to learn whether it is
     * encrypted, its header and its stored length. With {@code conditionals}, the client's
     * conditional headers go along (HEAD answers 304/412 from them).
     */
    private Probe probe(boolean conditionals) throws IOException, ServletException {
        HeaderOverrides h = new HeaderOverrides()
                .set(OssHeaders.RANGE, "bytes=0-" + (ObjectHeader.MAX_LENGTH - 1))
                .remove(OssHeaders.IF_RANGE)
                .remove(OssHeaders.ACCEPT_ENCODING);
        if (conditionals) {
            mapConditionals(h);
        } else {
            h.remove(OssHeaders.IF_MATCH).remove(OssHeaders.IF_NONE_MATCH)
                    .remove("If-Modified-Since").remove("If-Unmodified-Since");
        }
        Probe probe = new Probe();
        DeferredResponse resW = new DeferredResponse(res, (status, held, prefix, len, complete, real) -> {
            if (status == 416) {
                probe.kind = ProbeKind.LEGACY; // empty object: let the real request see it as it is
                return DeferredResponse.Outcome.DISCARD;
            }
            if (status != 200 && status != 206) {
                if (status >= 400 && "HEAD".equals(req.getMethod())) {
                    if (!complete && len < ObjectHeader.MAX_LENGTH) {
                        return DeferredResponse.Outcome.WAIT; // the app's whole error body, to repeat it
                    }
                    repeatErrorForHead(held, prefix, len, complete);
                }
                notModified(status, held);
                probe.kind = ProbeKind.PASSED;
                return DeferredResponse.Outcome.PASSTHROUGH;
            }
            if (len < ObjectHeader.MAGIC_LENGTH && !complete) {
                return DeferredResponse.Outcome.WAIT;
            }
            if (!ObjectHeader.hasMagic(prefix, 0, len)) {
                switch (unmarked(prefix, len, complete)) {
                    case UNDECIDED -> {
                        return DeferredResponse.Outcome.WAIT;
                    }
                    case DAMAGED -> probe.failure = damagedMagic();
                    case PLAINTEXT -> probe.kind = ProbeKind.LEGACY;
                }
                return DeferredResponse.Outcome.DISCARD;
            }
            try {
                probe.header = ObjectHeader.parse(prefix, 0, len);
            } catch (FormatException e) {
                if (e.reason() == FormatException.Reason.TRUNCATED && !complete) {
                    return DeferredResponse.Outcome.WAIT;
                }
                probe.failure = e; // answered after the app returns, not thrown into the app's write()
                return DeferredResponse.Outcome.DISCARD;
            }
            probe.kind = ProbeKind.ENCRYPTED;
            probe.storedLength = status == 206 ? totalOfContentRange(held.get(OssHeaders.CONTENT_RANGE)) : held.contentLength();
            probe.etag = held.get(OssHeaders.ETAG);
            return DeferredResponse.Outcome.DISCARD;
        }, ObjectHeader.MAX_LENGTH);
        app.call(new TransformedRequest(req, h, "GET", null, null), resW);
        resW.finish();
        if (probe.failure != null) {
            logRefusal(probe.failure);
            res.reset();
            throw probe.failure;
        }
        return probe;
    }

    // ---- decisions on the app's response ---------------------------------------------------------

    /** A whole-object GET: decrypt if the body is in the format, pass through otherwise. */
    private final class FullDecision implements DeferredResponse.Decision {
        private SseRuntime.Download opened;

        @Override
        public DeferredResponse.Outcome decide(int status, HeldHeaders held, byte[] prefix, int len, boolean complete,
                HttpServletResponse real) throws IOException {
            if (status != 200) {
                notModified(status, held);
                return DeferredResponse.Outcome.PASSTHROUGH;
            }
            if (len < ObjectHeader.MAGIC_LENGTH) {
                return complete ? DeferredResponse.Outcome.PASSTHROUGH : DeferredResponse.Outcome.WAIT;
            }
            try {
                if (!ObjectHeader.hasMagic(prefix, 0, len)) {
                    switch (unmarked(prefix, len, complete)) {
                        case UNDECIDED -> {
                            return DeferredResponse.Outcome.WAIT;
                        }
                        case DAMAGED -> throw damagedMagic();
                        case PLAINTEXT -> {
                            return DeferredResponse.Outcome.PASSTHROUGH; // stored before encryption was enabled
                        }
                    }
                }
                ObjectHeader header;
                try {
                    header = ObjectHeader.parse(prefix, 0, len);
                } catch (FormatException e) {
                    if (e.reason() == FormatException.Reason.TRUNCATED && !complete) {
                        return DeferredResponse.Outcome.WAIT;
                    }
                    throw e;
                }
                long stored = held.contentLength();
                String etag = held.get(OssHeaders.ETAG);
                if (header.algorithm() == ContentAlgorithm.NONE) {
                    real.setStatus(200);
                    if (stored >= 0) {
                        real.setContentLengthLong(stored - header.length());
                    }
                    setEtag(real, etag);
                    return DeferredResponse.Outcome.transform(real.getOutputStream(), header.length());
                }
                long plain = stored >= 0 ? header.plaintextLength(stored) : -1;
                opened = open(header);
                real.setStatus(200);
                if (plain >= 0) {
                    real.setContentLengthLong(plain);
                }
                setEtag(real, etag);
                SseResponseHeaders.set(real, opened.info());
                OutputStream out = new DecryptingOutputStream(opened.decryptor(), real.getOutputStream(),
                        header.segmentSize(), 0, segmentCount(header, stored), 0, 0, -1)
                        .expectSealedBytes(stored - header.length());
                return DeferredResponse.Outcome.transform(out, header.length());
            } catch (SseException e) {
                logRefusal(e);
                ErrorResponses.write(real, e, requestId, req.getServerName(), false);
                return DeferredResponse.Outcome.DISCARD;
            }
        }

        void close() {
            if (opened != null) {
                opened.close();
            }
        }
    }

    /** The second call of a Range GET: the app sends the planned segments (206), or ignores Range (200). */
    private final class RangeDecision implements DeferredResponse.Decision {
        private final ObjectHeader header;
        private final SseRuntime.Download opened; // null for the plain envelope
        private final RangePlan plan;
        private final long stored;
        private final boolean ifRange;

        RangeDecision(ObjectHeader header, SseRuntime.Download opened, RangePlan plan, long stored, boolean ifRange) {
            this.header = header;
            this.opened = opened;
            this.plan = plan;
            this.stored = stored;
            this.ifRange = ifRange;
        }

        @Override
        public DeferredResponse.Outcome decide(int status, HeldHeaders held, byte[] prefix, int len, boolean complete,
                HttpServletResponse real) throws IOException {
            if (status == 200 && ifRange) {
                // If-Range did not match: the client gets the whole current object (RFC 9110 13.1.5).
                real.setStatus(200);
                real.setContentLengthLong(plan.plaintextLength());
                finishHeaders(real, held);
                return DeferredResponse.Outcome.transform(body(real, 0, header.length(), 0, -1), 0);
            }
            long skipStored;
            if (status == 206) {
                long start = startOfContentRange(held.get(OssHeaders.CONTENT_RANGE));
                if (start != plan.ciphertextOffset()) {
                    SseException e = OssErrors.internal("The application answered a different range than asked.", null);
                    ErrorResponses.write(real, e, requestId, req.getServerName(), false);
                    return DeferredResponse.Outcome.DISCARD;
                }
                skipStored = 0;
            } else if (status == 200) {
                skipStored = plan.ciphertextOffset(); // the app does not do Range: skip to our segments
            } else {
                notModified(status, held);
                return DeferredResponse.Outcome.PASSTHROUGH;
            }
            real.setStatus(206);
            real.setHeader(OssHeaders.CONTENT_RANGE,
                    "bytes " + plan.first() + "-" + plan.lastInclusive() + "/" + plan.plaintextLength());
            real.setContentLengthLong(plan.length());
            finishHeaders(real, held);
            long plainSkip = plan.first() - plan.firstSegment() * header.segmentSize();
            return DeferredResponse.Outcome.transform(
                    body(real, plan.firstSegment(), skipStored, plainSkip, plan.length()), 0);
        }

        /** The client's body: decrypted segments, or for the plain envelope the stored bytes sliced. */
        private OutputStream body(HttpServletResponse real, long firstSegment, long skipStored, long plainSkip, long limit)
                throws IOException {
            if (opened == null) {
                return new SliceOutputStream(real.getOutputStream(), skipStored, limit);
            }
            return new DecryptingOutputStream(opened.decryptor(), real.getOutputStream(), header.segmentSize(),
                    firstSegment, segmentCount(header, stored), skipStored, plainSkip, limit);
        }

        private void finishHeaders(HttpServletResponse real, HeldHeaders held) {
            setEtag(real, held.get(OssHeaders.ETAG));
            if (opened != null) {
                SseResponseHeaders.set(real, opened.info());
            }
            real.setHeader(OssHeaders.ACCEPT_RANGES, "bytes");
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static void setEtag(HttpServletResponse real, String appEtag) {
        if (appEtag != null) {
            real.setHeader(OssHeaders.ETAG, Etags.toClient(appEtag));
        }
    }

    /** Number of segments of a stored object of {@code stored} bytes, or -1 if unknown. */
    static long segmentCount(ObjectHeader header, long stored) {
        return stored < 0 ? -1 : header.segmentCount(header.plaintextLength(stored));
    }

    /**
     * The app's error answer to the probe of a HEAD: the client gets no body, so its OSS error XML
     * goes along base64 in x-oss-err, as OSS sends it (the SDKs read the code there).
     */
    private static void repeatErrorForHead(HeldHeaders held, byte[] prefix, int len, boolean complete) {
        String body = new String(prefix, 0, len, java.nio.charset.StandardCharsets.UTF_8);
        if (complete && held.get(OssHeaders.ERR) == null && body.contains("<Error>") && body.contains("<Code>")) {
            held.set(OssHeaders.ERR, Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(prefix, len)));
        }
    }

    /**
     * The app's 304, passed through: what it says of the stored bytes (a checksum of ciphertext, a
     * length) is dropped, and its ETag is the client's form when the client asked by that form.
     */
    private void notModified(int status, HeldHeaders held) {
        if (status != 304) {
            return;
        }
        for (String name : java.util.List.copyOf(held.names())) {
            if (OssHeaders.describesStoredBytes(name) && !name.equalsIgnoreCase(OssHeaders.ETAG)) {
                held.remove(name);
            }
        }
        if (Etags.namesEncryptedTag(req.getHeader(OssHeaders.IF_NONE_MATCH))) {
            held.set(OssHeaders.ETAG, Etags.toClient(held.get(OssHeaders.ETAG)));
        }
    }

    /** What stored bytes without the magic are. */
    private enum Unmarked { PLAINTEXT, DAMAGED, UNDECIDED }

    /**
     * Stored bytes without the magic: plaintext (stored before encryption was enabled), an encrypted
     * object whose magic was damaged (a whole header behind it), or undecided while more could tell.
     */
    private static Unmarked unmarked(byte[] prefix, int len, boolean complete) {
        try {
            return ObjectHeader.isHeaderBehindDamagedMagic(prefix, 0, len) ? Unmarked.DAMAGED : Unmarked.PLAINTEXT;
        } catch (FormatException tooShort) {
            return complete ? Unmarked.PLAINTEXT : Unmarked.UNDECIDED;
        }
    }

    /** Not the magic, but otherwise a whole header: an encrypted object damaged in its first bytes, never plaintext. */
    private static FormatException damagedMagic() {
        return new FormatException(FormatException.Reason.MALFORMED_HEADER,
                "the object's first bytes are not the format's magic, but the header behind them is whole: damaged");
    }

    private void logRefusal(SseException e) {
        if (e instanceof FormatException) {
            LOG.warn("request {}: stored object {} failed authentication: {}", requestId, req.getRequestURI(), e.getMessage());
        } else {
            LOG.debug("request {}: download refused: {} {}", requestId, e.ossCode(), e.getMessage());
        }
    }

    /**
     * The request path inside the web application, percent-decoded by the filter from the raw URI:
     * the app may parse the raw URI itself, so the filter must see the path as the app does, and
     * not the container's normalised view. Null for an ambiguous path (encoded '/', '\\' or '.', dot
     * segments, empty segments, path parameters, malformed escapes): it could name one bucket to the
     * filter and another to the app, so uploads to it are refused.
     */
    static String contextPath(HttpServletRequest req) {
        String uri = req.getRequestURI();
        String ctx = req.getContextPath();
        String raw = ctx != null && !ctx.isEmpty() && uri.startsWith(ctx) ? uri.substring(ctx.length()) : uri;
        if (raw.isEmpty()) {
            return "/";
        }
        String lower = raw.toLowerCase(Locale.ROOT);
        if (raw.isEmpty() || raw.charAt(0) != '/') {
            return null;
        }
        if (lower.contains("%2f") || lower.contains("%5c") || lower.contains("%2e") || raw.contains("\\")
                || raw.contains("//") || raw.contains("/./") || raw.contains("/../") || raw.endsWith("/.")
                || raw.endsWith("/..") || raw.indexOf(';') >= 0) {
            return null;
        }
        return percentDecode(raw);
    }

    private static String percentDecode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int lo = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** {@code bytes a-b/total} → total, or -1. */
    static long totalOfContentRange(String v) {
        if (v == null) {
            return -1;
        }
        int slash = v.lastIndexOf('/');
        try {
            return slash < 0 ? -1 : Long.parseLong(v.substring(slash + 1).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** {@code bytes a-b/total} → a, or -1. */
    static long startOfContentRange(String v) {
        if (v == null) {
            return -1;
        }
        String s = v.trim();
        int sp = s.indexOf(' ');
        int dash = s.indexOf('-');
        try {
            return sp < 0 || dash < sp ? -1 : Long.parseLong(s.substring(sp + 1, dash).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static byte[] decodeMd5(String b64) {
        try {
            byte[] d = Base64.getDecoder().decode(b64.trim());
            if (d.length != 16) {
                throw OssErrors.invalidDigest();
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw OssErrors.invalidDigest();
        }
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is a required JDK algorithm", e);
        }
    }

    /**
     * The body of a None upload: read-through, except that a body beginning with the format's
     * magic gets the plain-envelope header in front (and its length grows by that header).
     */
    private static final class PlainBody {
        private final PushbackInputStream in;
        private final long declared;
        private byte[] prefix;

        PlainBody(InputStream in, long declared) {
            this.in = new PushbackInputStream(in, ObjectHeader.MAGIC_LENGTH);
            this.declared = declared;
        }

        private byte[] prefix() {
            if (prefix == null) {
                try {
                    byte[] head = in.readNBytes(ObjectHeader.MAGIC_LENGTH);
                    in.unread(head);
                    prefix = head.length == ObjectHeader.MAGIC_LENGTH && ObjectHeader.hasMagic(head, 0, head.length)
                            ? ObjectHeader.plainEnvelope().encode(null)
                            : new byte[0];
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return prefix;
        }

        long length() {
            return declared < 0 ? -1 : declared + prefix().length;
        }

        InputStream stream() {
            return new InputStream() {
                private InputStream joined;

                private InputStream joined() {
                    if (joined == null) {
                        joined = new SequenceInputStream(new ByteArrayInputStream(prefix()), in);
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
}
