package io.servletsse.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.servletsse.error.SseException;
import io.servletsse.policy.EncryptionRule;
import io.servletsse.policy.EncryptionRuleXml;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;

/**
 * The PutBucketEncryption body parser on any body a client can send: a rule, or one of the four
 * 400 errors OSS answers; never another exception, never an entity expansion (the allocation
 * budget catches one long before the heap does). A rule that parses survives its own
 * GetBucketEncryption XML.
 */
class EncryptionRuleXmlFuzzTest {
    private static final FuzzStats STATS = new FuzzStats("EncryptionRuleXml");

    @AfterAll
    static void report() {
        STATS.write();
    }

    private static final Set<String> CODES = Set.of("MalformedXML", "InvalidEncryptionAlgorithmError",
            "InvalidDataEncryptionAlgorithmError", "InvalidArgument");

    @FuzzTest(maxDuration = "12s")
    @DictionaryEntries({"<ServerSideEncryptionRule>", "</ServerSideEncryptionRule>",
        "<ApplyServerSideEncryptionByDefault>", "</ApplyServerSideEncryptionByDefault>", "<SSEAlgorithm>",
        "</SSEAlgorithm>", "<KMSMasterKeyID>", "</KMSMasterKeyID>", "<KMSDataEncryption>", "</KMSDataEncryption>",
        "AES256", "KMS", "SM4", "<!DOCTYPE", "<!ENTITY", "&", ";", "<![CDATA[", "]]>", "<?xml version=\"1.0\"?>",
        "xmlns=\"", "SYSTEM \"file:///etc/passwd\""})
    void parse(FuzzedDataProvider data) {
        byte[] body = data.consumeRemainingAsBytes();
        EncryptionRule[] rule = new EncryptionRule[1];
        // A DOM parse of a 4 KiB body costs well under 1 MiB; an expansion would cost far more.
        long allocated = Bounded.allocation(4L << 20, 2048, body.length, () -> {
            try {
                rule[0] = EncryptionRuleXml.parse(body);
            } catch (SseException e) {
                assertThat(e.httpStatus()).isEqualTo(400);
                assertThat(e.ossCode()).isIn(CODES);
            }
        });
        if (rule[0] == null) {
            STATS.refused(allocated);
        } else {
            STATS.accepted(allocated);
            assertThat(rule[0].isNone()).isFalse();
            EncryptionRule again = EncryptionRuleXml.parse(EncryptionRuleXml.toXml(rule[0]).getBytes(StandardCharsets.UTF_8));
            assertThat(again).isEqualTo(rule[0]);
            assertThat(EncryptionRuleXml.toBucketInfoXml(rule[0])).startsWith("<ServerSideEncryptionRule>");
        }
    }
}
