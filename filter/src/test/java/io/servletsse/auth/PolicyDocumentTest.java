package io.servletsse.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The RAM evaluator, starting from the three policies of the OSS guide pasted with their comments. */
final class PolicyDocumentTest {
    private static final String ACCOUNT = "1416614965936597";
    private static final String CMK = "acs:kms:cn-hangzhou:" + ACCOUNT + ":key/9468da86-3509-4f8d-a61e-6eab1eac0001";

    static PolicyDocument seed(String file) {
        try (InputStream in = PolicyDocumentTest.class.getResourceAsStream("/ram/" + file)) {
            return PolicyDocument.parse(file, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void seedPolicies_withSlashSlashComments_parse() {
        assertThat(seed("seed-configure-cmk.json").name()).isEqualTo("seed-configure-cmk.json");
        assertThat(seed("seed-upload-with-cmk.json")).isNotNull();
        assertThat(seed("seed-download-with-cmk.json")).isNotNull();
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        // configure a CMK: List* and DescribeKey only
        "seed-configure-cmk.json, kms:ListKeys, ALLOW",
        "seed-configure-cmk.json, kms:ListAliases, ALLOW",
        "seed-configure-cmk.json, kms:ListAliasesByKeyId, ALLOW",
        "seed-configure-cmk.json, kms:DescribeKey, ALLOW",
        "seed-configure-cmk.json, kms:GenerateDataKey, IMPLICIT_DENY",
        "seed-configure-cmk.json, kms:Decrypt, IMPLICIT_DENY",
        "seed-configure-cmk.json, oss:PutBucketEncryption, IMPLICIT_DENY",
        // upload: List*, DescribeKey, GenerateDataKey, but no Decrypt
        "seed-upload-with-cmk.json, kms:ListKeys, ALLOW",
        "seed-upload-with-cmk.json, kms:DescribeKey, ALLOW",
        "seed-upload-with-cmk.json, kms:GenerateDataKey, ALLOW",
        "seed-upload-with-cmk.json, kms:Decrypt, IMPLICIT_DENY",
        "seed-upload-with-cmk.json, oss:PutObject, IMPLICIT_DENY",
        // download: Decrypt only
        "seed-download-with-cmk.json, kms:Decrypt, ALLOW",
        "seed-download-with-cmk.json, kms:GenerateDataKey, IMPLICIT_DENY",
        "seed-download-with-cmk.json, kms:DescribeKey, IMPLICIT_DENY",
        "seed-download-with-cmk.json, kms:ListKeys, IMPLICIT_DENY",
    })
    void seedPolicy_onACmkOfTheAccount_decidesAsDocumented(String file, String action, Decision expected) {
        assertThat(seed(file).evaluate(action, CMK)).isEqualTo(expected);
    }

    @Test
    void seedPolicy_cmkOfAnotherAccount_isNotCovered() {
        String otherAccount = "acs:kms:cn-hangzhou:9999999999999999:key/9468da86-3509-4f8d-a61e-6eab1eac0001";
        assertThat(seed("seed-upload-with-cmk.json").evaluate("kms:GenerateDataKey", otherAccount))
                .isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void userWhoMayUploadButNotDecrypt_isAllowedGenerateDataKeyAndDeniedDecrypt() {
        List<PolicyDocument> carol = List.of(seed("seed-upload-with-cmk.json"));
        assertThat(PolicyDocument.evaluateAll(carol, "kms:GenerateDataKey", CMK)).isEqualTo(Decision.ALLOW);
        assertThat(PolicyDocument.evaluateAll(carol, "kms:Decrypt", CMK)).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void explicitDeny_inAnotherPolicy_beatsAllow() {
        PolicyDocument deny = PolicyDocument.parse("no-decrypt", """
                {"Version": "1", "Statement": [{"Effect": "Deny", "Action": "kms:Decrypt", "Resource": "*"}]}""");
        List<PolicyDocument> both = List.of(seed("seed-download-with-cmk.json"), deny);
        assertThat(PolicyDocument.evaluateAll(both, "kms:Decrypt", CMK)).isEqualTo(Decision.EXPLICIT_DENY);
        assertThat(PolicyDocument.evaluateAll(List.of(deny, seed("seed-download-with-cmk.json")), "kms:Decrypt", CMK))
                .isEqualTo(Decision.EXPLICIT_DENY);
    }

    @Test
    void explicitDeny_inTheSameDocument_beatsAllow() {
        PolicyDocument p = PolicyDocument.parse("p", """
                {"Version": "1", "Statement": [
                  {"Effect": "Allow", "Action": "oss:*", "Resource": "acs:oss:*:1:*"},
                  {"Effect": "Deny", "Action": "oss:DeleteBucketEncryption", "Resource": "acs:oss:*:1:prod"}]}""");
        assertThat(p.evaluate("oss:DeleteBucketEncryption", "acs:oss:*:1:prod")).isEqualTo(Decision.EXPLICIT_DENY);
        assertThat(p.evaluate("oss:DeleteBucketEncryption", "acs:oss:*:1:test")).isEqualTo(Decision.ALLOW);
        assertThat(p.evaluate("oss:PutBucketEncryption", "acs:oss:*:1:prod")).isEqualTo(Decision.ALLOW);
    }

    @Test
    void noPolicies_isImplicitDeny() {
        assertThat(PolicyDocument.evaluateAll(List.of(), "oss:GetObject", "acs:oss:*:1:b/k"))
                .isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void resourceRestrictedToOneCmk_allowsThatCmkOnly() {
        PolicyDocument p = PolicyDocument.parse("one", """
                {"Version": "1", "Statement": [{"Effect": "Allow", "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
                  "Resource": ["acs:kms:*:1416614965936597:key/9468da86-3509-4f8d-a61e-6eab1eac0001"]}]}""");
        assertThat(p.evaluate("kms:Decrypt", CMK)).isEqualTo(Decision.ALLOW);
        assertThat(p.evaluate("kms:Decrypt", CMK.replace("0001", "0002"))).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(p.evaluate("kms:Decrypt", CMK + "-suffix")).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource({
        "acs:oss:*:1:photos/*, acs:oss:*:1:photos/2026/a.jpg, true",
        "acs:oss:*:1:photos/*, acs:oss:*:1:photos/, true",
        "acs:oss:*:1:photos/*, acs:oss:*:1:photos, false",
        "acs:oss:*:1:photos/*, acs:oss:*:1:photos2/a, false",
        "acs:oss:*:1:photos/?.jpg, acs:oss:*:1:photos/a.jpg, true",
        "acs:oss:*:1:photos/?.jpg, acs:oss:*:1:photos/ab.jpg, false",
        "acs:oss:*:1:photos/?.jpg, acs:oss:*:1:photos/.jpg, false",
        "acs:oss:*:1:*, acs:oss:*:1:bkt/dir/key, true",
        "acs:oss:*:1:*a*b*c, acs:oss:*:1:xxaxxbxxc, true",
        "acs:oss:*:1:*a*b*c, acs:oss:*:1:xxaxxcxxb, false",
        "acs:oss:*:1:Photos/*, acs:oss:*:1:photos/a, false",
    })
    void resourceWildcards_matchAsRam(String pattern, String resource, boolean matches) {
        PolicyDocument p = PolicyDocument.parse("p", "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":\"oss:GetObject\",\"Resource\":\"" + pattern + "\"}]}");
        assertThat(p.evaluate("oss:GetObject", resource).allowed()).isEqualTo(matches);
    }

    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource({
        "kms:List*, kms:ListKeys, true",
        "kms:List*, kms:ListAliasesByKeyId, true",
        "kms:List*, kms:DescribeKey, false",
        "kms:decrypt, kms:Decrypt, true",
        "KMS:DECRYPT, kms:Decrypt, true",
        "oss:???BucketEncryption, oss:PutBucketEncryption, true",
        "oss:???BucketEncryption, oss:DeleteBucketEncryption, false",
        "*, kms:Decrypt, true",
        "oss:*, kms:Decrypt, false",
    })
    void actionWildcards_matchCaseInsensitively(String pattern, String action, boolean matches) {
        PolicyDocument p = PolicyDocument.parse("p", "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":[\"" + pattern + "\"],\"Resource\":[\"*\"]}]}");
        assertThat(p.evaluate(action, "acs:kms:cn-hangzhou:1:key/k").allowed()).isEqualTo(matches);
    }

    @Test
    void notAction_allowsEverythingExceptTheListedActions() {
        PolicyDocument p = PolicyDocument.parse("p", """
                {"Version": "1", "Statement": [{"Effect": "Allow", "NotAction": "kms:Decrypt", "Resource": "*"}]}""");
        assertThat(p.evaluate("kms:GenerateDataKey", CMK)).isEqualTo(Decision.ALLOW);
        assertThat(p.evaluate("kms:Decrypt", CMK)).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void notResource_denyAppliesEverywhereExceptTheListedResources() {
        PolicyDocument p = PolicyDocument.parse("p", """
                {"Version": "1", "Statement": [
                  {"Effect": "Allow", "Action": "kms:*", "Resource": "*"},
                  {"Effect": "Deny", "Action": "kms:*", "NotResource": ["acs:kms:*:*:key/allowed-*"]}]}""");
        assertThat(p.evaluate("kms:Decrypt", "acs:kms:cn-hangzhou:1:key/allowed-1")).isEqualTo(Decision.ALLOW);
        assertThat(p.evaluate("kms:Decrypt", "acs:kms:cn-hangzhou:1:key/other")).isEqualTo(Decision.EXPLICIT_DENY);
    }

    @Test
    void singleStatementObject_andStringValues_areAccepted() {
        PolicyDocument p = PolicyDocument.parse("p", """
                {"Version": "1", "Statement": {"Sid": "x", "Effect": "Allow", "Action": "oss:GetObject", "Resource": "*"}}""");
        assertThat(p.evaluate("oss:GetObject", "acs:oss:*:1:b/k")).isEqualTo(Decision.ALLOW);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\",\"Condition\":{\"IpAddress\":{\"acs:SourceIp\":\"10.0.0.0/8\"}}}]} | Statement[0].Condition: conditions are not supported",
        "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\",\"Resources\":\"*\"}]} | Statement[0]: unknown element 'Resources'",
        "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"allow\",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}]} | Statement[0].Effect: must be \"Allow\" or \"Deny\"",
        "{\"Version\":\"2\",\"Statement\":[]} | Version: must be \"1\"",
        "{\"Version\":\"1\",\"Statement\":[]} | Statement: must be a non-empty array",
        "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"Decrypt\",\"Resource\":\"*\"}]} | Statement[0].Action: 'Decrypt' is not an action",
        "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[],\"Resource\":\"*\"}]} | Statement[0].Action: must be a string or a non-empty array",
        "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\"}]} | Statement[0]: needs exactly one of Resource and NotResource",
        "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\",\"NotAction\":\"kms:X\",\"Resource\":\"*\"}]} | Statement[0]: needs exactly one of Action and NotAction",
        "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}]} | Statement[0].Principal: not allowed",
        "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Effect\":\"Deny\",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}]} | not valid JSON: Duplicate field 'Effect'",
    })
    void invalidPolicy_isRejectedNamingTheElement(String json, String message) {
        assertThatThrownBy(() -> PolicyDocument.parse("bad", json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("policy 'bad'")
                .hasMessageContaining(message);
    }
}
