package org.coordinatool.coordinator.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.coordinatool.config.ConnectionLimits;
import org.coordinatool.coordinator.core.RequestTelemetry;
import org.coordinatool.config.LogLevel;
import org.coordinatool.config.MetricsEndpoint;
import org.coordinatool.config.ServerSecurity;
import org.coordinatool.config.ServerSettings;
import org.coordinatool.coordinator.core.ClientConnection;
import org.coordinatool.coordinator.core.Clock;
import org.coordinatool.coordinator.core.Coordinator;
import org.coordinatool.coordinator.core.PathResolver;
import org.coordinatool.coordinator.net.EventLoopTimers;
import org.coordinatool.coordinator.protocol.Command;
import org.coordinatool.coordinator.protocol.ItemJson;
import org.coordinatool.coordinator.protocol.Reply;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.coordinator.report.ReportWriter;
import org.coordinatool.hsm.Fid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Redis store and recovery wired to the real coordinator, as the server runs them. */
class RedisCoordinatorTest extends RedisTestSupport {

    private static final String FS = "testfs0";
    /** A queued restore, with a member only the original's peers know about. */
    private static final String KEY_2 = "00000000000000070000000200000401000000010000000a";
    private static final String JSON_2 = "{\"hai_action\":21,"
            + "\"hai_fid\":{\"f_seq\":8589935617,\"f_oid\":1,\"f_ver\":10},"
            + "\"hai_dfid\":{\"f_seq\":8589935617,\"f_oid\":1,\"f_ver\":10},"
            + "\"hai_extent_offset\":0,\"hai_extent_length\":-1,\"hai_cookie\":7,"
            + "\"hai_gid\":0,\"hai_data\":\"\",\"hal_archive_id\":2,\"hal_flags\":0,"
            + "\"timestamp\":1718000000000000001,\"custom\":\"kept\"}";

    private Coordinator coordinator;

    /** Runs before the shared clean-up closes the store and the loop. */
    @AfterEach
    void shutDownCoordinator() {
        if (coordinator != null) {
            onLoop(coordinator::shutdown);
        }
    }

    @Test
    void aDumpOfTheOriginalServerIsRecoveredAndDispatched() throws Exception {
        try (RedisServerProcess.Client c = redis.client()) {
            c.call("HSET", REQUESTS, KEY_1, JSON_1, KEY_2, JSON_2);
            c.call("HSET", ASSIGNED, KEY_1, "mover-3");
        }
        startServer();
        RedisRecovery.Result result = RedisRecovery.run(store);
        assertEquals(new RedisRecovery.Result(false, 2, 1, 0, 0, 0), result);

        // The queued restore goes to the first agent asking for work.
        Agent other = agent("mover-9", List.of());
        onLoop(() -> coordinator.received(other, new Command.Recv(-1, -1, -1, 1 << 20)));
        WireItem restore = other.awaitItem();
        assertEquals(7, restore.cookie());
        assertEquals("\"custom\":\"kept\"", restore.extraJson());
        awaitHash(ASSIGNED, Map.of(KEY_1, "mover-3", KEY_2, "mover-9"));

        // The agent that ran the archive before the restart claims it back and finishes it.
        WireItem archive = ItemJson.parse(JSON_1);
        Agent owner = agent("mover-3", List.of(archive));
        onLoop(() -> coordinator.received(owner, new Command.Done(archive.cookie(), archive.dfid(), 0)));
        onLoop(() -> coordinator.received(other, new Command.Done(7L, restore.dfid(), 0)));
        awaitHash(REQUESTS, Map.of());
        awaitHash(ASSIGNED, Map.of());
        assertTrue(owner.errors().isEmpty(), owner.errors().toString());
        assertTrue(other.errors().isEmpty(), other.errors().toString());
    }

    @Test
    void aRedisRestartUnderLoadEndsWithRedisEqualToTheServerState() throws Exception {
        startServer();
        RedisRecovery.run(store);
        Agent agent = agent("mover-1", List.of());
        onLoop(() -> coordinator.received(agent, queue(0, 200)));
        onLoop(() -> coordinator.received(agent, new Command.Recv(5, 5, 5, 1 << 20)));
        await("the agent got work", () -> !agent.items().isEmpty());

        redis.kill();
        onLoop(() -> coordinator.received(agent, queue(200, 300)));
        for (WireItem done : agent.items()) {
            onLoop(() -> coordinator.received(agent,
                    new Command.Done(done.cookie(), done.dfid(), 0)));
        }
        redis.restart();
        onLoop(() -> coordinator.received(agent, queue(300, 350)));
        await("re-synchronised", () -> store.stats().resyncs() >= 1);

        Snapshot memory = memory();
        assertEquals(345, memory.requests().size());
        awaitHash(REQUESTS, memory.requests());
        awaitHash(ASSIGNED, memory.assigned());
    }

