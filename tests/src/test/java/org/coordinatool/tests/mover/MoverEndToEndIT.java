package org.coordinatool.tests.mover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.coordinatool.coordinator.redis.RedisServerProcess;
import org.coordinatool.tests.support.Await;
import org.coordinatool.tests.support.CoordinatorProcess;
import org.coordinatool.tests.support.MoverProcess;
import org.coordinatool.tests.support.MoverSite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unmodified copytools driven by the coordinator, end to end through real processes: the
 * simulator, {@code lhsmd_coordinatool} with a real Redis, and {@code coordinatool-mover} running
 * {@code lsim-copytool} under the preload shim (spec §16.2 scenarios 01, 04 and 05).
 */
class MoverEndToEndIT {

    static final int FILES = 100;
    static final int MAX_SIZE = 64 * 1024;

    @TempDir
    Path work;

    RedisServerProcess redis;
    MoverSite site;
    long t0;

    @BeforeEach
    void start() {
        redis = RedisServerProcess.start();
        site = MoverSite.start(work, "mover");
        t0 = System.nanoTime();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            site.close();
        } finally {
            redis.close();
        }
    }

    CoordinatorProcess coordinator() {
        return site.start(site.coordinator().redis(redis.host(), redis.port()));
    }

    long elapsedMs() {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** Waits until some but not all files are archived: work is queued and running. */
    void awaitUnderLoad(List<Path> files, int atLeast) {
        Await.value(MoverSite.DEADLINE, atLeast + " files archived", () -> site.countArchived(files),
                n -> n >= atLeast);
    }

    /** 01: archive, restore and remove through two movers, every byte checked. */
    @Test
    void archiveRestoreAndRemoveThroughTwoMovers() {
        CoordinatorProcess coordinator = coordinator();
        MoverProcess m1 = site.start(site.mover("mover1", coordinator));
        MoverProcess m2 = site.start(site.mover("mover2", coordinator));
        m1.awaitConnected(MoverSite.DEADLINE);
        m2.awaitConnected(MoverSite.DEADLINE);
        List<Path> files = site.createFiles("file", FILES, MAX_SIZE);

        site.archiveAll(files);
        site.releaseAndRestoreAll(files);
        site.removeAll(files);

        JsonNode status = MoverSite.awaitIdle(coordinator);
        for (String kind : List.of("archive", "restore", "remove")) {
            assertEquals(FILES, status.path("done_" + kind).asInt(), kind + "s done: " + status);
        }
        long byM1 = doneBy(status, "mover1");
        long byM2 = doneBy(status, "mover2");
        assertEquals(3L * FILES, byM1 + byM2, status.toString());
        assertTrue(byM1 > 0 && byM2 > 0, "both movers worked: " + status);
        assertTrue(m1.isAlive() && m2.isAlive());
        System.out.printf("MoverEndToEndIT 01: %d files archived, restored and removed byte-exact by two movers"
                + " (%d + %d requests) in %d ms%n", FILES, byM1, byM2, elapsedMs());
    }

    static long doneBy(JsonNode status, String id) {
        JsonNode c = MoverSite.client(status, id);
        return c.path("done_archive").asLong() + c.path("done_restore").asLong() + c.path("done_remove").asLong();
    }

    /** 04: the coordinator restarts while both movers transfer; Redis and the movers' ehlo bring everything back. */
    @Test
    void coordinatorRestartUnderLoad() {
        CoordinatorProcess coordinator = coordinator();
        MoverProcess m1 = site.start(site.mover("mover1", coordinator).copytool("-b", "2"));
        MoverProcess m2 = site.start(site.mover("mover2", coordinator).copytool("-b", "2"));
        m1.awaitConnected(MoverSite.DEADLINE);
        m2.awaitConnected(MoverSite.DEADLINE);
        List<Path> files = site.createFiles("file", FILES, MAX_SIZE);

        site.lfs("hsm_archive", files);
        awaitUnderLoad(files, 10);
        assertEquals(0, coordinator.terminate(), coordinator.log());
        long archivedAtRestart = site.countArchived(files);
        CoordinatorProcess restarted = site.restart(coordinator);
        m1.awaitLog("connected to the coordinator", 2, MoverSite.DEADLINE);
        m2.awaitLog("connected to the coordinator", 2, MoverSite.DEADLINE);

        site.awaitStates(files, "archived", MoverSite::archived);
        site.assertArchiveCopies(files);
        MoverSite.awaitIdle(restarted);
        assertTrue(m1.isAlive() && m2.isAlive() && restarted.isAlive(), "movers and coordinator still running");
        System.out.printf("MoverEndToEndIT 04: %d files archived by two movers across a coordinator restart"
                + " (%d archived before it) in %d ms%n", FILES, archivedAtRestart, elapsedMs());
    }

    /** 05: the mover dies with its copytool under load; restarted with the same id, it gets the work back. */
    @Test
    void moverKilledUnderLoadGetsItsWorkBackWhenRestarted() {
        CoordinatorProcess coordinator = coordinator();
        MoverProcess m1 = site.start(site.mover("mover1", coordinator).copytool("-b", "2"))
                .awaitConnected(MoverSite.DEADLINE);
        List<Path> files = site.createFiles("file", FILES, MAX_SIZE);

        site.lfs("hsm_archive", files);
        awaitUnderLoad(files, 10);
        m1.killTree();
        long archivedAtKill = site.countArchived(files);
        MoverProcess restarted = site.restart(m1).awaitConnected(MoverSite.DEADLINE);

        site.awaitStates(files, "archived", MoverSite::archived);
        site.assertArchiveCopies(files);
        MoverSite.awaitIdle(coordinator);
        assertTrue(restarted.isAlive() && coordinator.isAlive());
        System.out.printf("MoverEndToEndIT 05: %d files archived, mover killed after %d and restarted, in %d ms%n",
                FILES, archivedAtKill, elapsedMs());
    }

    /** 05, orderly: TERM lets running transfers finish (or gives them back), exit 0, and a new mover goes on. */
    @Test
    void moverTerminatedUnderLoadExitsCleanlyAndItsSuccessorFinishes() {
        CoordinatorProcess coordinator = coordinator();
        MoverProcess.Settings settings = site.mover("mover1", coordinator).mover("--stop-timeout", "0.2")
                .copytool("-b", "2");
        MoverProcess m1 = site.start(settings).awaitConnected(MoverSite.DEADLINE);
        List<Path> files = site.createFiles("file", FILES, MAX_SIZE);

        site.lfs("hsm_archive", files);
        awaitUnderLoad(files, 10);
        assertEquals(0, m1.terminate(), m1.log());
        long archivedAtStop = site.countArchived(files);
        JsonNode afterStop = MoverSite.status(coordinator);
        assertEquals(0, MoverSite.client(afterStop, "mover1").path("current_archive").asInt(),
                "nothing left assigned to the stopped mover: " + afterStop);
        MoverProcess restarted = site.restart(m1).awaitConnected(MoverSite.DEADLINE);

        site.awaitStates(files, "archived", MoverSite::archived);
        site.assertArchiveCopies(files);
        MoverSite.awaitIdle(coordinator);
        assertTrue(restarted.isAlive());
        System.out.printf("MoverEndToEndIT 05 (TERM): %d files archived, mover stopped after %d and replaced,"
                + " in %d ms%n", FILES, archivedAtStop, elapsedMs());
    }
}
