package io.servletsse.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class AccessControlTest {
    private static final String POLICY = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";

    private static String config(String identity, String users) {
        return "{\"identity\":\"" + identity + "\",\"accountId\":\"1416614965936597\",\"region\":\"cn-hangzhou\","
                + "\"users\":" + users + ",\"groups\":[{\"name\":\"g\",\"policies\":[\"all\"]}],"
                + "\"policies\":{\"all\":" + POLICY + "}}";
    }

    @Test
    void validConfiguration_buildsUsersAndArns() {
        AccessControl ac = AccessControl.parse(config("accessKey",
                "[{\"name\":\"alice\",\"accessKeyId\":\"AK1\",\"accessKeySecret\":\"s3cr3t\",\"groups\":[\"g\"]}]"));
        assertThat(ac.identityMode()).isEqualTo(IdentityMode.ACCESS_KEY);
        assertThat(ac.userByAccessKeyId("AK1")).map(User::name).contains("alice");
        assertThat(ac.userByAccessKeyId("AK2")).isEmpty();
        assertThat(ac.maxClockSkew()).isEqualTo(AccessControl.DEFAULT_MAX_CLOCK_SKEW);
        assertThat(ac.policiesFor(Caller.named("alice"))).extracting(PolicyDocument::name).containsExactly("all");
        assertThat(ac.policiesFor(Caller.anonymousCaller())).isEmpty();
        assertThat(ac.bucketArn("photos")).isEqualTo("acs:oss:*:1416614965936597:photos");
        assertThat(ac.objectArn("photos", "a/b.jpg")).isEqualTo("acs:oss:*:1416614965936597:photos/a/b.jpg");
        assertThat(ac.kmsKeyArn("k-1")).isEqualTo("acs:kms:cn-hangzhou:1416614965936597:key/k-1");
        assertThat(ac.kmsKeyArn("alias/acs/oss")).isEqualTo("acs:kms:cn-hangzhou:1416614965936597:alias/acs/oss");
    }

    @Test
    void toStrings_neverContainTheSecret() {
        AccessControl ac = AccessControl.parse(config("accessKey",
                "[{\"name\":\"alice\",\"accessKeyId\":\"AK1\",\"accessKeySecret\":\"s3cr3t-value\"}]"));
        assertThat(ac.toString()).doesNotContain("s3cr3t-value");
        assertThat(ac.userByName("alice").orElseThrow().toString())
                .contains("AK1").contains("<redacted>").doesNotContain("s3cr3t-value");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "[{\"name\":\"a\",\"accessKeyId\":\"AK1\",\"accessKeySecret\":\"x\"},{\"name\":\"b\",\"accessKeyId\":\"AK1\",\"accessKeySecret\":\"y\"}] | access.users[1]: accessKeyId of user 'b' is already used by user 'a'",
        "[{\"name\":\"a\",\"accessKeyId\":\"AK1\",\"accessKeySecret\":\"x\",\"groups\":[\"nope\"]}] | access.users[0].groups: no group named 'nope'",
        "[{\"name\":\"a\",\"accessKeyId\":\"AK1\",\"accessKeySecret\":\"x\",\"policies\":[\"nope\"]}] | access.users[0].policies: no policy named 'nope'",
        "[{\"name\":\"a\",\"accessKeyId\":\"AK 1\",\"accessKeySecret\":\"x\"}] | access.users[0].accessKeyId: invalid accessKeyId",
        "[{\"name\":\"a\",\"accessKeyId\":\"AK1\"}] | access.users[0]: accessKeyId and accessKeySecret go together",
        "[{\"name\":\"a\",\"accessKeyId\":\"AK1\",\"accessKeySecret\":\"\"}] | access.users[0].accessKeyId: accessKeySecret of user 'a' must be 1-1024 characters",
        "[{\"name\":\"a\"}] | access.users[0]: needs accessKeyId and accessKeySecret",
        "[{\"name\":\"a\",\"accessKeyId\":\"AK1\",\"accessKeySecret\":\"x\",\"secret\":\"y\"}] | access.users[0].secret: unknown field",
        "[{\"name\":\"anonymous\",\"accessKeyId\":\"AK1\",\"accessKeySecret\":\"x\"}] | access.users[0].name: invalid user name",
    })
    void invalidUsers_areRejectedNamingTheField(String users, String message) {
        assertThatThrownBy(() -> AccessControl.parse(config("accessKey", users)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "{\"accountId\":\"1\",\"region\":\"r\"} | access.identity: is required",
        "{\"identity\":\"oauth\",\"accountId\":\"1\",\"region\":\"r\"} | access.identity: must be",
        "{\"identity\":\"header\",\"accountId\":\"1\",\"region\":\"r\"} | access.header: is required",
        "{\"identity\":\"header\",\"header\":\"Authorization\",\"accountId\":\"1\",\"region\":\"r\"} | access.header: 'Authorization' is an OSS request header",
        "{\"identity\":\"principal\",\"header\":\"X-User\",\"accountId\":\"1\",\"region\":\"r\"} | access.header: only applies",
        "{\"identity\":\"principal\",\"accountId\":\"*\",\"region\":\"r\"} | access.accountId: must be",
        "{\"identity\":\"principal\",\"accountId\":\"1\"} | access.region: is required",
        "{\"identity\":\"principal\",\"accountId\":\"1\",\"region\":\"r\",\"maxClockSkewSeconds\":3600} | access.maxClockSkewSeconds: must be between 1 and 900",
        "{\"identity\":\"principal\",\"accountId\":\"1\",\"region\":\"r\",\"anonymous\":{\"policies\":[\"p\"]}} | access.anonymous.policies: no policy named 'p'",
        "{\"identity\":\"principal\",\"accountId\":\"1\",\"region\":\"r\",\"policies\":{\"p\":{\"Version\":\"1\"}}} | access.policies.p: policy 'p'.Statement",
        "{\"identity\":\"principal\",\"accountId\":\"1\",\"region\":\"r\",\"usres\":[]} | access.usres: unknown field",
    })
    void invalidTopLevel_isRejectedNamingTheField(String json, String message) {
        assertThatThrownBy(() -> AccessControl.parse(json))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message);
    }

    @Test
    void principalMode_usersNeedNoAccessKey_andAuthenticatedPoliciesApplyToUnlistedNames() {
        AccessControl ac = AccessControl.parse("""
                {"identity": "principal", "accountId": "1", "region": "cn-hangzhou",
                 "users": [{"name": "alice", "groups": ["g"]}],
                 "groups": [{"name": "g", "policies": ["all"]}],
                 "policies": {"all": %s, "read": %s},
                 "authenticated": {"policies": ["read"]}}""".formatted(POLICY, POLICY));
        assertThat(ac.policiesFor(Caller.named("alice"))).extracting(PolicyDocument::name).containsExactly("read", "all");
        assertThat(ac.policiesFor(Caller.named("someone-else"))).extracting(PolicyDocument::name).containsExactly("read");
        assertThat(ac.policiesFor(Caller.anonymousCaller())).isEmpty();
    }

    @Test
    void secretFromEnvironment_isUsed_andAMissingVariableIsNamed() throws Exception {
        String json = config("accessKey", "[{\"name\":\"alice\",\"accessKeyId\":\"AK1\",\"accessKeySecretEnv\":\"ALICE_SK\"}]");
        var node = AccessControl.configMapper().readTree(json);
        AccessControl ac = AccessControl.fromJson(node, java.util.Map.of("ALICE_SK", "from-env")::get);
        assertThat(new String(ac.userByName("alice").orElseThrow().secretUtf8(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("from-env");
        assertThatThrownBy(() -> AccessControl.fromJson(node, name -> null))
                .hasMessage("access.users[0].accessKeySecretEnv: environment variable ALICE_SK is not set");
    }
}
