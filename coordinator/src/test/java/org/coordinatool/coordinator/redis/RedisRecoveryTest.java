package org.coordinatool.coordinator.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.coordinatool.coordinator.core.CoordinatorEvents.Assignment;
import org.coordinatool.coordinator.protocol.ItemJson;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.hsm.Fid;
import org.junit.jupiter.api.Test;

class RedisRecoveryTest extends RedisTestSupport {

    /** The request of KEY_1 / JSON_1. */
    private static final WireItem ITEM_1 = new WireItem(20, new Fid(0x200005223L, 0x1cce, 0),
            new Fid(0x200005223L, 0x1cce, 0), 0, -1, 0x617d23efL, 0, 1, 0,
            "tag=foo\0".getBytes(StandardCharsets.UTF_8), 1_718_000_000_123_456_789L, null);

    /** A restore with an unknown member, no timestamp, an object id above 2^31 (signed). */
    private static final String KEY_2 = "00000000000000070000000200000401800000000000000a";
    private static final String JSON_2 = "{\"hai_action\":21,"
            + "\"hai_fid\":{\"f_seq\":8589935617,\"f_oid\":-2147483648,\"f_ver\":10},"
            + "\"hai_dfid\":{\"f_seq\":8589935617,\"f_oid\":-2147483648,\"f_ver\":10},"
            + "\"hai_extent_offset\":0,\"hai_extent_length\":-1,\"hai_cookie\":7,"
            + "\"hai_gid\":0,\"hai_data\":\"\",\"hal_archive_id\":2,\"hal_flags\":0,"
            + "\"custom\":\"kept\"}";
    private static final WireItem ITEM_2 = new WireItem(21, new Fid(0x200000401L, 0x80000000, 10),
            new Fid(0x200000401L, 0x80000000, 10), 0, -1, 7, 0, 2, 0, new byte[0], 0,
            "\"custom\":\"kept\"");

    @Test
    void recoversADumpWrittenInTheOriginalSchema() throws Exception {
        try (RedisServerProcess.Client c = redis.client()) {
            c.call("HSET", REQUESTS, KEY_1, JSON_1, KEY_2, JSON_2);
            c.call("HSET", ASSIGNED, KEY_1, "mover-3");
        }
        connect(settings());
        RedisRecovery.Result result = RedisRecovery.run(store);

        assertEquals(new RedisRecovery.Result(false, 2, 1, 0, 0, 0), result);
        List<WireItem> items = onLoop(() -> new ArrayList<>(state.recoveredItems));
        assertEquals(Map.of(KEY_1, ITEM_1, KEY_2, ITEM_2), byKey(items));
        assertEquals(List.of(new Assignment(0x617d23efL, new Fid(0x200005223L, 0x1cce, 0), "mover-3")),
                onLoop(() -> new ArrayList<>(state.recoveredAssignments)));
        assertEquals(1, onLoop(() -> state.recoveredCalls));
        // Nothing was rewritten: the original's text is still there byte for byte.
        assertEquals(Map.of(KEY_1, JSON_1, KEY_2, JSON_2), redis.hgetall(REQUESTS));
        assertEquals(Map.of(KEY_1, "mover-3"), redis.hgetall(ASSIGNED));
    }