    @Test
    void aQueuePersistedBeforeADegradedStartIsMergedWithTheRequestsTakenMeanwhile()
            throws Exception {
        redis.kill();
        startServer();
        assertTrue(RedisRecovery.run(store).degraded());
        Agent agent = agent("mover-1", List.of());
        onLoop(() -> coordinator.received(agent, queue(0, 50)));
        await("queued while Redis is down", () -> agent.replies.contains(
                new Reply.QueueResult(50, 0, 0, null)));

        // The previous run's queue: 30 requests of its own and five the new run took again.
        List<WireItem> stamped = new ArrayList<>();
        for (WireItem item : queue(45, 80).items()) {
            stamped.add(item.withTimestamp(1_700_000_000_000_000_000L));
        }
        Map<String, String> previous = stored(stamped);
        restartRedisHolding(previous, Map.of());
        await("re-synchronised", () -> store.stats().resyncs() >= 1);

        Map<String, String> memory = memory().requests();
        assertEquals(80, memory.size());
        for (WireItem item : queue(0, 80).items()) {
            assertTrue(memory.containsKey(RequestKeys.format(item)), RequestKeys.format(item));
        }
        for (WireItem item : queue(50, 80).items()) {
            assertEquals(previous.get(RequestKeys.format(item)),
                    memory.get(RequestKeys.format(item)), "the persisted form is recovered");
        }
        awaitHash(REQUESTS, memory);
        awaitHash(ASSIGNED, Map.of());

        // All 80 are dispatched, each once.
        onLoop(() -> coordinator.received(agent, new Command.Recv(-1, -1, -1, 1 << 20)));
        await("all dispatched", () -> agent.items().size() == 80);
        assertEquals(80, agent.items().stream().map(RequestKeys::format).distinct().count());
    }

    @Test
    void aPersistedAssignmentNeverTakesWorkFromAConnectedAgent() throws Exception {
        redis.kill();
        startServer();
        RedisRecovery.run(store);
        Agent mover = agent("mover-3", List.of());
        WireItem running = queue(0, 1).items().get(0);
        WireItem queued = queue(1, 2).items().get(0);
        WireItem held = queue(2, 3).items().get(0);
        onLoop(() -> coordinator.received(mover, queue(0, 1)));
        onLoop(() -> coordinator.received(mover, new Command.Recv(1, 1, 1, 1 << 20)));
        assertEquals(running.cookie(), mover.awaitItem().cookie());
        onLoop(() -> coordinator.received(mover, queue(1, 3)));

        // The previous run had them elsewhere, and more on mover-3 and on an absent mover-7.
        WireItem claimedByNobody = queue(3, 4).items().get(0);
        WireItem absentsWork = queue(4, 5).items().get(0);
        restartRedisHolding(stored(queue(0, 5).items()), Map.of(
                RequestKeys.format(running), "mover-9",
                RequestKeys.format(queued), "mover-3",
                RequestKeys.format(held), "mover-8",
                RequestKeys.format(claimedByNobody), "mover-3",
                RequestKeys.format(absentsWork), "mover-7"));
        await("re-synchronised", () -> store.stats().resyncs() >= 1);

        Map<String, String> owners = Map.of(
                RequestKeys.format(running), "mover-3",
                RequestKeys.format(held), "mover-8",
                RequestKeys.format(absentsWork), "mover-7");
        assertEquals(owners, memory().assigned());
        assertEquals(5, memory().requests().size());
        awaitHash(ASSIGNED, owners);
        Reply.ClientReport report = onLoop(() -> status().clients().stream()
                .filter(c -> c.clientId().equals("mover-3")).findFirst().orElseThrow());
        assertEquals(1, report.currentArchive(), "mover-3 runs only what it was given");

        // mover-3 finishes its request and gets the two queued ones, nothing else.
        onLoop(() -> coordinator.received(mover,
                new Command.Done(running.cookie(), running.dfid(), 0)));
        onLoop(() -> coordinator.received(mover, new Command.Recv(-1, -1, -1, 1 << 20)));
        await("mover-3 got the queued requests", () -> mover.items().size() == 3);
        assertEquals(List.of(queued.cookie(), claimedByNobody.cookie()), mover.items().subList(1, 3)
                .stream().map(WireItem::cookie).sorted().toList());
        assertTrue(mover.errors().isEmpty(), mover.errors().toString());
    }

