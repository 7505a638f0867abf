package io.servletsse.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servletsse.error.SseException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class EncryptionRuleXmlTest {
    private static EncryptionRule parse(String xml) {
        return EncryptionRuleXml.parse(xml.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertOssError(Runnable r, int status, String code) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(SseException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(status);
            assertThat(e.ossCode()).isEqualTo(code);
        });
    }

    // ---- PutBucketEncryption bodies as the SDKs send them (OSS-WIRE.md 2.1)

    @Test
    void javaSdkBody_aes256WithEmptyKmsMasterKeyId_isAes256() {
        assertThat(parse("<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm>"
                + "<KMSMasterKeyID></KMSMasterKeyID></ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>"))
                .isEqualTo(EncryptionRule.aes256());
    }

    @Test
    void javaSdkBody_sm4_isSm4() {
        assertThat(parse("<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>SM4</SSEAlgorithm>"
                + "<KMSMasterKeyID></KMSMasterKeyID></ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>"))
                .isEqualTo(EncryptionRule.sm4());
    }

    @Test
    void javaSdkBody_kmsWithCmkAndSm4Data_keepsAllThree() {
        assertThat(parse("<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>KMS</SSEAlgorithm>"
                + "<KMSMasterKeyID>9468da86-3509-4f8d-a61e-6eab1eac0001</KMSMasterKeyID>"
                + "<KMSDataEncryption>SM4</KMSDataEncryption></ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>"))
                .isEqualTo(EncryptionRule.kms("9468da86-3509-4f8d-a61e-6eab1eac0001", true));
    }

    @Test
    void javaSdkBody_kmsWithEmptyKeyId_isTheDefaultCmk() {
        EncryptionRule r = parse("<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>KMS</SSEAlgorithm>"
                + "<KMSMasterKeyID></KMSMasterKeyID></ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>");
        assertThat(r).isEqualTo(EncryptionRule.kms(null, false));
        assertThat(r.kmsMasterKeyId()).isNull();
    }

    @Test
    void goSdkBody_withOmittedElements_isAes256() {
        assertThat(parse("<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm>"
                + "</ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>")).isEqualTo(EncryptionRule.aes256());
    }

    @Test
    void documentationBody_withDeclarationIndentationAndComments_isParsed() {
        assertThat(parse("""
                <?xml version="1.0" encoding="UTF-8"?>
                <ServerSideEncryptionRule>
                  <ApplyServerSideEncryptionByDefault>
                    <SSEAlgorithm>KMS</SSEAlgorithm>                  <!-- AES256 | KMS | SM4 -->
                    <KMSDataEncryption>SM4</KMSDataEncryption>
                    <KMSMasterKeyID>9468da86-3509</KMSMasterKeyID>
                  </ApplyServerSideEncryptionByDefault>
                </ServerSideEncryptionRule>
                """)).isEqualTo(EncryptionRule.kms("9468da86-3509", true));
    }

    // ---- OSS validation errors

    @Test
    void unknownAlgorithm_isInvalidEncryptionAlgorithmError() {
        assertOssError(() -> parse("<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>DES</SSEAlgorithm>"
                + "</ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>"), 400, "InvalidEncryptionAlgorithmError");
        assertOssError(() -> parse("<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aes256</SSEAlgorithm>"
                + "</ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>"), 400, "InvalidEncryptionAlgorithmError");
    }

    @Test
    void dataEncryptionOtherThanSm4_isInvalidDataEncryptionAlgorithmError() {
        assertOssError(() -> parse("<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>KMS</SSEAlgorithm>"
                + "<KMSDataEncryption>AES128</KMSDataEncryption></ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>"),
                400, "InvalidDataEncryptionAlgorithmError");
    }

    @Test
    void cmkIdWithAes256_isInvalidArgumentWithOssMessage() {
        assertThatThrownBy(() -> parse("<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm>"
                + "<KMSMasterKeyID>k-1</KMSMasterKeyID></ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>"))
                .isInstanceOfSatisfying(SseException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(400);
                    assertThat(e.ossCode()).isEqualTo("InvalidArgument");
                    assertThat(e.getMessage()).isEqualTo("KMSMasterKeyID is not applicable if the default sse algorithm is not KMS");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "not xml",
        "<ServerSideEncryptionRule>",
        "<ServerSideEncryptionRule></ServerSideEncryptionRule>",
        "<Other><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Other>",
        "<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault></ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>",
        "<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm><SSEAlgorithm>KMS</SSEAlgorithm></ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>",
        "<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm><BucketKeyEnabled>true</BucketKeyEnabled></ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>",
        "<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm><X>AES256</X></SSEAlgorithm></ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>",
        "<ServerSideEncryptionRule>text<ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>",
        "<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault><ApplyServerSideEncryptionByDefault><SSEAlgorithm>KMS</SSEAlgorithm></ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>",
    })
    void malformedOrWrongShape_isMalformedXml(String body) {
        assertOssError(() -> parse(body), 400, "MalformedXML");
    }

    @Test
    void externalEntity_isMalformedXml_andNothingIsRead() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>&x;</SSEAlgorithm>"
                + "</ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>";
        assertOssError(() -> parse(xxe), 400, "MalformedXML");
    }

    @Test
    void billionLaughs_isMalformedXml() {
        StringBuilder dtd = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (int i = 1; i <= 9; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i == 1 ? "" : i - 1) + ";").repeat(10)).append("\">");
        }
        dtd.append("]><ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>&lol9;</SSEAlgorithm>"
                + "</ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>");
        assertOssError(() -> parse(dtd.toString()), 400, "MalformedXML");
    }

    @Test
    void bodyOverSixtyFourKib_isMalformedXml() {
        String padding = " ".repeat(EncryptionRuleXml.MAX_BODY_BYTES);
        String body = "<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm>"
                + "</ApplyServerSideEncryptionByDefault>" + padding + "</ServerSideEncryptionRule>";
        assertOssError(() -> parse(body), 400, "MalformedXML");
    }

    // ---- GetBucketEncryption and BucketInfo output

    @Test
    void getBody_kmsWithCmkAndSm4_isExactlyTheOssDocument() {
        assertThat(EncryptionRuleXml.toXml(EncryptionRule.kms("9468da86-3509-4f8d-a61e-6eab1eac0001", true))).isEqualTo("""
                <?xml version="1.0" encoding="UTF-8"?>
                <ServerSideEncryptionRule>
                  <ApplyServerSideEncryptionByDefault>
                    <SSEAlgorithm>KMS</SSEAlgorithm>
                    <KMSDataEncryption>SM4</KMSDataEncryption>
                    <KMSMasterKeyID>9468da86-3509-4f8d-a61e-6eab1eac0001</KMSMasterKeyID>
                  </ApplyServerSideEncryptionByDefault>
                </ServerSideEncryptionRule>
                """);
    }

    @Test
    void getBody_aes256_hasNoKmsElements() {
        assertThat(EncryptionRuleXml.toXml(EncryptionRule.aes256())).isEqualTo("""
                <?xml version="1.0" encoding="UTF-8"?>
                <ServerSideEncryptionRule>
                  <ApplyServerSideEncryptionByDefault>
                    <SSEAlgorithm>AES256</SSEAlgorithm>
                  </ApplyServerSideEncryptionByDefault>
                </ServerSideEncryptionRule>
                """);
    }

    @Test
    void getBody_kmsWithDefaultCmk_omitsKmsMasterKeyId() {
        assertThat(EncryptionRuleXml.toXml(EncryptionRule.kms(null, false))).doesNotContain("KMSMasterKeyID")
                .contains("<SSEAlgorithm>KMS</SSEAlgorithm>");
    }

    @Test
    void getBody_noRule_isNoSuchServerSideEncryptionRule() {
        assertOssError(() -> EncryptionRuleXml.toXml(EncryptionRule.none()), 404, "NoSuchServerSideEncryptionRule");
    }

    @Test
    void getBody_parsesBackToTheSameRule() {
        for (EncryptionRule r : new EncryptionRule[] {EncryptionRule.aes256(), EncryptionRule.sm4(),
                EncryptionRule.kms(null, false), EncryptionRule.kms("a&b<c", true)}) {
            assertThat(parse(EncryptionRuleXml.toXml(r))).isEqualTo(r);
        }
    }

    @Test
    void bucketInfo_isFlat_andNoneWhenUnset() {
        assertThat(EncryptionRuleXml.toBucketInfoXml(EncryptionRule.none()))
                .isEqualTo("<ServerSideEncryptionRule><SSEAlgorithm>None</SSEAlgorithm></ServerSideEncryptionRule>");
        assertThat(EncryptionRuleXml.toBucketInfoXml(EncryptionRule.kms("k-1", true)))
                .isEqualTo("<ServerSideEncryptionRule><SSEAlgorithm>KMS</SSEAlgorithm>"
                        + "<KMSDataEncryption>SM4</KMSDataEncryption><KMSMasterKeyID>k-1</KMSMasterKeyID></ServerSideEncryptionRule>");
    }

    // ---- Content-MD5

    @Test
    void contentMd5_matching_passes_absent_isNotChecked() throws Exception {
        byte[] body = "<ServerSideEncryptionRule/>".getBytes(StandardCharsets.UTF_8);
        String md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(body));
        assertThatCode(() -> EncryptionRuleXml.verifyContentMd5(md5, body)).doesNotThrowAnyException();
        assertThatCode(() -> EncryptionRuleXml.verifyContentMd5(null, body)).doesNotThrowAnyException();
    }

    @Test
    void contentMd5_wrongOrMalformed_isInvalidDigest() throws Exception {
        byte[] body = "abc".getBytes(StandardCharsets.UTF_8);
        String other = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest("abd".getBytes()));
        assertOssError(() -> EncryptionRuleXml.verifyContentMd5(other, body), 400, "InvalidDigest");
        assertOssError(() -> EncryptionRuleXml.verifyContentMd5("not base64!", body), 400, "InvalidDigest");
        assertOssError(() -> EncryptionRuleXml.verifyContentMd5("YWJj", body), 400, "InvalidDigest");
    }
}
