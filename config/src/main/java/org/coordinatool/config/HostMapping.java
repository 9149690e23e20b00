package org.coordinatool.config;

import java.util.List;

/**
 * An {@code archive_on_hosts} or {@code archive_on_hosts_ch} line: archives whose data contains
 * {@link #tag()} go to one of {@link #hosts()} (never empty).
 */
public sealed interface HostMapping permits RandomHostMapping, ConsistentHashMapping {

    String tag();

    List<String> hosts();
}
