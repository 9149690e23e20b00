package org.coordinatool.tests.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.coordinatool.coordinator.redis.RedisServerProcess;
import org.coordinatool.hsm.ActiveRequest;
import org.coordinatool.hsm.Fid;
import org.coordinatool.tests.support.Await;
import org.coordinatool.tests.support.CoordinatorProcess;
import org.coordinatool.tests.support.CoordinatorSite;
import org.coordinatool.tests.support.ProtocolAgent;
import org.coordinatool.tests.support.ProtocolAgent.Limits;
import org.coordinatool.tests.support.ReceivedItem;
import org.coordinatool.tests.support.ReceivedItem.RequestId;
import org.junit.jupiter.api.Test;

/**
 * A site replaces the original server by this one on the same Redis: the queue the original left
 * (written here by hand, byte for byte in its schema: compact JSON items in
 * {@code coordinatool_requests}, agent ids in {@code coordinatool_assigned}, keyed by cookie and
 * FID in 48 hex digits) is recovered at start-up and dispatched; the request the original had
 * assigned goes back to its agent when the agent reconnects with it in {@code hai_list}.
 *
 * <p>The requests are real Lustre requests handed to a server that then died (so Lustre does not
 * send them again): only the dump can bring them back.
 */
class RedisDumpRecoveryIT extends RedisSiteTest {

    private static final long TIMESTAMP = 1_735_689_600_123_456_789L;
    /** Data as the original's {@code -Q} stored it: padded with NULs to a multiple of 8 bytes. */
    private static final String PADDED = "tag=dump\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000";

    @Override
    String fsname() {
        return "dump";
    }

    @Test
    void aDumpInTheOriginalSchemaIsRecoveredAndDispatched() {
        long t0 = System.nanoTime();
        List<Path> files = site.createFiles("f", 5);
        CoordinatorProcess old = site.start(site.coordinator());
        site.lfs("hsm_archive", files, "--data", "tag=dump");
        List<ActiveRequest> handedOver = Await.value(WAIT, "5 requests handed to the first server",
                () -> site.mount().activeRequests(), l -> l.size() == 5);
        assertEquals(137, old.kill9());

        // The original's dump: the first request assigned to mover-1 (its ehlo hai_list then carries
        // NULs too), the first two with the NUL padding of a -Q requeue, the third with a member
        // this server does not know.
        Map<Fid, String> dataByFid = new HashMap<>();
        ActiveRequest assigned = handedOver.get(0);
        try (RedisServerProcess.Client c = redis.client()) {
            for (int i = 0; i < handedOver.size(); i++) {
                ActiveRequest r = handedOver.get(i);
                String data = i <= 1 ? PADDED : "tag=dump";
                String extra = i == 2 ? ",\"x_site\":\"legacy\"" : "";
                dataByFid.put(r.fid(), data);
                assertEquals(1L, c.call("HSET", "coordinatool_requests", key(r), originalJson(r, data, extra)));
            }
            assertEquals(1L, c.call("HSET", "coordinatool_assigned", key(assigned), "mover-1"));
        }

        CoordinatorProcess recovered = site.start(site.coordinator().redis(redis.host(), redis.port())
                .config("client_grace_ms 60000"));
        ProtocolAgent agent = site.connect(recovered, "mover-1");
        JsonNode status = CoordinatorSite.awaitStatus(agent, "the dump recovered",
                s -> s.path("pending_archive").asInt() == 4 && s.path("running_archive").asInt() == 1);
        ReceivedItem held = ReceivedItem.of(ProtocolAgent.parse(originalJson(assigned, PADDED, "")));
        agent.hello("mover-1", List.of(), List.of(held));

        List<ReceivedItem> items = new ArrayList<>();
        while (items.size() < 4) {
            items.addAll(agent.receive(Limits.UNLIMITED, WAIT).items());
        }
        assertEquals(4, items.size(), "the 4 queued requests, not the one mover-1 holds: " + status);
        for (ReceivedItem item : items) {
            assertTrue(dataByFid.containsKey(item.fid()), item.json().toString());
            assertTrue(!item.id().equals(held.id()), "the assigned request stays with mover-1: " + item.json());
            assertEquals(dataByFid.get(item.fid()), item.dataText(), "data as dumped, NULs included");
            assertEquals(1, item.halArchiveId());
            assertEquals(TIMESTAMP, item.json().path("timestamp").asLong(), "the original timestamp");
            if (item.fid().equals(handedOver.get(2).fid())) {
                assertEquals("legacy", item.json().path("x_site").asText(), "unknown members are kept");
            }
        }
        items.add(held);
        for (ReceivedItem item : items) {
            site.mover().complete(item);
            agent.done(item, 0);
        }
        site.awaitArchived(files, 1);
        assertEquals(List.of(), site.mount().activeRequests());
        Await.until(WAIT, "Redis emptied", () -> redis.hgetall("coordinatool_requests").isEmpty()
                && redis.hgetall("coordinatool_assigned").isEmpty());
        System.out.printf("RedisDumpRecoveryIT: 5 requests recovered from a dump in the original schema (1 assigned),"
                + " dispatched and archived in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }

    private static String key(ActiveRequest r) {
        return new RequestId(r.cookie(), r.dfid()).redisKey();
    }

    /** The item as the original server stores it: compact, NUL as {@code \u0000}, u64 values signed. */
    private static String originalJson(ActiveRequest r, String data, String extraMembers) {
        return "{\"hai_action\":20,\"hai_fid\":" + fid(r.fid()) + ",\"hai_dfid\":" + fid(r.dfid())
                + ",\"hai_extent_offset\":" + r.extent().offset() + ",\"hai_extent_length\":" + r.extent().length()
                + ",\"hai_cookie\":" + r.cookie() + ",\"hai_gid\":" + r.gid() + ",\"hal_archive_id\":"
                + r.archiveId() + ",\"hal_flags\":" + r.flags() + ",\"hai_data\":\""
                + data.replace("\u0000", "\\u0000") + "\"" + extraMembers + ",\"timestamp\":" + TIMESTAMP + "}";
    }

    private static String fid(Fid f) {
        return "{\"f_seq\":" + f.seq() + ",\"f_oid\":" + f.oid() + ",\"f_ver\":" + f.ver() + "}";
    }
}
