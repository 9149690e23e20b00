package org.coordinatool.coordinator.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class RedisServerProcessTest {

    @Test
    void killDropsTheServerAndRestartBringsAnEmptyOneOnTheSamePort() {
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            int port = redis.port();
            try (RedisServerProcess.Client c = redis.client()) {
                assertEquals("OK", c.call("SET", "k", "v"));
                assertEquals(1L, c.call("DBSIZE"));
            }
            redis.kill();
            assertFalse(redis.isRunning());
            assertThrows(IOException.class, () -> new Socket(redis.host(), port).close());

            redis.restart();
            assertTrue(redis.isRunning());
            assertEquals(port, redis.port());
            try (RedisServerProcess.Client c = redis.client()) {
                assertEquals(0L, c.call("DBSIZE"));
            }
        }
    }

    @Test
    void errorRepliesAreRaised() {
        try (RedisServerProcess redis = RedisServerProcess.start();
             RedisServerProcess.Client c = redis.client()) {
            c.call("SET", "k", "v");
            RedisServerProcess.ErrorReply e = assertThrows(RedisServerProcess.ErrorReply.class,
                    () -> c.call("HSET", "k", "f", "v"));
            assertTrue(e.getMessage().startsWith("WRONGTYPE"), e.getMessage());
        }
    }

    @Test
    void aMissingBinaryIsReportedClearly() {
        String previous = System.getProperty("redis.server");
        System.setProperty("redis.server", "/nonexistent/redis-server");
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    RedisServerProcess::start);
            assertEquals("redis-server not found at /nonexistent/redis-server: install it"
                    + " (apt-get install redis-server) or set -Dredis.server=PATH", e.getMessage());
        } finally {
            if (previous == null) {
                System.clearProperty("redis.server");
            } else {
                System.setProperty("redis.server", previous);
            }
        }
    }
}
