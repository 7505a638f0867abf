package io.servletsse.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package rules of ARCHITECTURE.md, checked on the sources: dependencies point one way
 * (servlet/console/cli → engine → policy, auth, kms → format → crypto), and only the servlet and
 * console packages touch {@code jakarta.*} — the Java agent loads everything else once per JVM,
 * outside any web application's class loader.
 */
class PackageDependenciesTest {
    private static final Path SOURCES = Path.of("src/main/java/io/servletsse");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)\\.[\\w*]+;", Pattern.MULTILINE);

    /** For each package, the other io.servletsse packages it may use. */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("error", Set.of()),
            Map.entry("util", Set.of()),
            Map.entry("crypto", Set.of("error")),
            Map.entry("format", Set.of("crypto", "error")),
            Map.entry("kms", Set.of("crypto", "format", "error", "util")),
            Map.entry("policy", Set.of("error", "util")),
            Map.entry("audit", Set.of("error", "util")),
            Map.entry("auth", Set.of("audit", "crypto", "policy", "error")),
            Map.entry("engine", Set.of("audit", "auth", "crypto", "format", "kms", "policy", "error", "util")),
            Map.entry("servlet", Set.of("audit", "auth", "crypto", "engine", "format", "kms", "policy", "error", "util", "console")),
            Map.entry("console", Set.of("audit", "auth", "crypto", "engine", "format", "kms", "policy", "error", "util", "servlet")),
            Map.entry("cli", Set.of("crypto", "engine", "format", "kms", "policy", "error", "util")));

    private static final Set<String> SERVLET_API_USERS = Set.of("servlet", "console");

    @Test
    void everyPackage_usesOnlyThePackagesBelowIt_andOnlyTheWebLayerSeesJakarta() throws IOException {
        List<String> violations = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(SOURCES)) {
            files = s.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertThat(files).as("sources found").hasSizeGreaterThan(50);
        for (Path f : files) {
            String pkg = SOURCES.relativize(f).getName(0).toString();
            if (f.getParent().equals(SOURCES)) {
                continue;
            }
            assertThat(ALLOWED).as("package %s has a rule", pkg).containsKey(pkg);
            Matcher m = IMPORT.matcher(Files.readString(f));
            while (m.find()) {
                String imported = m.group(1);
                if (imported.startsWith("jakarta.") && !SERVLET_API_USERS.contains(pkg)) {
                    violations.add(f + " imports " + imported);
                }
                if (imported.startsWith("io.servletsse.")) {
                    String target = imported.substring("io.servletsse.".length()).split("\\.")[0];
                    if (!target.equals(pkg) && !ALLOWED.get(pkg).contains(target)) {
                        violations.add(f + " (" + pkg + ") imports " + imported);
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }
}
