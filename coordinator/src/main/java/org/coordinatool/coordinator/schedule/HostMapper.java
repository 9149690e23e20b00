package org.coordinatool.coordinator.schedule;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.coordinatool.config.ConsistentHashMapping;
import org.coordinatool.config.HostMapping;
import org.coordinatool.config.RandomHostMapping;
import org.coordinatool.coordinator.core.Client;
import org.coordinatool.coordinator.queue.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Host mappings ({@code archive_on_hosts}, {@code archive_on_hosts_ch}): archives whose data
 * contains a mapping's tag are held for one of its hosts, connected or not.
 *
 * <p>Consistent hashing with N &gt; 0 rewrites the tag's value to {@code djb2(value) mod N} in the
 * data agents receive. The value is always taken from the request as first received, so routing
 * the same request again (after its client's grace period) gives the same data and the same host,
 * and the rewritten data is a complete new byte string whose length is the item's hai_len.
 */
public final class HostMapper {

    private static final Logger LOG = LoggerFactory.getLogger(HostMapper.class);

    private record Mapping(byte[] tag, HostMapping config) {
    }

    private final List<Mapping> lastFirst;
    private final Random random;
    private final ClientDirectory clients;

    public HostMapper(List<HostMapping> mappings, Random random, ClientDirectory clients) {
        List<Mapping> reversed = new ArrayList<>(mappings.size());
        for (int i = mappings.size() - 1; i >= 0; i--) {
            HostMapping m = mappings.get(i);
            reversed.add(new Mapping(m.tag().getBytes(StandardCharsets.UTF_8), m));
        }
        this.lastFirst = List.copyOf(reversed);
        this.random = random;
        this.clients = clients;
    }

    /**
     * The client an archive is held for, null when no mapping applies (or a consistent-hash tag
     * has no value at a hint position). Mappings are tried last configured first; the tag is
     * searched in the original data up to its first NUL. May rewrite the request's data.
     */
    public Client map(Request r) {
        byte[] original = r.stored().data();
        for (Mapping m : lastFirst) {
            if (!Hints.containsInCString(original, m.tag())) {
                continue;
            }
            if (m.config() instanceof ConsistentHashMapping ch) {
                return hashed(r, original, m.tag(), ch);
            }
            return randomHost((RandomHostMapping) m.config());
        }
        return null;
    }

    private Client randomHost(RandomHostMapping m) {
        List<String> hosts = m.hosts();
        int start = random.nextInt(hosts.size());
        for (int k = 0; k < hosts.size(); k++) {
            Client c = clients.connected(hosts.get((start + k) % hosts.size()));
            if (c != null) {
                return c;
            }
        }
        for (int k = 0; k < hosts.size(); k++) {
            Client c = clients.disconnected(hosts.get((start + k) % hosts.size()));
            if (c != null) {
                return c;
            }
        }
        return clients.placeholder(hosts.get(start));
    }

    private Client hashed(Request r, byte[] original, byte[] tag, ConsistentHashMapping m) {
        Hints.Match match = Hints.parse(original, tag);
        if (match == null) {
            LOG.error("{}: tag {} found but not at a hint position, not mapping it", r, m.tag());
            return null;
        }
        byte[] value = match.value(original);
        if (m.n() > 0) {
            value = Long.toString(Djb2.mod(Djb2.hash(value), m.n())).getBytes(StandardCharsets.US_ASCII);
            r.rewrite(r.stored().withData(Hints.replace(original, match, value)));
        }
        String host = m.hosts().get((int) Djb2.mod(Djb2.hash(value), m.hosts().size()));
        Client c = clients.connected(host);
        if (c == null) {
            c = clients.disconnected(host);
        }
        return c != null ? c : clients.placeholder(host);
    }
}
