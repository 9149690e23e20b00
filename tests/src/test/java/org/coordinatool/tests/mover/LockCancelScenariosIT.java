package org.coordinatool.tests.mover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.coordinatool.tests.support.Await;
import org.coordinatool.tests.support.CoordinatorProcess;
import org.coordinatool.tests.support.CoordinatorSite;
import org.coordinatool.tests.support.LogText;
import org.coordinatool.tests.support.MoverProcess;
import org.coordinatool.tests.support.MoverSite;
import org.coordinatool.tests.support.ProcessResult;
import org.coordinatool.tests.support.SimMount.HsmFileState;
import org.coordinatool.tests.support.Summary;
import org.junit.jupiter.api.Test;

/**
 * Spec §16.2 scenarios 12 (lock and lock-and-quit) and 14 ({@code lfs hsm_cancel}) through real
 * movers. The original blocked its copytools on a wait file; here a mover's copytool is frozen
 * (SIGSTOP) while it waits for work, so it holds exactly what it is handed until it is thawed, and
 * every step waits for the coordinator's counters or Lustre's records instead of sleeping.
 */
class LockCancelScenariosIT extends MoverSiteTest {

    static final int FILES = 10;
    /** The original's test configuration (grace 5 s), long enough to observe the state before it expires. */
    static final int GRACE_MS = 5000;

    @Override
    String fsname() {
        return "lockcanc";
    }

    static void lockCli(CoordinatorProcess coordinator, String option) {
        ProcessResult r = CoordinatorSite.client(coordinator, null, option);
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals("ok", r.stdout().strip(), r.describe());
    }

    static boolean counts(JsonNode s, int running, int pending) {
        return s.path("running_archive").asInt() == running && s.path("pending_archive").asInt() == pending;
    }

    /**
     * 12: locked, nothing new is dispatched though the mover asks; unlocked, the next three go out;
     * lock-and-quit keeps the server up while those three run and ends it with status 0 after them.
     */
    @Test
    void lockAndQuit() {
        Summary summary = Summary.start("LockCancelScenariosIT 12");
        CoordinatorProcess coordinator = site.start(site.coordinator());
        MoverProcess m1 = site.start(site.mover("mover1", coordinator));
        List<Path> files = site.createFiles("file", FILES, MAX_SIZE);
        MoverSite.awaitWaiting(coordinator, "mover1");
        m1.freezeCopytool();
        site.lfs("hsm_archive", files);
        MoverSite.awaitStatus(coordinator, "3 archives on frozen mover1, 7 queued", s -> counts(s, 3, 7)
                && MoverSite.client(s, "mover1").path("current_archive").asInt() == 3);

        lockCli(coordinator, "--lock");
        m1.thawCopytool();
        JsonNode locked = MoverSite.awaitStatus(coordinator, "the first 3 done and mover1 asking for more",
                s -> counts(s, 0, 7) && "waiting".equals(MoverSite.client(s, "mover1").path("status").asText()));
        assertEquals(1, locked.path("locked").asInt(), locked.toString());
        assertEquals(3, site.countArchived(files), "exactly 3 archived while locked");

        m1.freezeCopytool();
        lockCli(coordinator, "--unlock");
        MoverSite.awaitStatus(coordinator, "3 more archives on frozen mover1 after unlock", s -> counts(s, 3, 4));
        lockCli(coordinator, "--lock-quit");
        JsonNode quitting = MoverSite.status(coordinator);
        assertEquals(2, quitting.path("locked").asInt(), quitting.toString());
        assertTrue(counts(quitting, 3, 4), "3 transfers in flight, 4 queued: " + quitting);
        assertTrue(coordinator.isAlive(), "lock-and-quit waits for the running transfers");

        m1.thawCopytool();
        assertEquals(0, coordinator.waitForExit(MoverSite.DEADLINE), coordinator.log());
        assertTrue(coordinator.log().contains("Lock-and-quit: nothing is running any more"), coordinator.log());
        assertEquals(6, site.countArchived(files), "exactly 6 archived in total");
        List<Path> archived = files.stream().filter(f -> MoverSite.archived(site.mount().hsmState(f))).toList();
        site.assertArchiveCopies(archived);
        summary.print("3 files archived while locked, 3 more after unlock, server exited 0 after lock-and-quit"
                + " with 4 still queued");
    }

