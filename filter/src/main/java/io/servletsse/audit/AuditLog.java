package io.servletsse.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.servletsse.audit.AuditEvent.Outcome;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * The audit log: one JSON object per line for every data-key generation, data-key decryption,
 * bucket rule change and denied request, written to a sink: in production the logger
 * {@value AuditSink#LOGGER_NAME}, through an {@link AsyncAuditSink}.
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
    private static final JsonFactory JSON = new JsonFactory();

    private final Clock clock;
    private final AuditSink sink;
    private volatile Second lastSecond;

    public AuditLog(Clock clock, AuditSink sink) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sink = Objects.requireNonNull(sink, "sink");
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
        StringWriter out = new StringWriter(256);
        // A streaming generator, not an ObjectNode serialised through the ObjectMapper: the same
        // bytes and escaping (one JsonFactory), a fraction of the cost per line (every download writes one).
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", time());
            put(g, "requestId", e.requestId());
            put(g, "principal", e.principal());
            put(g, "action", e.action());
            put(g, "bucket", e.bucket());
            put(g, "key", e.objectKey());
            put(g, "cmkId", e.cmkId());
            g.writeStringField("result", e.outcome().json());
            put(g, "detail", e.detail());
            g.writeEndObject();
        } catch (IOException ex) {
            throw new IllegalStateException("audit line could not be written as JSON", ex);
        }
        sink.write(out.toString());
    }

    /**
     * The clock's instant in UTC with exactly three fraction digits, e.g. {@code 2026-11-23T17:41:07.123Z},
     * {@code ...:07.000Z} on a whole second (where {@code Instant.toString()} would drop them): one width
     * for every line, whatever parses the log. The date-time part is formatted once per second:
     * formatting it per line was a measurable share of a small download.
     */
    private String time() {
        Instant now = clock.instant();
        long second = now.getEpochSecond();
        int millis = now.getNano() / 1_000_000;
        Second s = lastSecond;
        if (s == null || s.epochSecond != second) {
            String whole = Instant.ofEpochSecond(second).toString(); // "...:07Z"
            s = new Second(second, whole.substring(0, whole.length() - 1));
            lastSecond = s;
        }
        return s.prefix + "." + (char) ('0' + millis / 100) + (char) ('0' + millis / 10 % 10) + (char) ('0' + millis % 10) + "Z";
    }

    /** A formatted second; replaced whole (immutable), so readers on other threads see a consistent pair. */
    private record Second(long epochSecond, String prefix) {}

    private static void put(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value.length() > MAX_FIELD_CHARS ? value.substring(0, MAX_FIELD_CHARS) + "..." : value);
        }
    }
}
