package org.coordinatool.coordinator.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.hsm.Fid;
import org.junit.jupiter.api.Test;

class DfidIndexTest {

    private static Request request(long cookie, Fid dfid) {
        return Request.of(new WireItem(20, dfid, dfid, 0, -1, cookie, 0, 1, 0, new byte[0], 0, null));
    }

    private static Set<Request> of(DfidIndex index, Fid dfid) {
        Set<Request> found = Collections.newSetFromMap(new IdentityHashMap<>());
        index.forEach(dfid, r -> assertTrue(found.add(r), "visited twice: " + r));
        return found;
    }

    /** Random adds and removals checked against a map of lists; few files force collisions and chains. */
    @Test
    void behavesLikeAMultimapUnderRandomOperations() {
        DfidIndex index = new DfidIndex();
        Map<Fid, List<Request>> reference = new HashMap<>();
        Random random = new Random(11);
        long cookie = 0;
        for (int step = 0; step < 50_000; step++) {
            Fid dfid = new Fid(0x200000400L + random.nextInt(3), random.nextInt(200), random.nextInt(2));
            List<Request> present = reference.computeIfAbsent(dfid, k -> new ArrayList<>());
            if (present.isEmpty() || random.nextInt(3) > 0 && present.size() < 4) {
                Request r = request(cookie++, dfid);
                index.add(r);
                present.add(r);
            } else {
                Request r = present.remove(random.nextInt(present.size()));
                assertTrue(index.remove(r));
                assertFalse(index.remove(r));
            }
            Set<Request> expected = Collections.newSetFromMap(new IdentityHashMap<>());
            expected.addAll(present);
            assertEquals(expected, of(index, dfid));
        }
        long files = reference.values().stream().filter(l -> !l.isEmpty()).count();
        assertEquals(files, index.files());
        for (Map.Entry<Fid, List<Request>> e : reference.entrySet()) {
            assertEquals(e.getValue().size(), of(index, e.getKey()).size());
        }
    }

    @Test
    void unknownFileAndUnknownRequest() {
        DfidIndex index = new DfidIndex();
        Fid dfid = new Fid(1, 2, 0);
        assertEquals(Set.of(), of(index, dfid));
        Request a = request(1, dfid);
        assertFalse(index.remove(a));
        index.add(a);
        assertFalse(index.remove(request(2, dfid)));
        assertEquals(Set.of(a), of(index, dfid));
    }
}
