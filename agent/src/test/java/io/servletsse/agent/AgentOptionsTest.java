package io.servletsse.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentOptionsTest {
    private static final Map<String, String> NONE = Map.of();

    @Test
    void agentArguments_parsed() {
        AgentOptions o = AgentOptions.parse("config=/etc/sse.json,failMode=open,debug", NONE, NONE);
        assertThat(o.config()).isEqualTo("/etc/sse.json");
        assertThat(o.failMode()).isEqualTo(AgentOptions.FailMode.OPEN);
        assertThat(o.debug()).isTrue();
    }

    @Test
    void nothingGiven_noConfigAndFailClosed() {
        AgentOptions o = AgentOptions.parse(null, NONE, NONE);
        assertThat(o.config()).isNull();
        assertThat(o.failMode()).isEqualTo(AgentOptions.FailMode.CLOSED);
        assertThat(o.debug()).isFalse();
    }

    @Test
    void agentArgumentBeatsSystemPropertyBeatsEnvironment() {
        Map<String, String> props = Map.of("servletsse.config", "/from/property.json", "servletsse.failMode", "open");
        Map<String, String> env = Map.of("SERVLETSSE_CONFIG", "/from/env.json", "SERVLETSSE_FAIL_MODE", "closed",
                "SERVLETSSE_DEBUG", "true");
        assertThat(AgentOptions.parse("config=/from/arg.json", props, env).config()).isEqualTo("/from/arg.json");
        assertThat(AgentOptions.parse("", props, env).config()).isEqualTo("/from/property.json");
        assertThat(AgentOptions.parse("", props, env).failMode()).isEqualTo(AgentOptions.FailMode.OPEN);
        assertThat(AgentOptions.parse("", NONE, env).config()).isEqualTo("/from/env.json");
        assertThat(AgentOptions.parse("", NONE, env).debug()).isTrue();
    }

    @Test
    void unknownOption_rejectedByName() {
        assertThatThrownBy(() -> AgentOptions.parse("confg=/x", NONE, NONE))
                .isInstanceOf(AgentOptions.OptionException.class).hasMessageContaining("'confg'");
    }

    @Test
    void badFailMode_rejectedButFailModeOfFallsBackToClosed() {
        assertThatThrownBy(() -> AgentOptions.parse("config=/x,failMode=maybe", NONE, NONE))
                .hasMessageContaining("failMode must be 'closed' or 'open'");
        assertThat(AgentOptions.failModeOf("config=/x,failMode=maybe", NONE, NONE)).isEqualTo(AgentOptions.FailMode.CLOSED);
        assertThat(AgentOptions.failModeOf("failMode=open,bogus", NONE, NONE)).isEqualTo(AgentOptions.FailMode.OPEN);
    }

    @Test
    void configWithoutValue_rejected() {
        assertThatThrownBy(() -> AgentOptions.parse("config=", NONE, NONE)).hasMessageContaining("needs a value");
    }
}
