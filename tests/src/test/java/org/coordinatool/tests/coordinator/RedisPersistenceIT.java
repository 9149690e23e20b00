package org.coordinatool.tests.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.coordinatool.coordinator.redis.RedisServerProcess;
import org.coordinatool.hsm.ActiveRequest;
import org.coordinatool.tests.support.Await;
import org.coordinatool.tests.support.CoordinatorProcess;
import org.coordinatool.tests.support.CoordinatorSite;
import org.coordinatool.tests.support.ProtocolAgent;
import org.coordinatool.tests.support.ProtocolAgent.Limits;
import org.coordinatool.tests.support.ReceivedItem;
import org.coordinatool.tests.support.ReceivedItem.RequestId;
import org.junit.jupiter.api.Test;

/**
 * The server with a real {@code redis-server}: requests survive a server crash (kill -9), running
 * ones come back to their agent when it reconnects within the grace period, a Redis crash in the
 * middle of the work is re-synchronised without running anything twice, and a server started
 * while Redis is down works and fills Redis once it is up.
 */
class RedisPersistenceIT extends RedisSiteTest {

    private static final String REQUESTS = "coordinatool_requests";
    private static final String ASSIGNED = "coordinatool_assigned";

    @Override
    String fsname() {
        return "redis";
    }

    private CoordinatorProcess.Settings withRedis() {
        return site.coordinator().redis(redis.host(), redis.port()).config("client_grace_ms 60000");
    }

    @Test
    void queuedRequestsAreWrittenThroughAndRecoveredAfterKill9() {
        long t0 = System.nanoTime();
        CoordinatorProcess first = site.start(withRedis());
        List<Path> files = site.createFiles("f", 10);
        site.lfs("hsm_archive", files, "--data", "tag=redis");
        Map<String, String> stored = awaitHash(REQUESTS, "10 requests written through", m -> m.size() == 10);
        Set<String> expected = activeKeys();
        assertEquals(expected, stored.keySet(), "one field per request, named by cookie and FID");
        for (Map.Entry<String, String> e : stored.entrySet()) {
            JsonNode item = ProtocolAgent.parse(e.getValue());
            assertFalse(e.getValue().contains(": ") || e.getValue().contains(", "), "compact JSON: " + e.getValue());
            assertEquals("tag=redis", item.path("hai_data").asText(), e.getValue());
            assertEquals(1, item.path("hal_archive_id").asInt(), e.getValue());
            assertEquals(20, item.path("hai_action").asInt(), e.getValue());
            assertTrue(item.path("timestamp").asLong() > 0, e.getValue());
        }

        assertEquals(137, first.kill9());
        CoordinatorProcess second = site.restart(first);
        ProtocolAgent agent = site.agent(second, "mover-1");
        CoordinatorSite.awaitPending(agent, "archive", 10);
        Set<RequestId> seen = drain(agent, 10);

        assertEquals(expected, keys(seen));
        site.awaitArchived(files, 1);
        awaitHash(REQUESTS, "no request left", Map::isEmpty);
        awaitHash(ASSIGNED, "no assignment left", Map::isEmpty);
        System.out.printf("RedisPersistenceIT: 10 queued requests recovered from Redis after kill -9 and archived"
                + " in %d ms%n", millisSince(t0));
    }

    @Test
    void runningRequestsComeBackToTheirAgentWithinGrace() {
        long t0 = System.nanoTime();
        CoordinatorProcess first = site.start(withRedis());
        List<Path> files = site.createFiles("f", 6);
        ProtocolAgent before = site.agent(first, "mover-1");
        site.lfs("hsm_archive", files);
        List<ReceivedItem> running = new ArrayList<>();
        while (running.size() < 3) {
            running.addAll(before.receive(Limits.of(3, -1, -1), WAIT).items());
        }
        Set<String> runningKeys = keys(ids(running));
        awaitHash(ASSIGNED, "3 requests assigned to mover-1",
                m -> m.keySet().equals(runningKeys) && Set.copyOf(m.values()).equals(Set.of("mover-1")));
        awaitHash(REQUESTS, "6 requests stored", m -> m.size() == 6);

        assertEquals(137, first.kill9());
        before.close();
        CoordinatorProcess second = site.restart(first);

        // Another agent gets the queued requests, never those held for mover-1.
        ProtocolAgent other = site.agent(second, "mover-2");
        Set<RequestId> othersWork = drain(other, 3);
        assertTrue(keys(othersWork).stream().noneMatch(runningKeys::contains), "mover-1's requests are held for it");
        other.recv(Limits.UNLIMITED);
        JsonNode held = other.status(4);
        assertEquals(3, held.path("running_archive").asInt(), held.toString());
        assertEquals(0, held.path("pending_archive").asInt(), held.toString());

        ProtocolAgent after = site.connect(second, "mover-1 again");
        after.hello("mover-1", List.of(), running);
        for (ReceivedItem item : running) {
            site.mover().complete(item);
            after.done(item, 0);
        }
        site.awaitArchived(files, 1);
        JsonNode end = other.status(4);
        assertFalse(other.hasReply("recv"), "nothing was left for mover-2: " + end);
        assertEquals(6, end.path("done_archive").asInt(), end.toString());
        awaitHash(REQUESTS, "no request left", Map::isEmpty);
        awaitHash(ASSIGNED, "no assignment left", Map::isEmpty);
        System.out.printf("RedisPersistenceIT: 3 running requests came back to mover-1 after kill -9 (hai_list),"
                + " 3 queued went to mover-2, in %d ms%n", millisSince(t0));
    }

