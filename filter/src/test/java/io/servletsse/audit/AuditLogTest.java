package io.servletsse.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.servletsse.testing.Stderr;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class AuditLogTest {
    private final List<String> lines = new ArrayList<>();
    private final AuditLog log = new AuditLog(
            Clock.fixed(Instant.parse("2026-11-23T17:41:07.123456Z"), ZoneOffset.UTC), lines::add);

    @Test
    void dataKeyGenerated_writesOneLineWithEveryField() {
        log.dataKeyGenerated("5C3D9175B6FC201293AD4890", "bob", "photos", "2026/a.jpg", "k-1");
        assertThat(lines).containsExactly("{\"time\":\"2026-11-23T17:41:07.123Z\",\"requestId\":\"5C3D9175B6FC201293AD4890\","
                + "\"principal\":\"bob\",\"action\":\"kms:GenerateDataKey\",\"bucket\":\"photos\",\"key\":\"2026/a.jpg\","
                + "\"cmkId\":\"k-1\",\"result\":\"success\"}");
    }

    @Test
    void dataKeyDecrypted_andRuleChanged_nameTheirActions() throws Exception {
        log.dataKeyDecrypted("r1", "bob", "photos", "a.jpg", "k-1");
        log.ruleChanged("r2", "alice", "oss:PutBucketEncryption", "photos", "k-2", "KMS(k-2)");
        ObjectMapper json = new ObjectMapper();
        JsonNode decrypt = json.readTree(lines.get(0));
        JsonNode rule = json.readTree(lines.get(1));
        assertThat(decrypt.get("action").asText()).isEqualTo("kms:Decrypt");
        assertThat(rule.get("action").asText()).isEqualTo("oss:PutBucketEncryption");
        assertThat(rule.get("detail").asText()).isEqualTo("KMS(k-2)");
        assertThat(rule.has("key")).isFalse();
    }

    @Test
    void objectKeyWithNewline_staysOnOneLine() throws Exception {
        log.denied("r", "mallory", "oss:GetObject", "b", "a\n{\"forged\":true}", null, "AccessDenied");
        assertThat(lines).singleElement().asString().doesNotContain("\n");
        assertThat(new ObjectMapper().readTree(lines.get(0)).get("key").asText()).isEqualTo("a\n{\"forged\":true}");
    }

    @Test
    void overlongField_isCut() throws Exception {
        log.denied("r", "p", "oss:GetObject", "b", "k".repeat(5000), null, "AccessDenied");
        assertThat(new ObjectMapper().readTree(lines.get(0)).get("key").asText()).hasSize(AuditLog.MAX_FIELD_CHARS + 3);
    }

    @Test
    void failed_recordsTheErrorCode() throws Exception {
        log.failed("r", "bob", "kms:GenerateDataKey", "b", "k", "k-1", "ServiceUnavailable");
        JsonNode line = new ObjectMapper().readTree(lines.get(0));
        assertThat(line.get("result").asText()).isEqualTo("failed");
        assertThat(line.get("detail").asText()).isEqualTo("ServiceUnavailable");
    }

    @Test
    void slf4jSink_writesTheLineThroughTheServletsseAuditLogger() throws Exception {
        // slf4j-simple (test scope) prints "[thread] LEVEL logger - message" to the current System.err.
        String captured = Stderr.of(() -> new AuditLog(Clock.fixed(Instant.parse("2026-11-23T17:41:07Z"), ZoneOffset.UTC),
                AuditSink.slf4j()).denied("r9", "mallory", "oss:GetObject", "b", "k", null, "AccessDenied"));
        assertThat(captured).contains("INFO servletsse.audit - {\"time\":\"2026-11-23T17:41:07.000Z\","
                + "\"requestId\":\"r9\",\"principal\":\"mallory\",\"action\":\"oss:GetObject\"");
    }

    @Test
    void time_isUtcWithExactlyThreeFractionDigits() {
        List<String> out = new ArrayList<>();
        for (String t : new String[] {"2026-11-23T17:41:07Z", "2026-11-23T17:41:07.050900Z", "2026-11-23T17:41:07.999999Z",
                "2026-11-23T17:41:08.001Z", "1969-12-31T23:59:59.100Z", "+12026-01-01T00:00:00.010Z"}) {
            new AuditLog(Clock.fixed(Instant.parse(t), ZoneOffset.UTC), out::add).denied("r", "p", "a", null, null, null, "X");
        }
        assertThat(out).extracting(l -> l.substring(9, l.indexOf('"', 9))).containsExactly("2026-11-23T17:41:07.000Z",
                "2026-11-23T17:41:07.050Z", "2026-11-23T17:41:07.999Z", "2026-11-23T17:41:08.001Z", "1969-12-31T23:59:59.100Z",
                "+12026-01-01T00:00:00.010Z");
    }

    @Test
    void escaping_isJacksonsForQuotesControlCharactersAndUnicode() throws Exception {
        String nasty = "q\"b\\s\u0000\u001f\t\r\u2028\u00e9\ud83d\ude00</script>";
        log.denied(nasty, nasty, nasty, nasty, nasty, nasty, nasty);
        com.fasterxml.jackson.databind.node.ObjectNode expected = new ObjectMapper().createObjectNode();
        expected.put("time", "2026-11-23T17:41:07.123Z");
        for (String f : new String[] {"requestId", "principal", "action", "bucket", "key", "cmkId"}) {
            expected.put(f, nasty);
        }
        expected.put("result", "denied");
        expected.put("detail", nasty);
        assertThat(lines).containsExactly(new ObjectMapper().writeValueAsString(expected));
    }
}
