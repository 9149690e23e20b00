package org.coordinatool.coordinator.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.hsm.Fid;
import org.junit.jupiter.api.Test;

class RequestTableTest {

    private static Request request(long cookie, Fid dfid) {
        return Request.of(new WireItem(20, dfid, dfid, 0, -1, cookie, 0, 1, 0, new byte[0], 0, null));
    }

    private record Key(long cookie, Fid dfid) {
    }

    /** Random adds and removals, checked against a HashMap; few distinct values force collisions. */
    @Test
    void behavesLikeAMapUnderRandomOperations() {
        RequestTable table = RequestTable.byIdentity();
        Map<Key, Request> reference = new HashMap<>();
        Random random = new Random(7);
        for (int step = 0; step < 50_000; step++) {
            long cookie = random.nextInt(300);
            Fid dfid = new Fid(0x200000400L + random.nextInt(3), random.nextInt(20), random.nextInt(2));
            Key key = new Key(cookie, dfid);
            Request present = reference.get(key);
            assertSame(present, table.find(cookie, dfid));
            if (present == null) {
                Request r = request(cookie, dfid);
                table.add(r);
                reference.put(key, r);
            } else if (random.nextBoolean()) {
                assertTrue(table.remove(present));
                reference.remove(key);
            }
            assertEquals(reference.size(), table.size());
        }
        List<Request> seen = new ArrayList<>();
        table.forEach(seen::add);
        assertEquals(reference.size(), seen.size());
        Set<Request> expected = Collections.newSetFromMap(new IdentityHashMap<>());
        expected.addAll(reference.values());
        assertTrue(expected.containsAll(seen));
    }

    @Test
    void reservingRoomKeepsEveryRequestFindable() {
        RequestTable table = RequestTable.byIdentity();
        List<Request> added = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Request r = request(i, new Fid(0x200000400L, i, 0));
            table.add(r);
            added.add(r);
        }
        table.reserve(100_000);
        for (int i = 100; i < 5_000; i++) {
            Request r = request(i, new Fid(0x200000400L, i, 0));
            table.add(r);
            added.add(r);
        }
        table.reserve(0);
        assertEquals(added.size(), table.size());
        for (Request r : added) {
            assertSame(r, table.find(r.cookie(), r.dfid()));
        }
        for (Request r : added.subList(0, 2_500)) {
            assertTrue(table.remove(r));
        }
        assertNull(table.find(0, new Fid(0x200000400L, 0, 0)));
        assertSame(added.get(4_999), table.find(4_999, new Fid(0x200000400L, 4_999, 0)));
        assertEquals(2_500, table.size());
    }

    @Test
    void removeOfAnAbsentRequestReportsIt() {
        RequestTable table = RequestTable.byIdentity();
        Request r = request(1, new Fid(1, 1, 0));
        assertFalse(table.remove(r));
        table.add(r);
        assertFalse(table.remove(request(1, new Fid(1, 1, 0))));
        assertTrue(table.remove(r));
        assertNull(table.find(1, new Fid(1, 1, 0)));
    }

    @Test
    void lowCookieTableMatchesTruncatedCookiesAndHoldsDuplicates() {
        RequestTable table = RequestTable.byLowCookie();
        Fid dfid = new Fid(0x200000400L, 5, 0);
        Request a = request(0x0000_0001_8000_0001L, dfid);
        Request b = request(0x0000_0002_8000_0001L, dfid);
        table.add(a);
        table.add(b);
        long signExtended = (long) (int) 0x8000_0001L;
        assertSame(a, table.find(signExtended, dfid));
        assertSame(b, table.find(signExtended, dfid, r -> r == b));
        assertSame(a, table.find(0x8000_0001L, dfid));
        assertNull(table.find(0x8000_0002L, dfid));
        assertNull(table.find(signExtended, new Fid(0x200000400L, 6, 0)));
        assertTrue(table.remove(a));
        assertSame(b, table.find(signExtended, dfid));
    }
}
