package org.coordinatool.tests.mover;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.coordinatool.coordinator.redis.RedisServerProcess;
import org.coordinatool.tests.support.Await;
import org.coordinatool.tests.support.CoordinatorProcess;
import org.coordinatool.tests.support.MoverSite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the §16.2 scenarios run with real movers: a simulated mount, and a private
 * redis-server for the scenarios that ask for one.
 */
abstract class MoverSiteTest {

    /** Files of up to 16 KiB: enough to copy real data, small enough for hundreds per scenario. */
    static final int MAX_SIZE = 16 * 1024;

    @TempDir
    Path work;

    MoverSite site;
    RedisServerProcess redis;

    /** Short filesystem name of the scenario (at most 8 characters, as on Lustre). */
    abstract String fsname();

    @BeforeEach
    void startSite() {
        site = MoverSite.start(work, fsname());
    }

    @AfterEach
    void stopSite() throws Exception {
        try {
            site.close();
        } finally {
            if (redis != null) {
                redis.close();
            }
        }
    }

    /** Starts a redis-server and a coordinator persisting into it. */
    CoordinatorProcess coordinatorWithRedis() {
        redis = RedisServerProcess.start();
        return site.start(site.coordinator().redis(redis.host(), redis.port()));
    }

    /**
     * Waits until Redis hash {@code hash} has {@code n} entries and returns them: the coordinator
     * writes to Redis asynchronously, so Redis trails what its status shows.
     */
    Map<String, String> awaitPersisted(String hash, int n) {
        return Await.value(MoverSite.DEADLINE, n + " entries in Redis hash " + hash, () -> redis.hgetall(hash),
                m -> m.size() == n);
    }

    static JsonNode awaitPendingArchives(CoordinatorProcess coordinator, int n) {
        return MoverSite.awaitStatus(coordinator, n + " archives queued", s -> s.path("pending_archive").asInt() == n);
    }

    void awaitNoActiveRequest() {
        Await.value(MoverSite.DEADLINE, "no active request left in Lustre", () -> site.mount().activeRequests(),
                List::isEmpty);
    }
}
