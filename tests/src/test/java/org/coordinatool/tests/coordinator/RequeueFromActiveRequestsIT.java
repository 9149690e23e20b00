package org.coordinatool.tests.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.coordinatool.hsm.Fid;
import org.coordinatool.tests.support.CoordinatorProcess;
import org.coordinatool.tests.support.CoordinatorSite;
import org.coordinatool.tests.support.ProcessResult;
import org.coordinatool.tests.support.ProtocolAgent;
import org.coordinatool.tests.support.ProtocolAgent.Limits;
import org.coordinatool.tests.support.ReceivedItem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server without Redis loses its queue when it is killed; Lustre still lists the requests as
 * active (they were handed to the dead server). Feeding {@code lsim active_requests} (Lustre's
 * {@code hsm.active_requests}) to {@code coordinatool-client -Q} queues them in the restarted
 * server, which dispatches them again. A malformed line is reported with its number and skipped.
 */
class RequeueFromActiveRequestsIT {

    private static final Duration WAIT = CoordinatorSite.DEADLINE;
    private static final int FILES = 10;

    @TempDir
    Path work;

    private CoordinatorSite site;

    @BeforeEach
    void start() {
        site = CoordinatorSite.start(work, "requeue");
    }

    @AfterEach
    void stop() throws Exception {
        site.close();
    }

    @Test
    void activeRequestsOfALostServerAreQueuedAgainAndDispatched() {
        long t0 = System.nanoTime();
        CoordinatorProcess first = site.start(site.coordinator());
        List<Path> files = site.createFiles("f", FILES);
        Map<Fid, Path> fids = site.fids(files);
        site.lfs("hsm_archive", files, "--data", "tag=requeued");
        try (ProtocolAgent admin = ProtocolAgent.connect(first.port(), "admin")) {
            CoordinatorSite.awaitPending(admin, "archive", FILES);
        }
        assertEquals(137, first.kill9(), "launcher status after the server's JVM was killed");

        CoordinatorProcess second = site.restart(first);
        ProtocolAgent agent = site.agent(second, "mover-1");
        assertEquals(0, agent.status(4).path("pending_archive").asInt(), "a server without Redis starts empty");

        List<String> listing = new ArrayList<>(
                site.mount().lsim("active_requests").requireOk().stdout().lines().toList());
        assertEquals(FILES, listing.size(), String.join("\n", listing));
        listing.add(4, "fid=[0x200000401:0x1:0x0] this line is not a request");
        byte[] input = (String.join("\n", listing) + "\n").getBytes(StandardCharsets.UTF_8);
        ProcessResult queued = CoordinatorSite.client(second, input, "-Q");

        assertEquals(0, queued.exitCode(), queued.describe());
        assertTrue(queued.stdout().contains("enqueued " + FILES + ", skipped 0, rejected 1"), queued.describe());
        assertTrue(queued.stderr().contains("line 5: "),
                "the malformed line is named by its number: " + queued.describe());

        Set<Fid> seen = new HashSet<>();
        while (seen.size() < FILES) {
            for (ReceivedItem item : agent.receive(Limits.UNLIMITED, WAIT).items()) {
                assertTrue(fids.containsKey(item.fid()), "a requeued request: " + item.json());
                assertTrue(seen.add(item.fid()), "dispatched once: " + item.json());
                // Lustre's listing shows only the first 5 bytes of the data.
                assertTrue(item.dataText().startsWith("tag=r"), item.json().toString());
                site.mover().complete(item);
                agent.done(item, 0);
            }
        }
        site.awaitArchived(files, 1);
        site.assertArchivedContents(files);
        assertEquals(List.of(), site.mount().activeRequests());
        System.out.printf("RequeueFromActiveRequestsIT: %d requests of a killed server requeued with -Q (1 bad line"
                + " skipped) and archived in %d ms%n", FILES, (System.nanoTime() - t0) / 1_000_000);
    }
}
