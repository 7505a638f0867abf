package io.servletsse.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** The shipped jar: nothing an app also ships is visible unrelocated, and the agent manifest is complete. */
class AgentJarIT {
    @Test
    void jar_hasNoUnrelocatedDependencyAtTopLevel() throws Exception {
        List<String> names = entries();
        assertThat(names).isNotEmpty();
        assertThat(names).noneMatch(n -> n.startsWith("net/bytebuddy/") || n.startsWith("com/fasterxml/")
                || n.startsWith("org/bouncycastle/") || n.startsWith("org/slf4j/") || n.startsWith("jakarta/"));
    }

    @Test
    void jar_loadableClassesAreOnlyTheAgentsStartupCodeAndRelocatedByteBuddy() throws Exception {
        assertThat(entries().stream().filter(n -> n.endsWith(".class")))
                .isNotEmpty()
                .allMatch(n -> n.startsWith("io/servletsse/agent/") || n.startsWith("io/servletsse/shaded/bytebuddy/"))
                .noneMatch(n -> n.startsWith("io/servletsse/agent/inst/"));
    }

    @Test
    void jar_hidesTheFilterCoreAndItsDependencies() throws Exception {
        assertThat(entries()).contains(
                "inst/io/servletsse/servlet/Exchange.classdata",
                "inst/io/servletsse/engine/SseRuntime.classdata",
                "inst/io/servletsse/agent/inst/jakarta/JakartaEntry.classdata",
                "inst/io/servletsse/shaded/jackson/databind/ObjectMapper.classdata",
                "inst/io/servletsse/shaded/bouncycastle/crypto/engines/SM4Engine.classdata",
                "inst/META-INF/services/io.servletsse.shaded.slf4j.spi.SLF4JServiceProvider");
    }

    @Test
    void manifest_declaresPremainAgentClassAndRetransformation() throws Exception {
        try (JarFile jar = new JarFile(Paths.agentJar().toFile())) {
            Attributes a = jar.getManifest().getMainAttributes();
            assertThat(a.getValue("Premain-Class")).isEqualTo("io.servletsse.agent.SseAgent");
            assertThat(a.getValue("Agent-Class")).isEqualTo("io.servletsse.agent.SseAgent");
            assertThat(a.getValue("Can-Retransform-Classes")).isEqualTo("true");
            assertThat(a.getValue("Can-Redefine-Classes")).isEqualTo("true");
            assertThat(a.getValue("Boot-Class-Path")).isNull();
        }
    }

    private static List<String> entries() throws Exception {
        try (JarFile jar = new JarFile(Paths.agentJar().toFile())) {
            return jar.stream().map(JarEntry::getName).toList();
        }
    }
}
