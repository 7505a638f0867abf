package io.servletsse.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servletsse.audit.AuditEvent.Outcome;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The audit log: one JSON object per line for every data-key generation, data-key decryption,
 * bucket rule change and denied request, written to the logger {@value AuditSink#LOGGER_NAME}.
 *
 * <p>Line shape (absent fields are left out; field order fixed):
 * <pre>
 * {"time":"2026-11-23T17:41:07.123Z","requestId":"5C3D9175B6FC201293AD4890","principal":"alice",
 *  "action":"kms:GenerateDataKey","bucket":"photos","key":"2026/a.jpg","cmkId":"key-1","result":"success"}
 * </pre>
 * Time comes from the injected {@link Clock} (millisecond precision, UTC). Values are JSON-escaped
 * (a key containing a newline cannot forge a second line) and cut at {@value #MAX_FIELD_CHARS}
 * characters. Nothing here ever receives key material: see {@link AuditEvent}.
 */
public final class AuditLog {
    static final int MAX_FIELD_CHARS = 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;
    private final AuditSink sink;

    public AuditLog(Clock clock, AuditSink sink) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** The production log: SLF4J logger {@value AuditSink#LOGGER_NAME}. */
    public static AuditLog toSlf4j(Clock clock) {
        return new AuditLog(clock, AuditSink.slf4j());
    }

    /** A data key was generated under {@code cmkId} for an upload (action {@code kms:GenerateDataKey}). */
    public void dataKeyGenerated(String requestId, String principal, String bucket, String objectKey, String cmkId) {
        record(new AuditEvent(requestId, principal, "kms:GenerateDataKey", bucket, objectKey, cmkId,
                Outcome.SUCCESS, null));
    }

    /** An object's data key was decrypted for a download (action {@code kms:Decrypt}). */
    public void dataKeyDecrypted(String requestId, String principal, String bucket, String objectKey, String cmkId) {
        record(new AuditEvent(requestId, principal, "kms:Decrypt", bucket, objectKey, cmkId, Outcome.SUCCESS, null));
    }

    /**
     * A bucket's default encryption changed.
     *
     * @param action  {@code oss:PutBucketEncryption} or {@code oss:DeleteBucketEncryption}
     * @param newRule the rule now in force, e.g. {@code EncryptionRule.toString()}: {@code KMS(key-1)}, {@code None}
     * @param cmkId   the CMK of the new rule, or {@code null}
     */
    public void ruleChanged(String requestId, String principal, String action, String bucket, String cmkId,
                            String newRule) {
        record(new AuditEvent(requestId, principal, action, bucket, null, cmkId, Outcome.SUCCESS, newRule));
    }

    /** A request was refused; {@code errorCode} is the OSS code answered (AccessDenied, SignatureDoesNotMatch, ...). */
    public void denied(String requestId, String principal, String action, String bucket, String objectKey,
                       String cmkId, String errorCode) {
        record(new AuditEvent(requestId, principal, action, bucket, objectKey, cmkId, Outcome.DENIED, errorCode));
    }

    /**
     * An audited operation failed for a reason other than a denial (e.g. the key service was
     * unavailable while generating a data key); {@code errorCode} is the OSS code answered.
     */
    public void failed(String requestId, String principal, String action, String bucket, String objectKey,
                       String cmkId, String errorCode) {
        record(new AuditEvent(requestId, principal, action, bucket, objectKey, cmkId, Outcome.FAILED, errorCode));
    }

    /** Writes one event. */
    public void record(AuditEvent e) {
        ObjectNode line = JSON.createObjectNode();
        line.put("time", clock.instant().truncatedTo(ChronoUnit.MILLIS).toString());
        put(line, "requestId", e.requestId());
        put(line, "principal", e.principal());
        put(line, "action", e.action());
        put(line, "bucket", e.bucket());
        put(line, "key", e.objectKey());
        put(line, "cmkId", e.cmkId());
        line.put("result", e.outcome().json());
        put(line, "detail", e.detail());
        try {
            sink.write(JSON.writeValueAsString(line));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("audit line could not be written as JSON", ex);
        }
    }

    private static void put(ObjectNode line, String field, String value) {
        if (value != null) {
            line.put(field, value.length() > MAX_FIELD_CHARS ? value.substring(0, MAX_FIELD_CHARS) + "..." : value);
        }
    }
}
