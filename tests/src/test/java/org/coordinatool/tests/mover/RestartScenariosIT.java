package org.coordinatool.tests.mover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.coordinatool.hsm.Fid;
import org.coordinatool.tests.support.Await;
import org.coordinatool.tests.support.CoordinatorProcess;
import org.coordinatool.tests.support.MoverProcess;
import org.coordinatool.tests.support.MoverSite;
import org.coordinatool.tests.support.StatusDump;
import org.coordinatool.tests.support.Summary;
import org.junit.jupiter.api.Test;

/**
 * Spec §16.2 scenarios around restarts, through real processes: the coordinator restarted with
 * its queue lost (02, requeued from Lustre's active requests) or kept in Redis (03), a mover
 * stopped while it holds work (06), the coordinator without Redis (08) and Redis restarted under
 * load (09).
 */
class RestartScenariosIT extends MoverSiteTest {

    static final int FILES = 100;
    static final String REQUESTS = "coordinatool_requests";
    static final String ASSIGNED = "coordinatool_assigned";

    @Override
    String fsname() {
        return "restart";
    }

    /** All archived byte for byte, the coordinator idle with every archive counted, Lustre with nothing active. */
    void assertAllArchived(List<Path> files, CoordinatorProcess coordinator) {
        site.awaitStates(files, "archived", MoverSite::archived);
        site.assertArchiveCopies(files);
        JsonNode idle = MoverSite.awaitIdle(coordinator);
        assertEquals(files.size(), idle.path("done_archive").asInt(), idle.toString());
        awaitNoActiveRequest();
    }

    /** 02: without Redis a restart loses the queue; Lustre's active_requests fed to {@code -Q} bring it back. */
    @Test
    void serverRestartParseActiveRequests() {
        Summary summary = Summary.start("RestartScenariosIT 02");
        CoordinatorProcess first = site.start(site.coordinator());
        List<Path> files = site.createFiles("file", FILES, MAX_SIZE);
        site.lfs("hsm_archive", files);
        awaitPendingArchives(first, FILES);

        assertEquals(0, first.terminate(), first.log());
        CoordinatorProcess second = site.restart(first);
        assertEquals(0, MoverSite.status(second).path("pending_archive").asInt(),
                "a server without Redis starts with nothing queued");
        assertEquals(FILES, site.requeueActiveRequests(second));
        awaitPendingArchives(second, FILES);
        site.start(site.mover("mover1", second));

        assertAllArchived(files, second);
        summary.print(FILES + " archives lost in a restart without Redis, requeued from active_requests and archived"
                + " by mover1");
    }

    /** 03: with Redis the restarted coordinator recovers its whole queue before it accepts any agent. */
    @Test
    void serverRestartCoordinatoolRecovery() {
        Summary summary = Summary.start("RestartScenariosIT 03");
        CoordinatorProcess first = coordinatorWithRedis();
        List<Path> files = site.createFiles("file", FILES, MAX_SIZE);
        site.lfs("hsm_archive", files);
        awaitPendingArchives(first, FILES);
        awaitPersisted(REQUESTS, FILES);

        assertEquals(0, first.terminate(), first.log());
        CoordinatorProcess second = site.restart(first);
        assertEquals(FILES, MoverSite.status(second).path("pending_archive").asInt(),
                "the queue is recovered from Redis before the server listens");
        site.start(site.mover("mover1", second));

        assertAllArchived(files, second);
        awaitPersisted(REQUESTS, 0);
        awaitPersisted(ASSIGNED, 0);
        summary.print(FILES + " archives recovered from Redis by a restarted coordinator and archived by mover1");
    }

