package org.coordinatool.config;

import java.util.List;
import java.util.Objects;

/**
 * {@code archive_on_hosts_ch <tag> <N> <host>...}: the host is chosen by hashing the tag's value;
 * with {@code n > 0} the value is first rewritten to its hash modulo {@code n}.
 */
public record ConsistentHashMapping(String tag, int n, List<String> hosts) implements HostMapping {
    public ConsistentHashMapping {
        Objects.requireNonNull(tag, "tag");
        if (n < 0) {
            throw new IllegalArgumentException("negative N " + n + " for tag " + tag);
        }
        hosts = List.copyOf(hosts);
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("no host for tag " + tag);
        }
    }
}