    @Test
    void aCleanShutdownKeepsTheAssignmentsForTheAgents() {
        long t0 = System.nanoTime();
        CoordinatorProcess first = site.start(withRedis());
        List<Path> files = site.createFiles("f", 2);
        ProtocolAgent before = site.agent(first, "mover-1");
        site.lfs("hsm_archive", files);
        List<ReceivedItem> running = new ArrayList<>();
        while (running.size() < 2) {
            running.addAll(before.receive(Limits.UNLIMITED, WAIT).items());
        }
        Set<String> runningKeys = keys(ids(running));
        awaitHash(ASSIGNED, "2 requests assigned to mover-1", m -> m.keySet().equals(runningKeys));

        assertEquals(0, first.terminate(), "exit status after SIGTERM\n" + first.log());
        assertEquals(runningKeys, redis.hgetall(REQUESTS).keySet(), "requests kept");
        assertEquals(runningKeys.stream().collect(Collectors.toMap(k -> k, k -> "mover-1")),
                redis.hgetall(ASSIGNED), "assignments kept");

        before.close();
        CoordinatorProcess second = site.restart(first);
        ProtocolAgent after = site.connect(second, "mover-1 again");
        JsonNode recovered = CoordinatorSite.awaitStatus(after, "2 requests recovered as running",
                s -> s.path("running_archive").asInt() == 2);
        assertEquals(0, recovered.path("pending_archive").asInt(), recovered.toString());
        after.hello("mover-1", List.of(), running);
        for (ReceivedItem item : running) {
            site.mover().complete(item);
            after.done(item, 0);
        }
        site.awaitArchived(files, 1);
        awaitHash(REQUESTS, "no request left", Map::isEmpty);
        awaitHash(ASSIGNED, "no assignment left", Map::isEmpty);
        System.out.printf("RedisPersistenceIT: 2 running requests kept assigned across SIGTERM and a restart,"
                + " finished by mover-1, in %d ms%n", millisSince(t0));
    }

    @Test
    void redisCrashDuringTheWorkIsResyncedAndEveryRequestRunsOnce() {
        long t0 = System.nanoTime();
        CoordinatorProcess server = site.start(withRedis());
        List<Path> files = site.createFiles("f", 30);
        ProtocolAgent agent = site.agent(server, "mover-1");
        site.lfs("hsm_archive", files);
        awaitHash(REQUESTS, "30 requests stored", m -> m.size() == 30);
        Set<String> all = activeKeys();
        Limits five = Limits.of(5, -1, -1);
        Map<RequestId, Integer> runs = new HashMap<>();

        finish(agent, receiveUpTo(agent, five, 5), runs);
        List<ReceivedItem> beforeSnapshot = receiveUpTo(agent, five, 5);
        Set<String> snapshotRunning = keys(ids(beforeSnapshot));
        awaitHash(ASSIGNED, "the running requests stored", m -> m.keySet().equals(snapshotRunning));
        awaitHash(REQUESTS, "the finished requests forgotten", m -> m.size() == 30 - runs.size());
        // Redis's last snapshot: it comes back with it, i.e. with entries finished since.
        try (RedisServerProcess.Client c = redis.client()) {
            assertEquals("OK", c.call("SAVE"));
        }
        redis.kill();

        finish(agent, beforeSnapshot, runs);
        List<ReceivedItem> whileDown = receiveUpTo(agent, five, 5);
        redis.restart();

        Set<String> live = new HashSet<>(all);
        live.removeAll(keys(runs.keySet()));
        Set<String> runningKeys = keys(ids(whileDown));
        awaitHash(REQUESTS, "Redis re-synchronised with the live requests", m -> m.keySet().equals(live));
        awaitHash(ASSIGNED, "Redis re-synchronised with the running requests",
                m -> m.keySet().equals(runningKeys) && Set.copyOf(m.values()).equals(Set.of("mover-1")));

        finish(agent, whileDown, runs);
        while (runs.size() < 30) {
            finish(agent, agent.receive(five, WAIT).items(), runs);
        }
        assertEquals(all, keys(runs.keySet()));
        assertEquals(Set.of(1), Set.copyOf(runs.values()), "every request dispatched exactly once: " + runs);
        site.awaitArchived(files, 1);
        assertEquals(30, site.mount().countActions("ARCHIVE", "SUCCEED"));
        awaitHash(REQUESTS, "no request left", Map::isEmpty);
        awaitHash(ASSIGNED, "no assignment left", Map::isEmpty);
        System.out.printf("RedisPersistenceIT: Redis killed and restarted from a stale snapshot during 30 archives;"
                + " re-synchronised, each run once, in %d ms%n", millisSince(t0));
    }

