package org.coordinatool.tests.coordinator;

import java.nio.file.Path;
import java.time.Duration;
import org.coordinatool.coordinator.redis.RedisServerProcess;
import org.coordinatool.tests.support.CoordinatorSite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Base of the scenarios that need a simulated mount and a private redis-server. */
abstract class RedisSiteTest {

    static final Duration WAIT = CoordinatorSite.DEADLINE;

    @TempDir
    Path work;

    CoordinatorSite site;
    RedisServerProcess redis;

    /** Short filesystem name of the scenario (at most 8 characters, as on Lustre). */
    abstract String fsname();

    @BeforeEach
    void startSite() {
        site = CoordinatorSite.start(work, fsname());
        redis = RedisServerProcess.start();
    }

    @AfterEach
    void stopSite() throws Exception {
        try {
            site.close();
        } finally {
            redis.close();
        }
    }
}
