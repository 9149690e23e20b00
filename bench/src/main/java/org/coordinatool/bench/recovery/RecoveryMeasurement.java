package org.coordinatool.bench.recovery;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.coordinatool.bench.core.LoopCore;
import org.coordinatool.bench.core.SyntheticItems;
import org.coordinatool.coordinator.protocol.ItemJson;
import org.coordinatool.coordinator.protocol.JsonStyle;
import org.coordinatool.coordinator.protocol.Reply;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.coordinator.redis.RedisRecovery;
import org.coordinatool.coordinator.redis.RedisRecoveryException;
import org.coordinatool.coordinator.redis.RedisServerProcess;
import org.coordinatool.coordinator.redis.RequestKeys;

/**
 * Start-up recovery of N archives (32-byte data) from a real redis-server, timed from the
 * connection to Redis to the first recv reply an agent gets: the server's start-up order (connect,
 * build the core, recover, then serve).
 *
 * <p>Redis is filled beforehand with the entries the server itself writes (same keys, same compact
 * JSON), in multi-field HSETs so the set-up does not dominate the run.
 *
 * <p>Usage: {@code RecoveryMeasurement [N]}, default 1000000.
 */
public final class RecoveryMeasurement {

    private static final int HSET_FIELDS = 10_000;
    private static final int MAX_ARCHIVE = 100;

    public static void main(String[] args) throws RedisRecoveryException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        try (RedisServerProcess redis = RedisServerProcess.start();
             RedisServerProcess.Client raw = redis.client()) {
            fill(raw, new SyntheticItems(32), n);

            long cpuStart = processCpuNanos();
            long start = System.nanoTime();
            try (LoopCore core = LoopCore.withRedis(redis.host(), redis.port())) {
                long recovered = System.nanoTime();
                Reply.ActionList first = core.call(d -> d.recv(d.agent("agent1"), MAX_ARCHIVE, 0));
                long dispatched = System.nanoTime();
                RedisRecovery.Result result = core.recovery();
                if (result.requests() != n || first == null || first.items().size() != MAX_ARCHIVE) {
                    throw new IllegalStateException("recovery found " + result + ", first reply " + first);
                }
                System.out.printf(Locale.ROOT, "recovered %d requests from Redis: %.2f s to the end of recovery,"
                        + " %.2f s to the first dispatch (%d items); %.2f s of CPU time used by this process"
                        + " meanwhile%n", n, (recovered - start) / 1e9, (dispatched - start) / 1e9,
                        first.items().size(), (processCpuNanos() - cpuStart) / 1e9);
            }
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void fill(RedisServerProcess.Client raw, SyntheticItems items, int n) {
        for (int from = 0; from < n; from += HSET_FIELDS) {
            int to = Math.min(n, from + HSET_FIELDS);
            byte[][] command = new byte[2 + 2 * (to - from)][];
            command[0] = "HSET".getBytes(StandardCharsets.US_ASCII);
            command[1] = "coordinatool_requests".getBytes(StandardCharsets.US_ASCII);
            for (int i = from; i < to; i++) {
                WireItem item = items.archive(i);
                command[2 + 2 * (i - from)] = RequestKeys.encode(item);
                command[3 + 2 * (i - from)] = ItemJson.toBytes(item, JsonStyle.COMPACT);
            }
            raw.call(command);
        }
        long length = (Long) raw.call("HLEN", "coordinatool_requests");
        if (length != n) {
            throw new IllegalStateException("Redis holds " + length + " requests, not " + n);
        }
    }
}
