package io.servletsse.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.servletsse.audit.AuditLog;
import io.servletsse.auth.Authorizer.Target;
import io.servletsse.error.SseException;
import io.servletsse.policy.ConfigLoader;
import io.servletsse.policy.SseConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every JSON example in docs/PERMISSIONS.md parses, and the complete example means what the text says. */
final class PermissionsDocTest {
    private static final String CMK1 = "9468da86-3509-4f8d-a61e-6eab1eac0001";
    private static final String CMK2 = "9468da86-3509-4f8d-a61e-6eab1eac0002";

    private static List<String> jsonBlocks() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "PERMISSIONS.md"));
        Matcher m = Pattern.compile("```json\\n(.*?)\\n```", Pattern.DOTALL).matcher(doc);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void everyJsonExample_parsesAsAConfigurationOrAPolicy() throws IOException {
        List<String> blocks = jsonBlocks();
        assertThat(blocks).hasSizeGreaterThanOrEqualTo(5);
        int configs = 0;
        for (String b : blocks) {
            if (b.contains("\"identity\"")) {
                assertThat(parseConfig(b)).isNotNull();
                configs++;
            } else if (b.contains("\"audit\"")) { // the audit section of a filter configuration
                SseConfig c = ConfigLoader.parse(ConfigLoader.json().readTree(b), Path.of("data"));
                assertThat(c.audit().fileUnder(c.dataDirectory())).isEqualTo(Path.of("data", "audit.log"));
                assertThat(c.audit().maxFileBytes()).isEqualTo(SseConfig.Audit.DEFAULT_MAX_FILE_BYTES);
            } else {
                assertThat(PolicyDocument.parse("doc", b)).isNotNull();
            }
        }
        assertThat(configs).isEqualTo(2);
    }

    @Test
    void seedExamplesInTheDoc_areTheSeedFilesVerbatim() throws IOException {
        List<String> blocks = jsonBlocks();
        for (String f : List.of("seed-configure-cmk.json", "seed-upload-with-cmk.json", "seed-download-with-cmk.json")) {
            String seed = new String(getClass().getResourceAsStream("/ram/" + f).readAllBytes()).stripTrailing();
            assertThat(blocks).as(f).contains(seed);
        }
    }

    @Test
    void completeExample_grantsWhatTheDocumentSays() throws IOException {
        AccessControl ac = parseConfig(jsonBlocks().stream().filter(b -> b.contains("\"accessKey\""))
                .findFirst().orElseThrow());
        Authorizer az = new Authorizer(ac, new AuditLog(Clock.systemUTC(), line -> { }), Authorizer.AliasResolver.NONE);
        Caller alice = Caller.named("alice");
        Caller bob = Caller.named("bob");
        Caller carol = Caller.named("carol");
        Caller anon = Caller.anonymousCaller();

        assertThat(allowed(az, alice, Action.PUT_BUCKET_ENCRYPTION, Target.bucket("photos"))).isTrue();
        assertThat(allowed(az, alice, Action.KMS_DESCRIBE_KEY, Target.cmk(CMK2, "photos", null))).isTrue();
        assertThat(allowed(az, alice, Action.PUT_BUCKET_ENCRYPTION, Target.bucket("audit-logs"))).isFalse();
        assertThat(allowed(az, alice, Action.GET_BUCKET_ENCRYPTION, Target.bucket("audit-logs"))).isTrue();

        assertThat(allowed(az, bob, Action.PUT_OBJECT, Target.object("photos", "a.jpg"))).isTrue();
        assertThat(allowed(az, bob, Action.KMS_GENERATE_DATA_KEY, Target.cmk(CMK1, "photos", "a.jpg"))).isTrue();
        assertThat(allowed(az, bob, Action.KMS_DECRYPT, Target.cmk(CMK1, "photos", "a.jpg"))).isTrue();
        assertThat(allowed(az, bob, Action.KMS_GENERATE_DATA_KEY, Target.cmk(CMK2, "photos", "a.jpg"))).isFalse();
        assertThat(allowed(az, bob, Action.PUT_BUCKET_ENCRYPTION, Target.bucket("photos"))).isFalse();

        assertThat(allowed(az, carol, Action.KMS_GENERATE_DATA_KEY, Target.cmk(CMK2, "photos", "a.jpg"))).isTrue();
        assertThat(allowed(az, carol, Action.KMS_DECRYPT, Target.cmk(CMK2, "photos", "a.jpg"))).isFalse();

        assertThat(allowed(az, anon, Action.GET_OBJECT, Target.object("public", "index.html"))).isTrue();
        assertThat(allowed(az, anon, Action.GET_OBJECT, Target.object("photos", "a.jpg"))).isFalse();
        assertThat(allowed(az, anon, Action.PUT_OBJECT, Target.object("public", "index.html"))).isFalse();
    }

    private static AccessControl parseConfig(String json) throws IOException {
        return AccessControl.fromJson(AccessControl.configMapper().readTree(json),
                java.util.Map.of("CAROL_ACCESS_KEY_SECRET", "carol-secret")::get);
    }

    private static boolean allowed(Authorizer az, Caller c, Action a, Target t) {
        try {
            az.check("req", c, a, t);
            return true;
        } catch (SseException e) {
            assertThat(e.httpStatus()).isEqualTo(403);
            return false;
        }
    }
}
