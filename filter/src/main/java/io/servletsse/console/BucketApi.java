package io.servletsse.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servletsse.auth.Action;
import io.servletsse.auth.Authorizer;
import io.servletsse.engine.SseRuntime;
import io.servletsse.error.OssErrors;
import io.servletsse.error.SseException;
import io.servletsse.policy.EncryptionRule;
import io.servletsse.policy.PathMapper;
import io.servletsse.policy.RuleStore;
import io.servletsse.policy.SseAlgorithm;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The bucket endpoints of the console, {@code <admin>api/oss/<Action>}: ListBuckets (with each
 * bucket's encryption), CreateBucket with a rule (console Method 1), PutBucketEncryption (Method 2,
 * None = DeleteBucketEncryption) and GetBucketEncryption. Rules are checked exactly as over
 * {@code PUT /{bucket}?encryption}: {@link Authorizer#checkPutBucketEncryption}, then the CMK must
 * exist (DescribeKey), then the rule store.
 */
final class BucketApi {
    private final ApiCall call;
    private final AppBuckets app;

    BucketApi(ApiCall call, AppBuckets app) {
        this.call = call;
        this.app = app;
    }

    void handle(String action) throws IOException, ServletException {
        switch (action) {
            case "ListBuckets" -> list();
            case "GetBucketEncryption" -> get();
            case "CreateBucket" -> create();
            case "PutBucketEncryption" -> put();
            default -> throw new SseException(404, "InvalidAction.NotFound", "The OSS action is not supported.");
        }
    }

    private void list() throws IOException, ServletException {
        call.permissions.require(Action.LIST_BUCKETS, call.permissions.allBucketsArn(), null, null);
        TreeMap<String, TreeSet<String>> names = new TreeMap<>();
        call.runtime.config().bucketRules().keySet().forEach(b -> names.computeIfAbsent(b, x -> new TreeSet<>()).add("config"));
        ruleStoreBuckets(call.runtime).forEach(b -> names.computeIfAbsent(b, x -> new TreeSet<>()).add("rules"));
        if (app.available()) {
            app.list().forEach(b -> names.computeIfAbsent(b, x -> new TreeSet<>()).add("app"));
        }
        ObjectNode answer = call.object();
        ArrayNode buckets = answer.putArray("Buckets");
        names.forEach((name, sources) -> {
            ObjectNode b = buckets.addObject();
            b.put("Name", name);
            sources.forEach(b.putArray("Sources")::add);
            if (call.permissions.allowed(Action.GET_BUCKET_ENCRYPTION, arn(name))) {
                b.set("ServerSideEncryptionRule", ruleJson(call.runtime.rules().configured(name)));
            } else {
                b.put("AccessDenied", true); // listed, but its rule is not the caller's to see
            }
        });
        call.ok(answer);
    }

    private void get() throws IOException {
        String bucket = bucket();
        authorizer().ifPresent(a -> a.check(call.requestId, call.caller, Action.GET_BUCKET_ENCRYPTION,
                Authorizer.Target.bucket(bucket)));
        ObjectNode answer = call.object();
        answer.put("Bucket", bucket);
        answer.set("ServerSideEncryptionRule", ruleJson(call.runtime.rules().configured(bucket)));
        call.ok(answer);
    }

    /**
     * Method 1: the bucket's rule, then the bucket in the app (when it is OSS-style). The rule goes
     * first so that a bucket never exists in the app without it (a rule store that cannot be written
     * would otherwise leave a new bucket under the default); if the app then fails, the rule store is
     * put back as it was, and the request changed nothing.
     */
    private void create() throws IOException, ServletException {
        String bucket = bucket();
        EncryptionRule rule = rule(call.node("ServerSideEncryptionRule"));
        authorizer().ifPresent(a -> a.check(call.requestId, call.caller, Action.PUT_BUCKET, Authorizer.Target.bucket(bucket)));
        checkRule(bucket, rule); // before anything is created: a denied rule creates no bucket
        Optional<RuleStore.StoredRule> before = call.runtime.rules().stored(bucket);
        persist(bucket, rule);
        if (app.available()) {
            try {
                app.create(bucket);
            } catch (IOException | ServletException | RuntimeException e) {
                call.runtime.rules().restore(bucket, before);
                throw e;
            }
        }
        call.audited(Action.PUT_BUCKET.ramName(), bucket, null, app.available() ? "created in the app" : "rule only");
        auditRule(bucket, rule);
        ObjectNode answer = call.object();
        answer.put("Bucket", bucket);
        answer.set("ServerSideEncryptionRule", ruleJson(call.runtime.rules().configured(bucket)));
        call.ok(answer);
    }

    /** Method 2: Basic Settings → Server Encryption → Configure → Save. Existing objects are not changed. */
    private void put() throws IOException {
        String bucket = bucket();
        EncryptionRule rule = rule(call.node("ServerSideEncryptionRule"));
        checkRule(bucket, rule);
        store(bucket, rule);
        ObjectNode answer = call.object();
        answer.put("Bucket", bucket);
        answer.set("ServerSideEncryptionRule", ruleJson(call.runtime.rules().configured(bucket)));
        call.ok(answer);
    }

    /** The same checks as PUT|DELETE ?encryption (None is DeleteBucketEncryption, as the OSS console does). */
    private void checkRule(String bucket, EncryptionRule rule) {
        if (rule.isNone()) {
            authorizer().ifPresent(a -> a.check(call.requestId, call.caller, Action.DELETE_BUCKET_ENCRYPTION,
                    Authorizer.Target.bucket(bucket)));
            return;
        }
        authorizer().ifPresent(a -> a.checkPutBucketEncryption(call.requestId, call.caller, bucket, rule));
        if (rule.algorithm() == SseAlgorithm.KMS) {
            call.runtime.keys().checkRuleCmk(rule);
        }
    }

    private void store(String bucket, EncryptionRule rule) {
        persist(bucket, rule);
        auditRule(bucket, rule);
    }

    private void persist(String bucket, EncryptionRule rule) {
        if (rule.isNone()) {
            call.runtime.rules().delete(bucket);
        } else {
            call.runtime.rules().put(bucket, rule);
        }
    }

    private void auditRule(String bucket, EncryptionRule rule) {
        if (rule.isNone()) {
            call.runtime.audit().ruleChanged(call.requestId, call.caller.name(), Action.DELETE_BUCKET_ENCRYPTION.ramName(),
                    bucket, null, "None");
        } else {
            call.runtime.audit().ruleChanged(call.requestId, call.caller.name(), Action.PUT_BUCKET_ENCRYPTION.ramName(),
                    bucket, rule.kmsMasterKeyId(), rule.toString());
        }
    }

    private String bucket() throws IOException {
        String b = call.required("Bucket");
        if (!PathMapper.isValidBucketName(b)) {
            throw new SseException(400, "InvalidBucketName",
                    "The specified bucket is not valid (3-63 of a-z, 0-9, '-', not starting or ending with '-').");
        }
        return b;
    }

    private String arn(String bucket) {
        return call.runtime.access().map(a -> a.control().bucketArn(bucket)).orElse("");
    }

    private Optional<Authorizer> authorizer() {
        return call.runtime.access().map(SseRuntime.Access::authorizer);
    }

    /** {@code {"SSEAlgorithm": "None"|"AES256"|"SM4"|"KMS", "KMSMasterKeyID"?, "KMSDataEncryption"?}}, OSS names and codes. */
    static EncryptionRule rule(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw OssErrors.invalidArgument("ServerSideEncryptionRule is required.");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("SSEAlgorithm") && !f.equals("KMSMasterKeyID") && !f.equals("KMSDataEncryption")) {
                throw OssErrors.invalidArgument("Unknown field " + f + " in ServerSideEncryptionRule.");
            }
        }
        String alg = text(n, "SSEAlgorithm");
        String keyId = text(n, "KMSMasterKeyID");
        String dataEnc = text(n, "KMSDataEncryption");
        if (alg == null || "None".equals(alg)) {
            if (keyId != null && !keyId.isEmpty() || dataEnc != null && !dataEnc.isEmpty()) {
                throw OssErrors.invalidArgument("KMSMasterKeyID and KMSDataEncryption need SSEAlgorithm KMS.");
            }
            return EncryptionRule.none();
        }
        SseAlgorithm a = SseAlgorithm.fromHeader(alg);
        if (a == null) {
            throw OssErrors.invalidEncryptionAlgorithm();
        }
        if (keyId != null && keyId.length() > 256) {
            throw OssErrors.invalidKmsKeyId();
        }
        return new EncryptionRule(a, keyId, dataEnc == null || dataEnc.isEmpty() ? null : dataEnc);
    }

    private static String text(JsonNode n, String f) {
        JsonNode v = n.get(f);
        return v == null || v.isNull() ? null : v.asText();
    }

    static ObjectNode ruleJson(Optional<EncryptionRule> rule) {
        ObjectNode n = ApiCall.JSON.createObjectNode();
        EncryptionRule r = rule.orElse(EncryptionRule.none());
        n.put("SSEAlgorithm", r.isNone() ? "None" : r.algorithm().name());
        if (r.kmsMasterKeyId() != null) {
            n.put("KMSMasterKeyID", r.kmsMasterKeyId());
        }
        if (r.kmsDataEncryption() != null) {
            n.put("KMSDataEncryption", r.kmsDataEncryption());
        }
        return n;
    }

    /**
     * Buckets the rule store knows (set or deleted over the API or the console). Read from the
     * store's file, {@code <dataDirectory>/bucket-rules.json}, as the runtime opens it: the
     * RuleStore interface has no listing yet (a JDBC store would add one). Bounded, read-only.
     */
    static TreeSet<String> ruleStoreBuckets(SseRuntime runtime) throws IOException {
        TreeSet<String> out = new TreeSet<>();
        Path file = runtime.config().dataDirectory().resolve("bucket-rules.json");
        if (!Files.isRegularFile(file) || Files.size(file) > (16L << 20)) {
            return out;
        }
        JsonNode root = new ObjectMapper().readTree(Files.readAllBytes(file));
        JsonNode buckets = root == null ? null : root.get("buckets");
        if (buckets != null && buckets.isObject()) {
            buckets.fieldNames().forEachRemaining(b -> {
                if (PathMapper.isValidBucketName(b)) {
                    out.add(b);
                }
            });
        }
        return out;
    }
}
