package io.servletsse.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A RAM-style policy document, parsed and validated once, evaluated many times.
 *
 * <p>Grammar (Alibaba Cloud RAM "Policy structure and syntax" and "Policy elements"):
 * <pre>
 * { "Version": "1",
 *   "Statement": [ { "Effect": "Allow" | "Deny",
 *                    "Action" | "NotAction": "svc:Name" | ["svc:Name", ...],
 *                    "Resource" | "NotResource": "arn" | ["arn", ...] }, ... ] }
 * </pre>
 * <ul>
 *   <li>{@code *} and {@code ?} are wildcards in actions and resources ({@link Glob}).</li>
 *   <li>Actions match case-insensitively (RAM: action values are "case-insensitive in most
 *       cases"); resources match case-sensitively, because OSS object keys are.</li>
 *   <li>{@code NotAction}/{@code NotResource} match everything except the listed values.</li>
 *   <li>A single value and a one-element array are equivalent; {@code Statement} may also be a
 *       single object. {@code Sid} is accepted and ignored.</li>
 *   <li>{@code Condition} is <b>rejected</b> at load time: this evaluator has no request context
 *       for condition keys (IP, time, TLS ...), and ignoring a condition would silently widen an
 *       Allow or narrow a Deny. Failing at startup is the only choice that cannot surprise.
 *       {@code Principal} is rejected too (it belongs to resource policies, not user policies).</li>
 *   <li>Unknown elements are rejected, so a typo such as {@code "Resources"} cannot make a
 *       statement mean something else.</li>
 * </ul>
 * Parse JSON with {@link AccessControl#configMapper()}, which accepts the {@code //} comments of
 * the OSS documentation's examples and rejects duplicate keys.
 */
public final class PolicyDocument {
    static final int MAX_STATEMENTS = 1000;
    static final int MAX_VALUES = 1000;
    static final int MAX_VALUE_LENGTH = 2048;

    private static final Set<String> STATEMENT_KEYS =
            Set.of("Sid", "Effect", "Action", "NotAction", "Resource", "NotResource");

    private final String name;
    private final List<Statement> statements;

    private record Statement(boolean deny, boolean notAction, List<String> actions,
                             boolean notResource, List<String> resources) {
        boolean matches(String action, String resource) {
            boolean actionHit = anyMatch(actions, action, true);
            boolean resourceHit = anyMatch(resources, resource, false);
            return actionHit != notAction && resourceHit != notResource;
        }

        private static boolean anyMatch(List<String> patterns, String value, boolean ignoreCase) {
            for (String p : patterns) {
                if (Glob.matches(p, value, ignoreCase)) {
                    return true;
                }
            }
            return false;
        }
    }

    private PolicyDocument(String name, List<Statement> statements) {
        this.name = name;
        this.statements = List.copyOf(statements);
    }

    /**
     * Parses a policy document from JSON text (comments allowed, duplicate keys rejected).
     *
     * @throws IllegalArgumentException naming the policy and the offending element
     */
    public static PolicyDocument parse(String name, String json) {
        Objects.requireNonNull(json, "json");
        JsonNode node;
        try {
            node = AccessControl.reader().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("policy '" + name + "': not valid JSON: " + e.getOriginalMessage(), e);
        }
        return fromJson(name, node);
    }

    /**
     * Builds a policy document from parsed JSON.
     *
     * @throws IllegalArgumentException naming the policy and the offending element
     */
    public static PolicyDocument fromJson(String name, JsonNode node) {
        Objects.requireNonNull(name, "name");
        String where = "policy '" + name + "'";
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(where + ": must be a JSON object with Version and Statement");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!key.equals("Version") && !key.equals("Statement")) {
                throw new IllegalArgumentException(where + ": unknown element '" + key + "' (expected Version, Statement)");
            }
        }
        JsonNode version = node.get("Version");
        if (version == null || !version.isTextual() || !version.asText().equals("1")) {
            throw new IllegalArgumentException(where + ".Version: must be \"1\" (the only RAM policy version)");
        }
        JsonNode st = node.get("Statement");
        List<JsonNode> items = new ArrayList<>();
        if (st != null && st.isObject()) {
            items.add(st);
        } else if (st != null && st.isArray() && !st.isEmpty()) {
            st.forEach(items::add);
        } else {
            throw new IllegalArgumentException(where + ".Statement: must be a non-empty array of statements");
        }
        if (items.size() > MAX_STATEMENTS) {
            throw new IllegalArgumentException(where + ".Statement: more than " + MAX_STATEMENTS + " statements");
        }
        List<Statement> statements = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            statements.add(statement(where + ".Statement[" + i + "]", items.get(i)));
        }
        return new PolicyDocument(name, statements);
    }

    private static Statement statement(String where, JsonNode s) {
        if (!s.isObject()) {
            throw new IllegalArgumentException(where + ": must be an object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
            String key = it.next().getKey();
            if (key.equals("Condition")) {
                throw new IllegalArgumentException(where + ".Condition: conditions are not supported by servlet-sse;"
                        + " remove the Condition (see docs/PERMISSIONS.md)");
            }
            if (key.equals("Principal") || key.equals("NotPrincipal")) {
                throw new IllegalArgumentException(where + "." + key
                        + ": not allowed in a user or group policy (it belongs to resource policies)");
            }
            if (!STATEMENT_KEYS.contains(key)) {
                throw new IllegalArgumentException(where + ": unknown element '" + key
                        + "' (expected Effect, Action or NotAction, Resource or NotResource)");
            }
        }
        JsonNode effect = s.get("Effect");
        if (effect == null || !effect.isTextual()
                || !(effect.asText().equals("Allow") || effect.asText().equals("Deny"))) {
            throw new IllegalArgumentException(where + ".Effect: must be \"Allow\" or \"Deny\"");
        }
        boolean notAction = pickOne(where, s, "Action", "NotAction");
        String actionKey = notAction ? "NotAction" : "Action";
        List<String> actions = values(where + "." + actionKey, s.get(actionKey));
        for (String a : actions) {
            if (!a.equals("*") && (a.indexOf(':') <= 0 || a.indexOf(':') == a.length() - 1)) {
                throw new IllegalArgumentException(where + "." + actionKey + ": '" + a
                        + "' is not an action; expected \"<service>:<ActionName>\" such as \"kms:Decrypt\", or \"*\"");
            }
        }
        boolean notResource = pickOne(where, s, "Resource", "NotResource");
        String resourceKey = notResource ? "NotResource" : "Resource";
        List<String> resources = values(where + "." + resourceKey, s.get(resourceKey));
        return new Statement(effect.asText().equals("Deny"), notAction, actions, notResource, resources);
    }

    /** Exactly one of the two keys must be present; returns whether it is the second. */
    private static boolean pickOne(String where, JsonNode s, String first, String second) {
        boolean a = s.has(first);
        boolean b = s.has(second);
        if (a == b) {
            throw new IllegalArgumentException(where + ": needs exactly one of " + first + " and " + second);
        }
        return b;
    }

    private static List<String> values(String where, JsonNode v) {
        List<String> out = new ArrayList<>();
        if (v.isTextual()) {
            out.add(v.asText());
        } else if (v.isArray() && !v.isEmpty() && v.size() <= MAX_VALUES) {
            for (int i = 0; i < v.size(); i++) {
                JsonNode e = v.get(i);
                if (!e.isTextual()) {
                    throw new IllegalArgumentException(where + "[" + i + "]: must be a string");
                }
                out.add(e.asText());
            }
        } else {
            throw new IllegalArgumentException(where + ": must be a string or a non-empty array of strings");
        }
        for (String s : out) {
            if (s.isEmpty() || s.length() > MAX_VALUE_LENGTH) {
                throw new IllegalArgumentException(where + ": values must be 1-" + MAX_VALUE_LENGTH + " characters");
            }
        }
        return List.copyOf(out);
    }

    public String name() {
        return name;
    }

    /** This document's verdict alone: explicit Deny wins, then Allow, else no statement matched. */
    public Decision evaluate(String action, String resourceArn) {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resourceArn, "resourceArn");
        boolean allowed = false;
        for (Statement s : statements) {
            if (s.matches(action, resourceArn)) {
                if (s.deny()) {
                    return Decision.EXPLICIT_DENY;
                }
                allowed = true;
            }
        }
        return allowed ? Decision.ALLOW : Decision.IMPLICIT_DENY;
    }

    /**
     * The verdict of several documents together (all the policies of a user and its groups):
     * any explicit Deny wins, then any Allow, else implicit deny (RAM: "Deny takes precedence").
     */
    public static Decision evaluateAll(Iterable<PolicyDocument> policies, String action, String resourceArn) {
        boolean allowed = false;
        for (PolicyDocument p : policies) {
            Decision d = p.evaluate(action, resourceArn);
            if (d == Decision.EXPLICIT_DENY) {
                return d;
            }
            allowed |= d == Decision.ALLOW;
        }
        return allowed ? Decision.ALLOW : Decision.IMPLICIT_DENY;
    }

    @Override
    public String toString() {
        return "PolicyDocument[" + name + ", " + statements.size() + " statement(s)]";
    }
}