    @Test
    void invalidEntriesAreSkippedAndTheRestRecovered() throws Exception {
        String unknownKey = RequestKeys.format(99, new Fid(0x200000999L, 1, 0));
        WireItem misfiled = item(3);
        String misfiledJson = ItemJson.toCompactJson(misfiled);
        String wrongKey = RequestKeys.format(12345, new Fid(0x200000777L, 7, 0));
        try (RedisServerProcess.Client c = redis.client()) {
            c.call("HSET", REQUESTS,
                    KEY_1, JSON_1,
                    KEY_2, JSON_2,
                    "0000000000000001000000020000000100000001000000000", "{not json",
                    RequestKeys.format(2, Fid.ZERO), JSON_1.replace(",\"hai_gid\":0", ""),
                    RequestKeys.format(3, Fid.ZERO), JSON_1.replace("\"hal_archive_id\":1,", ""),
                    RequestKeys.format(4, Fid.ZERO), JSON_1.replace("\"hai_action\":20", "\"hai_action\":23"),
                    RequestKeys.format(5, Fid.ZERO), JSON_1 + " {}",
                    RequestKeys.format(6, Fid.ZERO), "[1,2]",
                    wrongKey, misfiledJson);
            c.call("HSET", ASSIGNED,
                    "not-a-key", "mover-1",
                    KEY_1.toUpperCase(), "mover-1",
                    KEY_2, "mover-2",
                    unknownKey, "mover-9",
                    KEY_1, "");
        }
        connect(settings());
        RedisRecovery.Result result = RedisRecovery.run(store);

        assertEquals(new RedisRecovery.Result(false, 3, 1, 6, 3, 1), result);
        List<WireItem> items = onLoop(() -> new ArrayList<>(state.recoveredItems));
        assertEquals(Map.of(KEY_1, ITEM_1, KEY_2, ITEM_2, RequestKeys.format(misfiled), misfiled),
                byKey(items));
        assertEquals(List.of(new Assignment(7, ITEM_2.dfid(), "mover-2")),
                onLoop(() -> new ArrayList<>(state.recoveredAssignments)));

        // The stale assignment is gone, the misfiled request moved to its key, the rest kept.
        await("recovery fix-ups written", () -> !redis.hgetall(ASSIGNED).containsKey(unknownKey)
                && !redis.hgetall(REQUESTS).containsKey(wrongKey));
        Map<String, String> requests = redis.hgetall(REQUESTS);
        assertEquals(misfiledJson, requests.get(RequestKeys.format(misfiled)));
        assertEquals(9, requests.size());
        assertEquals(4, redis.hgetall(ASSIGNED).size());
    }

    @Test
    void aLargeDumpIsRecoveredInBatches() throws Exception {
        int count = 100_000;
        Map<String, WireItem> written = new HashMap<>();
        try (RedisServerProcess.Client c = redis.client()) {
            List<String> args = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                if (args.isEmpty()) {
                    args.add("HSET");
                    args.add(REQUESTS);
                }
                WireItem it = item(i);
                String key = RequestKeys.format(it);
                written.put(key, it);
                args.add(key);
                args.add(ItemJson.toCompactJson(it));
                if (args.size() >= 2 + 2 * 5000 || i == count - 1) {
                    c.call(args.toArray(new String[0]));
                    args.clear();
                }
            }
            c.call("HSET", ASSIGNED, RequestKeys.format(item(17)), "mover-17");
        }
        connect(settings().withScanCount(7_000));
        RedisRecovery.Result result = RedisRecovery.run(store);

        assertEquals(new RedisRecovery.Result(false, count, 1, 0, 0, 0), result);
        Map<String, WireItem> recovered = byKey(onLoop(() -> new ArrayList<>(state.recoveredItems)));
        assertEquals(written, recovered);
    }

    @Test
    void losingRedisDuringRecoveryFailsStartUp() {
        connect(settings());
        redis.kill();
        RedisRecoveryException e = assertThrows(RedisRecoveryException.class,
                () -> RedisRecovery.run(store));
        assertTrue(e.getMessage().contains("empty redis_host"), e.getMessage());
        assertEquals(0, onLoop(() -> state.recoveredCalls));
    }

    @Test
    void aReconnectionBeforeRecoveryDoesNotOverwriteRedis() throws Exception {
        connect(settings());
        redis.restart();
        try (RedisServerProcess.Client c = redis.client()) {
            c.call("HSET", REQUESTS, KEY_1, JSON_1);
        }
        await("reconnected", () -> store.stats().connections() == 2 && store.isConnected());
        RedisRecovery.Result result = RedisRecovery.run(store);

        assertEquals(1, result.requests());
        // Recovery being over, the pending re-synchronisation runs and writes the same state.
        await("re-synchronised", () -> store.stats().resyncs() == 1);
        assertEquals(Map.of(KEY_1, ItemJson.toCompactJson(ITEM_1)), redis.hgetall(REQUESTS));
    }

    private static Map<String, WireItem> byKey(List<WireItem> items) {
        Map<String, WireItem> m = new LinkedHashMap<>();
        for (WireItem it : items) {
            m.put(RequestKeys.format(it), it);
        }
        return m;
    }
}
