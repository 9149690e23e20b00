package org.coordinatool.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestLedgerTest {

    private final SyntheticRequests requests = new SyntheticRequests(7, 4, 2, ActionMix.parse("archive=1,restore=1"),
            1, SyntheticRequests.data(8));
    private final RequestLedger ledger = new RequestLedger(requests);

    @Test
    void itemsAreTracedBackToTheirRequestOnlyWithTheirOwnCookieAndDfid() {
        assertEquals(3, requests.indexOf(requests.cookie(3), requests.fid(3)));
        assertEquals(5, requests.indexOf(requests.cookie(5), requests.fid(5)));
        assertEquals(-1, requests.indexOf(requests.cookie(3), requests.fid(2)));
        assertEquals(-1, requests.indexOf(requests.cookie(6), requests.fid(6)));
        assertEquals(-1, requests.indexOf(8L << 32 | 3, requests.fid(3)));
        assertEquals(21, requests.item(1).action());
        assertEquals(20, requests.item(5).action());
        assertEquals("bench=xx", new String(requests.item(0).data(), StandardCharsets.US_ASCII));
    }

    @Test
    void aCompleteRunHasNoOffendersAndExactLatencies() {
        for (int i = 0; i < 4; i++) {
            ledger.queued(i, 10);
            assertTrue(ledger.dispatched(i, 10 + i, "a"));
            ledger.done(i, 100);
        }
        assertTrue(ledger.allCompleted());
        assertEquals(List.of(), ledger.offenders());
        assertArrayEquals(new long[] {0, 1, 2, 3}, ledger.queueLatencies());
        assertArrayEquals(new long[] {90, 89, 88, 87}, ledger.serviceLatencies());
    }

    @Test
    void repeatedLostUnfinishedAndPreloadedDispatchesAreOffenders() {
        assertTrue(ledger.dispatched(0, 1, "a"));
        ledger.done(0, 2);
        assertFalse(ledger.dispatched(0, 3, "b"));
        assertTrue(ledger.dispatched(1, 1, "a"));
        assertFalse(ledger.dispatched(4, 1, "a"));
        ledger.foreign("ARCHIVE cookie 0x1", "a");
        List<String> offenders = ledger.offenders();
        String d0 = "archive request 0 (cookie 0x700000000, dfid " + requests.fid(0).format() + ")";
        assertEquals(List.of(d0 + " dispatched again, to b",
                "preloaded archive archive request 4 (cookie 0x700000004, dfid " + requests.fid(4).format()
                        + ") dispatched to a although no agent takes archives",
                "unknown item ARCHIVE cookie 0x1 dispatched to a",
                "archive request 2 (cookie 0x700000002, dfid " + requests.fid(2).format() + ") never dispatched",
                "restore request 3 (cookie 0x700000003, dfid " + requests.fid(3).format() + ") never dispatched",
                "restore request 1 (cookie 0x700000001, dfid " + requests.fid(1).format()
                        + ") dispatched but its done was not acknowledged"), offenders);
        assertFalse(ledger.allCompleted());
    }
}