    /**
     * 14: with 3 archives running on each mover, mover2 is killed, then everything is cancelled.
     * The 4 queued requests are ended in Lustre at once; mover1's cancels wait for its next recv
     * and reach its copytool as 3 cancel items; mover2's 3 are ended in Lustre when its grace expires.
     */
    @Test
    void hsmCancel() {
        Summary summary = Summary.start("LockCancelScenariosIT 14");
        CoordinatorProcess coordinator = site.start(site.coordinator().config("client_grace_ms " + GRACE_MS));
        MoverProcess m1 = site.start(site.moverWithOwnArchive("mover1", coordinator));
        MoverProcess m2 = site.start(site.moverWithOwnArchive("mover2", coordinator));
        List<Path> files = site.createFiles("file", FILES, MAX_SIZE);
        MoverSite.awaitWaiting(coordinator, "mover1");
        MoverSite.awaitWaiting(coordinator, "mover2");
        m1.freezeCopytool();
        m2.freezeCopytool();
        site.lfs("hsm_archive", files);
        MoverSite.awaitStatus(coordinator, "3 archives on each frozen mover, 4 queued", s -> counts(s, 6, 4)
                && MoverSite.client(s, "mover1").path("current_archive").asInt() == 3);

        m2.killTree();
        MoverSite.awaitStatus(coordinator, "mover2 disconnected",
                s -> "disconnected".equals(MoverSite.client(s, "mover2").path("status").asText()));
        site.lfs("hsm_cancel", files);
        JsonNode cancelled = MoverSite.awaitStatus(coordinator, "the 4 queued requests cancelled",
                s -> counts(s, 6, 0) && s.path("done_cancel").asInt() == 4);
        assertEquals(3, MoverSite.client(cancelled, "mover1").path("cancels").size(),
                "mover1's cancels wait for its next recv: " + cancelled);
        Await.value(MoverSite.DEADLINE, "the 4 queued requests ended in Lustre, the 6 running ones still active",
                () -> site.mount().activeRequests().size(), n -> n == 6);
        assertEquals(4, site.mount().countActions("CANCEL", "SUCCEED"), String.join("\n", site.mount().actions()));

        m1.thawCopytool();
        m1.awaitLog("cancel not implemented", 3, MoverSite.DEADLINE);
        JsonNode end = MoverSite.awaitStatus(coordinator, "every request and cancel dealt with",
                s -> counts(s, 0, 0) && s.path("pending_cancel").asInt() == 0
                        && s.path("done_cancel").asInt() == FILES);
        assertEquals(3, MoverSite.client(end, "mover1").path("done_archive").asInt(), end.toString());
        awaitNoActiveRequest();
        assertEquals(FILES, site.mount().countActions("ARCHIVE", "CANCELED"), String.join("\n",
                site.mount().actions()));
        assertEquals(FILES, site.mount().countActions("CANCEL", "SUCCEED"), String.join("\n",
                site.mount().actions()));
        String moverLog = m1.log();
        assertEquals(3, LogText.count(moverLog, "cancel not implemented"), "mover1's 3 cancel items:\n" + moverLog);
        // Lustre refuses to begin a cancelled request: the copytool ends each of them with ECANCELED.
        assertEquals(3, LogText.count(moverLog, "ended with status 125"), moverLog);
        String log = coordinator.log();
        LogText.assertInOrder(log, "Cancelling queued", "Grace period of mover2 expired",
                "on re-queue: its cancel was not delivered");
        assertEquals(4, LogText.count(log, "Cancelling queued"), log);
        assertEquals(3, LogText.count(log, "on re-queue: its cancel was not delivered"), log);
        for (Path f : files) {
            assertFalse(site.mount().hsmState(f).has(HsmFileState.ARCHIVED), "cancelled, not archived: " + f);
        }
        assertTrue(m1.isAlive() && coordinator.isAlive());
        summary.print(FILES + " archives cancelled: 4 queued at once, 3 through mover1's copytool, 3 of killed"
                + " mover2 after its grace period");
    }
}