    /** The coordinator's requests (key → compact JSON) and assignments (key → client). */
    private record Snapshot(Map<String, String> requests, Map<String, String> assigned) {
    }

    private Snapshot memory() {
        Map<String, String> requests = new LinkedHashMap<>();
        Map<String, String> assigned = new LinkedHashMap<>();
        onLoop(() -> coordinator.forEachRequest((item, client) -> {
            requests.put(RequestKeys.format(item), ItemJson.toCompactJson(item));
            if (client != null) {
                assigned.put(RequestKeys.format(item), client);
            }
        }));
        return new Snapshot(requests, assigned);
    }

    private Reply.StatusReport status() {
        Agent admin = new Agent("admin");
        coordinator.connected(admin);
        coordinator.received(admin, new Command.Status(0));
        coordinator.disconnected(admin);
        return (Reply.StatusReport) admin.replies.get(0);
    }

    private void startServer() {
        ServerSettings settings = new ServerSettings("localhost", "5123", LogLevel.NORMAL, List.of(),
                redis.host(), redis.port(), 60_000, List.of(), 0, 0, 0, Optional.empty(),
                Optional.empty(), 0, "", 1 << 24, ServerSecurity.NONE, ConnectionLimits.DEFAULTS,
                new MetricsEndpoint("localhost", 0));
        store = RedisStore.connect(settings(), loop, () -> coordinator);
        coordinator = onLoop(() -> new Coordinator(settings, FS, store, item -> { }, Clock.SYSTEM,
                new EventLoopTimers(loop), new Random(1), ReportWriter.NONE, (path, done) -> done.accept(PathResolver.Resolution.failed(95, "no filesystem")), () -> { },
                RequestTelemetry.NONE));
    }

    private Agent agent(String id, List<WireItem> running) {
        Agent a = new Agent(id);
        onLoop(() -> {
            coordinator.connected(a);
            coordinator.received(a, new Command.Ehlo(id, FS, null, running, List.of()));
        });
        await(id + " accepted", () -> a.replies.contains(Reply.Simple.ok("ehlo")));
        return a;
    }

    private static Command.Queue queue(int from, int to) {
        List<WireItem> items = new ArrayList<>();
        for (int i = from; i < to; i++) {
            Fid fid = new Fid(0x200000400L + i, i, 0);
            items.add(new WireItem(20, fid, fid, 0, -1, 0x9000L + i, 0, 1, 0,
                    ("n=" + i).getBytes(StandardCharsets.UTF_8), 0, null));
        }
        return new Command.Queue(true, items, List.of(), FS);
    }

    private void awaitHash(String hash, Map<String, String> expected) {
        try {
            await(hash + " holds " + expected.size() + " entries",
                    () -> redis.hgetall(hash).equals(expected));
        } catch (AssertionError e) {
            assertEquals(expected, redis.hgetall(hash));
            throw e;
        }
    }

    /** A protocol-level agent: keeps what the coordinator sends it. */
    private static final class Agent implements ClientConnection {
        private final String id;
        final List<Reply> replies = new CopyOnWriteArrayList<>();

        Agent(String id) {
            this.id = id;
        }

        @Override
        public String peerName() {
            return "127.0.0.1:" + (40000 + Math.abs(id.hashCode() % 20000));
        }

        @Override
        public void send(Reply reply) {
            replies.add(reply);
        }

        @Override
        public void close() {
        }

        List<WireItem> items() {
            List<WireItem> items = new ArrayList<>();
            for (Reply r : replies) {
                if (r instanceof Reply.ActionList l) {
                    items.addAll(l.items());
                }
            }
            return items;
        }

        WireItem awaitItem() {
            await(id + " received an item", () -> !items().isEmpty());
            return items().get(0);
        }

        List<Reply> errors() {
            List<Reply> errors = new ArrayList<>();
            for (Reply r : replies) {
                if (r instanceof Reply.Simple s && s.status() != 0
                        || r instanceof Reply.QueueResult q && q.status() != 0) {
                    errors.add(r);
                }
            }
            return errors;
        }
    }
}
