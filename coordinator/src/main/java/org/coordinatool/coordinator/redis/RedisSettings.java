package org.coordinatool.coordinator.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * How the server talks to Redis. Only host and port come from the configuration; the rest are
 * tuning values whose defaults suit production.
 *
 * @param connectTimeout  limit for establishing one TCP connection (and its handshake)
 * @param commandTimeout  a command without a reply after this long means the connection is dead:
 *                        it is closed and re-established, then Redis is re-synchronised
 * @param initialBackoff  delay before the first reconnection attempt; doubles after each failure
 * @param maxBackoff      cap of the reconnection delay
 * @param scanCount       COUNT of each HSCAN step of recovery: entries per round trip
 * @param resyncBatch     requests per batch of a re-synchronisation; each batch is encoded in one
 *                        state-loop task, so this bounds how long other events wait
 */
public record RedisSettings(String host, int port, Duration connectTimeout,
                            Duration commandTimeout, Duration initialBackoff, Duration maxBackoff,
                            int scanCount, int resyncBatch) {

    public static final int DEFAULT_PORT = 6379;

    public RedisSettings {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("an empty Redis host means Redis is disabled;"
                    + " use RequestStore.NONE instead");
        }
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("Redis port " + port + " is not in 1..65535");
        }
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(commandTimeout, "commandTimeout");
        requirePositive(initialBackoff, "initialBackoff");
        requirePositive(maxBackoff, "maxBackoff");
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff " + maxBackoff
                    + " is below initialBackoff " + initialBackoff);
        }
        if (scanCount < 1) {
            throw new IllegalArgumentException("scanCount must be positive, got " + scanCount);
        }
        if (resyncBatch < 1) {
            throw new IllegalArgumentException("resyncBatch must be positive, got " + resyncBatch);
        }
    }

    /**
     * Production defaults: 5 s connect, 10 s command timeout, back-off 100 ms doubling to 30 s,
     * 10000 entries per HSCAN, 1000 requests per re-synchronisation batch.
     */
    public static RedisSettings of(String host, int port) {
        return new RedisSettings(host, port, Duration.ofSeconds(5), Duration.ofSeconds(10),
                Duration.ofMillis(100), Duration.ofSeconds(30), 10_000, 1_000);
    }

    public RedisSettings withBackoff(Duration initial, Duration max) {
        return new RedisSettings(host, port, connectTimeout, commandTimeout, initial, max,
                scanCount, resyncBatch);
    }

    public RedisSettings withCommandTimeout(Duration timeout) {
        return new RedisSettings(host, port, connectTimeout, timeout, initialBackoff, maxBackoff,
                scanCount, resyncBatch);
    }

    public RedisSettings withScanCount(int count) {
        return new RedisSettings(host, port, connectTimeout, commandTimeout, initialBackoff,
                maxBackoff, count, resyncBatch);
    }

    public RedisSettings withResyncBatch(int batch) {
        return new RedisSettings(host, port, connectTimeout, commandTimeout, initialBackoff,
                maxBackoff, scanCount, batch);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }
}