    @Test
    void startsDegradedWithRedisDownThenWritesItsStateWhenRedisComesUp() {
        long t0 = System.nanoTime();
        redis.kill();
        CoordinatorProcess server = site.start(withRedis());
        server.awaitLog("DEGRADED MODE", WAIT);
        List<Path> files = site.createFiles("f", 4);
        ProtocolAgent agent = site.agent(server, "mover-1");
        site.lfs("hsm_archive", files);
        List<ReceivedItem> running = new ArrayList<>();
        while (running.size() < 2) {
            running.addAll(agent.receive(Limits.of(2, -1, -1), WAIT).items());
        }
        assertEquals(2, running.size(), "dispatching works without Redis");

        Await.until(WAIT, "the 4 requests handed to the server", () -> site.mount().activeRequests().size() == 4);
        Set<String> all = activeKeys();
        Set<String> runningKeys = keys(ids(running));
        redis.restart();
        awaitHash(REQUESTS, "the 4 requests written once Redis is up", m -> m.keySet().equals(all));
        awaitHash(ASSIGNED, "the 2 running requests written once Redis is up",
                m -> m.keySet().equals(runningKeys) && Set.copyOf(m.values()).equals(Set.of("mover-1")));

        Map<RequestId, Integer> runs = new HashMap<>();
        finish(agent, running, runs);
        while (runs.size() < 4) {
            finish(agent, agent.receive(Limits.UNLIMITED, WAIT).items(), runs);
        }
        site.awaitArchived(files, 1);
        awaitHash(REQUESTS, "no request left", Map::isEmpty);
        awaitHash(ASSIGNED, "no assignment left", Map::isEmpty);
        System.out.printf("RedisPersistenceIT: started with Redis down, dispatched, state written when Redis came up,"
                + " in %d ms%n", millisSince(t0));
    }

    /** Receives, completes and reports done until {@code n} requests went through; returns them. */
    private Set<RequestId> drain(ProtocolAgent agent, int n) {
        Map<RequestId, Integer> runs = new HashMap<>();
        while (runs.size() < n) {
            finish(agent, agent.receive(Limits.UNLIMITED, WAIT).items(), runs);
        }
        assertEquals(n, runs.size());
        return runs.keySet();
    }

    private static List<ReceivedItem> receiveUpTo(ProtocolAgent agent, Limits limits, int n) {
        List<ReceivedItem> items = agent.receive(limits, WAIT).items();
        assertTrue(items.size() <= n, "limits respected: " + items.size());
        return items;
    }

    private void finish(ProtocolAgent agent, List<ReceivedItem> items, Map<RequestId, Integer> runs) {
        for (ReceivedItem item : items) {
            runs.merge(item.id(), 1, Integer::sum);
            site.mover().complete(item);
            agent.done(item, 0);
        }
    }

    /** Redis keys of every request Lustre lists as active (all of them were handed to the server). */
    private Set<String> activeKeys() {
        return site.mount().activeRequests().stream().map(RedisPersistenceIT::key).collect(Collectors.toSet());
    }

    private static String key(ActiveRequest r) {
        return new RequestId(r.cookie(), r.dfid()).redisKey();
    }

    private static Set<RequestId> ids(List<ReceivedItem> items) {
        return items.stream().map(ReceivedItem::id).collect(Collectors.toSet());
    }

    private static Set<String> keys(Set<RequestId> ids) {
        return ids.stream().map(RequestId::redisKey).collect(Collectors.toSet());
    }

    private Map<String, String> awaitHash(String hash, String what, Predicate<Map<String, String>> ok) {
        return Await.value(WAIT, what + " (" + hash + ")", () -> redis.hgetall(hash), ok);
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
