package io.servletsse.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.servletsse.auth.Decision;
import io.servletsse.auth.PolicyDocument;
import org.junit.jupiter.api.AfterAll;

/**
 * The RAM policy JSON parser on any text: a policy, or an IllegalArgumentException naming what is
 * wrong (the configuration loader turns it into a clear start-up error); never another exception.
 * A policy that parses evaluates any action and resource without failing, in bounded time.
 */
class PolicyDocumentFuzzTest {
    private static final FuzzStats STATS = new FuzzStats("PolicyDocument");

    @AfterAll
    static void report() {
        STATS.write();
    }

    private static final String[][] QUERIES = {
        {"oss:PutObject", "acs:oss:*:1416614965936597:bucket/dir/a.txt"},
        {"kms:Decrypt", "acs:kms:cn-hangzhou:1416614965936597:key/key-1"},
        {"oss:GetObject", "acs:oss:*:1416614965936597:b/" + "a".repeat(1024)},
    };

    @FuzzTest(maxDuration = "12s")
    @DictionaryEntries({"{\"Version\":\"1\",\"Statement\":[", "\"Effect\":\"Allow\"", "\"Effect\":\"Deny\"",
        "\"Action\":", "\"NotAction\":", "\"Resource\":", "\"NotResource\":", "\"Condition\":", "\"Sid\":",
        "\"oss:PutObject\"", "\"kms:Decrypt\"", "\"acs:oss:*:*:bucket/*\"", "\"*\"", "//", "/*", "*/"})
    void parse(FuzzedDataProvider data) {
        String json = data.consumeRemainingAsString();
        PolicyDocument[] doc = new PolicyDocument[1];
        long allocated = Bounded.allocation(1L << 20, 256, json.length(), () -> {
            try {
                doc[0] = PolicyDocument.parse("fuzz", json);
            } catch (IllegalArgumentException e) {
                assertThat(e.getMessage()).startsWith("policy 'fuzz'");
            }
        });
        if (doc[0] == null) {
            STATS.refused(allocated);
        } else {
            STATS.accepted(allocated);
            for (String[] q : QUERIES) {
                Decision d = doc[0].evaluate(q[0], q[1]);
                assertThat(d).isNotNull();
            }
        }
    }
}