    /**
     * 06: mover1 stops for good while it holds work; after its grace period the work goes to mover2.
     * Made deterministic: mover1's copytool is frozen while it waits for work, so it holds exactly
     * what it is handed and never ends anything, then mover1 is killed with its copytool.
     */
    @Test
    void serverStopLhsmtoolcmdBusy() {
        Summary summary = Summary.start("RestartScenariosIT 06");
        CoordinatorProcess coordinator = site.start(site.coordinator().config("client_grace_ms 500"));
        MoverProcess m1 = site.start(site.moverWithOwnArchive("mover1", coordinator));
        MoverProcess m2 = site.start(site.moverWithOwnArchive("mover2", coordinator));
        List<Path> warmUp = site.createFiles("warm", FILES / 2, MAX_SIZE);
        List<Path> files = site.createFiles("file", FILES / 2, MAX_SIZE);
        MoverSite.awaitWaiting(coordinator, "mover1");
        MoverSite.awaitWaiting(coordinator, "mover2");

        site.lfs("hsm_archive", warmUp);
        site.awaitStates(warmUp, "archived", MoverSite::archived);
        JsonNode warm = MoverSite.awaitIdle(coordinator);
        long warmByM1 = MoverSite.client(warm, "mover1").path("done_archive").asLong();
        assertTrue(warmByM1 > 0 && warmByM1 < warmUp.size(), "both movers worked: " + warm);

        MoverSite.awaitWaiting(coordinator, "mover1");
        m1.freezeCopytool();
        site.lfs("hsm_archive", files);
        JsonNode stuck = MoverSite.awaitStatus(coordinator, "mover2 done with all but what frozen mover1 holds",
                s -> s.path("pending_archive").asInt() == 0 && s.path("running_archive").asInt() > 0
                        && s.path("running_archive").asInt()
                                == MoverSite.client(s, "mover1").path("current_archive").asInt());
        Set<Fid> held = Set.copyOf(StatusDump.clientQueue(stuck, "mover1", "active_requests"));
        assertTrue(held.size() <= 3, "at most max_archive held by mover1: " + stuck);
        List<Path> heldFiles = files.stream().filter(f -> held.contains(site.site().fid(f))).toList();
        assertEquals(held.size(), heldFiles.size(), "mover1 holds files of this run: " + stuck);
        site.awaitStates(files.stream().filter(f -> !heldFiles.contains(f)).toList(), "archived by mover2",
                MoverSite::archived);

        m1.killTree();
        site.awaitStates(files, "archived", MoverSite::archived);
        site.assertArchiveCopies(files, site.archiveOf("mover2"));
        coordinator.awaitLog("Grace period of mover1 expired", MoverSite.DEADLINE);
        assertEquals(List.of(), site.copiedInto(site.archiveOf("mover1"), files), "mover1 copied none of them");
        JsonNode end = MoverSite.awaitIdle(coordinator);
        assertEquals(warmUp.size() - warmByM1 + files.size(), MoverSite.client(end, "mover2").path("done_archive")
                .asLong(), end.toString());
        assertTrue(m2.isAlive() && coordinator.isAlive());
        summary.print(warmUp.size() + " + " + files.size() + " files archived by two movers, mover1 stopped holding "
                + held.size() + " that mover2 archived after the grace period");
    }


    /** 08: no Redis at all. */
    @Test
    void noRedis() {
        Summary summary = Summary.start("RestartScenariosIT 08");
        CoordinatorProcess coordinator = site.start(site.coordinator());
        site.start(site.mover("mover1", coordinator));
        List<Path> files = site.createFiles("file", 5, MAX_SIZE);
        site.lfs("hsm_archive", files);
        assertAllArchived(files, coordinator);
        assertTrue(coordinator.log().contains("Redis recovery skipped"),
                "the server says it runs without Redis:\n" + coordinator.log());
        summary.print("5 files archived by mover1 through a coordinator without Redis");
    }

    /** 09: Redis restarts (empty) under load; transfers go on, and Redis ends up consistent again. */
    @Test
    void redisRestart() {
        Summary summary = Summary.start("RestartScenariosIT 09");
        CoordinatorProcess coordinator = coordinatorWithRedis();
        site.start(site.mover("mover1", coordinator).copytool("-b", "2"));
        List<Path> files = site.createFiles("file", FILES, MAX_SIZE);
        site.lfs("hsm_archive", files);
        Await.value(MoverSite.DEADLINE, "some files archived", () -> site.countArchived(files), n -> n >= 5);

        redis.restart();
        long archivedAtRestart = site.countArchived(files);
        assertTrue(archivedAtRestart < FILES, "Redis restarted under load");
        coordinator.awaitLog("Redis re-synchronised", MoverSite.DEADLINE);

        assertAllArchived(files, coordinator);
        awaitPersisted(REQUESTS, 0);
        awaitPersisted(ASSIGNED, 0);
        assertTrue(coordinator.isAlive());
        summary.print(FILES + " files archived by mover1 across a Redis restart (" + archivedAtRestart
                + " archived before it)");
    }
}
