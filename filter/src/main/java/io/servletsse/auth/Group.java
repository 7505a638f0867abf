package io.servletsse.auth;

import java.util.List;
import java.util.Objects;

/**
 * A configured group: users that list it get its policies.
 *
 * @param name     group name
 * @param policies names of the policies attached to the group
 */
public record Group(String name, List<String> policies) {
    public Group {
        Objects.requireNonNull(name, "name");
        if (!User.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid group name: '" + name + "'");
        }
        policies = List.copyOf(policies);
    }
}
