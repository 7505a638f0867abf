package io.servletsse.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed command line: one command word, its positional arguments, and options (global ones may
 * come before or after the command). Unknown options are errors, never ignored: a misspelt
 * {@code --dry-run} must not turn into a real run.
 */
final class Args {
    /** Options that take a value. */
    static final Set<String> VALUED = Set.of("--config", "--data-dir", "-o", "--output", "--bucket", "--to", "--meta",
            "--sse", "--kms-key", "--kms-data");
    /** Options without a value. */
    static final Set<String> FLAGS = Set.of("--json", "--progress", "--no-progress", "--dry-run", "--copy", "--force",
            "--help", "-h");

    final String command;
    final List<String> positional;
    private final Map<String, String> values;
    private final Set<String> flags;

    private Args(String command, List<String> positional, Map<String, String> values, Set<String> flags) {
        this.command = command;
        this.positional = positional;
        this.values = values;
        this.flags = flags;
    }

    static Args parse(String[] argv) {
        List<String> words = new ArrayList<>();
        Map<String, String> values = new HashMap<>();
        Set<String> flags = new HashSet<>();
        boolean onlyPositional = false;
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (onlyPositional || a.equals("-") || !a.startsWith("-")) {
                words.add(a);
            } else if (a.equals("--")) {
                onlyPositional = true;
            } else if (a.startsWith("--") && a.contains("=") && VALUED.contains(a.substring(0, a.indexOf('=')))) {
                put(values, a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            } else if (VALUED.contains(a)) {
                if (i + 1 >= argv.length) {
                    throw new UsageException(a + " needs a value");
                }
                put(values, a, argv[++i]);
            } else if (FLAGS.contains(a)) {
                flags.add(a);
            } else {
                throw new UsageException("unknown option " + a);
            }
        }
        String command = words.isEmpty() ? null : words.remove(0);
        return new Args(command, List.copyOf(words), values, flags);
    }

    private static void put(Map<String, String> values, String name, String value) {
        String key = name.equals("--output") ? "-o" : name;
        if (values.put(key, value) != null) {
            throw new UsageException(name + " given twice");
        }
    }

    String value(String name) {
        return values.get(name);
    }

    String required(String name, String why) {
        String v = values.get(name);
        if (v == null || v.isBlank()) {
            throw new UsageException(command + " needs " + name + " " + why);
        }
        return v;
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    /** Refuses options that mean nothing to this command (so they are never silently ignored). */
    void allowOnly(Set<String> commandOptions) {
        Set<String> global = Set.of("--config", "--data-dir", "--json", "--progress", "--no-progress", "--help", "-h");
        for (String n : values.keySet()) {
            if (!global.contains(n) && !commandOptions.contains(n)) {
                throw new UsageException(command + " does not take " + n);
            }
        }
        for (String n : flags) {
            if (!global.contains(n) && !commandOptions.contains(n)) {
                throw new UsageException(command + " does not take " + n);
            }
        }
    }
}
