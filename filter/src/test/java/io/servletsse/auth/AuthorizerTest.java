package io.servletsse.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servletsse.audit.AuditLog;
import io.servletsse.auth.Authorizer.Target;
import io.servletsse.error.SseException;
import io.servletsse.policy.EncryptionRule;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class AuthorizerTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

    private final List<String> lines = new ArrayList<>();
    private final AccessControl access = AccessControl.parse("""
            {"identity": "accessKey", "accountId": "1416614965936597", "region": "cn-hangzhou",
             "users": [{"name": "carol", "accessKeyId": "AKcarol", "accessKeySecret": "x",
                        "policies": ["upload", "objects"]}],
             "policies": {
               "upload": {"Version": "1", "Statement": [{"Effect": "Allow",
                          "Action": ["kms:List*", "kms:DescribeKey", "kms:GenerateDataKey"],
                          "Resource": ["acs:kms:*:1416614965936597:*"] // every CMK of the account
                         }]},
               "objects": {"Version": "1", "Statement": [{"Effect": "Allow", "Action": ["oss:PutObject", "oss:GetObject"],
                           "Resource": "acs:oss:*:1416614965936597:photos/*"}]}
             }}""");
    private final Authorizer authorizer = new Authorizer(access, new AuditLog(CLOCK, lines::add), Authorizer.AliasResolver.NONE);

    @Test
    void allowedAction_passesAndWritesNoAuditLine() {
        assertThatCode(() -> authorizer.check("r1", Caller.named("carol"), Action.KMS_GENERATE_DATA_KEY,
                Target.cmk("k-1", "photos", "a.jpg"))).doesNotThrowAnyException();
        assertThat(lines).isEmpty();
    }

    @Test
    void deniedKmsAction_isAccessDeniedForbiddenByKms_andAudited() {
        assertThatThrownBy(() -> authorizer.check("r2", Caller.named("carol"), Action.KMS_DECRYPT,
                Target.cmk("k-1", "photos", "a.jpg")))
                .isInstanceOfSatisfying(SseException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(403);
                    assertThat(e.ossCode()).isEqualTo("AccessDenied");
                    assertThat(e.getMessage()).isEqualTo("This request is forbidden by kms.");
                });
        assertThat(lines).containsExactly("{\"time\":\"2026-11-23T10:00:00.000Z\",\"requestId\":\"r2\",\"principal\":\"carol\","
                + "\"action\":\"kms:Decrypt\",\"bucket\":\"photos\",\"key\":\"a.jpg\",\"cmkId\":\"k-1\","
                + "\"result\":\"denied\",\"detail\":\"AccessDenied\"}");
    }

    @Test
    void deniedBucketAction_isAccessDeniedWithOssMessage() {
        assertThatThrownBy(() -> authorizer.check("r3", Caller.named("carol"), Action.PUT_BUCKET_ENCRYPTION,
                Target.bucket("photos")))
                .isInstanceOfSatisfying(SseException.class, e -> {
                    assertThat(e.ossCode()).isEqualTo("AccessDenied");
                    assertThat(e.getMessage()).isEqualTo("You have no right to access this bucket.");
                });
        assertThat(lines).singleElement().asString().contains("\"action\":\"oss:PutBucketEncryption\"");
    }

    @Test
    void anonymousCaller_withoutPolicies_isDeniedWithAnonymousMessage() {
        assertThatThrownBy(() -> authorizer.check("r4", Caller.anonymousCaller(), Action.GET_OBJECT,
                Target.object("photos", "a.jpg")))
                .hasMessage("Anonymous user has no right to access this object.");
        assertThat(lines).singleElement().asString().contains("\"principal\":\"anonymous\"");
    }

    @Test
    void objectArn_scopesToTheBucketPrefix() {
        assertThat(authorizer.evaluate(Caller.named("carol"), Action.PUT_OBJECT,
                authorizer.resourceArn(Action.PUT_OBJECT, Target.object("photos", "2026/a.jpg")))).isEqualTo(Decision.ALLOW);
        assertThat(authorizer.evaluate(Caller.named("carol"), Action.PUT_OBJECT,
                authorizer.resourceArn(Action.PUT_OBJECT, Target.object("photos-private", "a.jpg"))))
                .isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void unknownCallerName_hasNoPolicies_andIsDenied() {
        assertThat(authorizer.evaluate(Caller.named("mallory"), Action.GET_OBJECT, "acs:oss:*:1416614965936597:photos/a"))
                .isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void kmsActionWithoutCmk_isAProgrammingError() {
        assertThatThrownBy(() -> authorizer.check("r", Caller.named("carol"), Action.KMS_DECRYPT, Target.bucket("photos")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kms:Decrypt needs a target cmkId");
    }

    @Test
    void upload_withNamedCmk_needsGenerateDataKey_withDefaultCmkOnlyPutObject() {
        Caller carol = Caller.named("carol");
        authorizer.checkUpload("r", carol, "photos", "a.jpg", "k-1");
        authorizer.checkUpload("r", carol, "photos", "a.jpg", EncryptionRule.DEFAULT_CMK_ALIAS);
        authorizer.checkUpload("r", carol, "photos", "a.jpg", null);
        assertThatThrownBy(() -> authorizer.checkUpload("r", carol, "elsewhere", "a.jpg", null))
                .hasMessage("You have no right to access this object.");
        assertThat(lines).singleElement().asString().contains("\"action\":\"oss:PutObject\"");
    }

    @Test
    void download_withNamedCmk_needsDecrypt_whichTheUploaderLacks() {
        Caller carol = Caller.named("carol");
        authorizer.checkDownload("r", carol, "photos", "a.jpg", null);
        assertThatThrownBy(() -> authorizer.checkDownload("r", carol, "photos", "a.jpg", "k-1"))
                .hasMessage("This request is forbidden by kms.");
        assertThat(lines).singleElement().asString().contains("\"action\":\"kms:Decrypt\"", "\"cmkId\":\"k-1\"");
    }

    @Test
    void putBucketEncryption_needsTheOssActionFirst_thenKmsOnTheNamedCmk() {
        AccessControl ac = AccessControl.parse("""
                {"identity": "principal", "accountId": "1416614965936597", "region": "cn-hangzhou",
                 "users": [{"name": "alice", "policies": ["admin", "configure-one-cmk"]}, {"name": "dave", "policies": ["admin"]}],
                 "policies": {
                   "admin": {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "oss:*BucketEncryption",
                             "Resource": "acs:oss:*:1416614965936597:*"}]},
                   "configure-one-cmk": {"Version": "1", "Statement": [{"Effect": "Allow",
                             "Action": ["kms:List*", "kms:DescribeKey"],
                             "Resource": "acs:kms:*:1416614965936597:key/k-1"}]}}}""");
        Authorizer az = new Authorizer(ac, new AuditLog(CLOCK, lines::add), Authorizer.AliasResolver.NONE);
        az.checkPutBucketEncryption("r", Caller.named("alice"), "photos", EncryptionRule.kms("k-1", false));
        az.checkPutBucketEncryption("r", Caller.named("dave"), "photos", EncryptionRule.kms(null, true));
        az.checkPutBucketEncryption("r", Caller.named("dave"), "photos", EncryptionRule.aes256());
        assertThatThrownBy(() -> az.checkPutBucketEncryption("r", Caller.named("alice"), "photos", EncryptionRule.kms("k-2", false)))
                .hasMessage("This request is forbidden by kms.");
        assertThatThrownBy(() -> az.checkPutBucketEncryption("r", Caller.named("dave"), "photos", EncryptionRule.kms("k-1", false)))
                .hasMessage("This request is forbidden by kms.");
        assertThat(lines).hasSize(2).allSatisfy(l -> assertThat(l).contains("\"action\":\"kms:DescribeKey\""));
    }

    @Test
    void aCmkNamedByItsAlias_isGovernedByThePoliciesOnTheKeyToo() {
        AccessControl ac = AccessControl.parse("""
                {"identity": "principal", "accountId": "1416614965936597", "region": "cn-hangzhou",
                 "users": [{"name": "bob", "policies": ["put", "all-kms-but-k1"]}, {"name": "erin", "policies": ["put", "only-k1"]},
                           {"name": "frank", "policies": ["put", "all-kms-but-alias"]}],
                 "policies": {
                   "put": {"Version": "1", "Statement": [{"Effect": "Allow",
                           "Action": ["oss:PutObject", "oss:PutBucketEncryption"], "Resource": "acs:oss:*:*:photos*"}]},
                   "all-kms-but-k1": {"Version": "1", "Statement": [
                     {"Effect": "Allow", "Action": "kms:*", "Resource": "acs:kms:*:1416614965936597:*"},
                     {"Effect": "Deny", "Action": "kms:*", "Resource": "acs:kms:*:1416614965936597:key/k-1"}]},
                   "only-k1": {"Version": "1", "Statement": [
                     {"Effect": "Allow", "Action": "kms:*", "Resource": "acs:kms:*:1416614965936597:key/k-1"}]},
                   "all-kms-but-alias": {"Version": "1", "Statement": [
                     {"Effect": "Allow", "Action": "kms:*", "Resource": "acs:kms:*:1416614965936597:*"},
                     {"Effect": "Deny", "Action": "kms:*", "Resource": "acs:kms:*:1416614965936597:alias/reports"}]}}}""");
        Authorizer.AliasResolver aliases = alias -> alias.equals("alias/reports")
                ? java.util.Optional.of("k-1") : java.util.Optional.empty();
        Authorizer az = new Authorizer(ac, new AuditLog(CLOCK, lines::add), aliases);

        // A Deny on the key holds whichever way the key is named.
        assertThatThrownBy(() -> az.checkUpload("r", Caller.named("bob"), "photos", "a.jpg", "alias/reports"))
                .hasMessage("This request is forbidden by kms.");
        assertThatThrownBy(() -> az.checkPutBucketEncryption("r", Caller.named("bob"), "photos",
                EncryptionRule.kms("alias/reports", false))).hasMessage("This request is forbidden by kms.");
        // An Allow on the key covers its alias; a Deny on the alias holds though the key is allowed.
        az.checkUpload("r", Caller.named("erin"), "photos", "a.jpg", "alias/reports");
        assertThatThrownBy(() -> az.checkUpload("r", Caller.named("frank"), "photos", "a.jpg", "alias/reports"))
                .hasMessage("This request is forbidden by kms.");
        az.checkUpload("r", Caller.named("frank"), "photos", "a.jpg", "k-1");
        // An alias that names no key is evaluated as itself (the KMS call answers AliasNotFound).
        az.checkUpload("r", Caller.named("bob"), "photos", "a.jpg", "alias/none");
        assertThatThrownBy(() -> az.checkUpload("r", Caller.named("erin"), "photos", "a.jpg", "alias/none"))
                .hasMessage("This request is forbidden by kms.");
        assertThat(lines).hasSize(4).allSatisfy(l -> assertThat(l).contains("\"result\":\"denied\""));
    }
}
