package org.coordinatool.config;

import java.util.List;
import java.util.Objects;

/** {@code archive_on_hosts <tag> <host>...}: a host picked from a random starting point. */
public record RandomHostMapping(String tag, List<String> hosts) implements HostMapping {
    public RandomHostMapping {
        Objects.requireNonNull(tag, "tag");
        hosts = List.copyOf(hosts);
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("no host for tag " + tag);
        }
    }
}
