package org.coordinatool.tests.mover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.coordinatool.tests.support.CoordinatorProcess;
import org.coordinatool.tests.support.MoverProcess;
import org.coordinatool.tests.support.MoverSite;
import org.coordinatool.tests.support.ProtocolAgent;
import org.coordinatool.tests.support.SimMount.HsmFileState;
import org.coordinatool.tests.support.Summary;
import org.junit.jupiter.api.Test;

/**
 * Spec §16.2 scenarios 07 and 40–42: archive ids. A mover serves the archive ids its copytool
 * registered ({@code lsim-copytool -A}); requests keep their archive id through the coordinator,
 * also across a restart with Redis (41) or requeued from Lustre's active requests (42). Movers
 * have archive trees of their own, so which mover moved a file shows in the trees.
 */
class ArchiveIdScenariosIT extends MoverSiteTest {

    static final int FILES = 100;

    @Override
    String fsname() {
        return "archid";
    }

    /** A mover whose copytool serves only {@code archiveIds}, archiving into a tree of its own. */
    MoverProcess.Settings mover(String id, CoordinatorProcess coordinator, int... archiveIds) {
        MoverProcess.Settings s = site.moverWithOwnArchive(id, coordinator);
        for (int a : archiveIds) {
            s = s.copytool("-A", Integer.toString(a));
        }
        return s;
    }

    /**
     * 07: a mover serving archives 2 and 3 is never handed archive-1 requests, though it asks for
     * work; a mover serving archive 1 then archives them all.
     */
    @Test
    void respectClientArchiveId() {
        Summary summary = Summary.start("ArchiveIdScenariosIT 07");
        CoordinatorProcess coordinator = site.start(site.coordinator());
        MoverProcess m1 = site.start(mover("mover1", coordinator, 2, 3));
        List<Path> files = site.createFiles("file", 5, MAX_SIZE);
        MoverSite.awaitWaiting(coordinator, "mover1");

        site.lfs("hsm_archive", files);
        JsonNode held = MoverSite.awaitStatus(coordinator, "5 archives queued while mover1 waits",
                s -> s.path("pending_archive").asInt() == 5
                        && "waiting".equals(MoverSite.client(s, "mover1").path("status").asText()));
        assertEquals(0, held.path("running_archive").asInt(), held.toString());
        for (HsmFileState s : site.mount().hsmState(files).values()) {
            assertEquals(HsmFileState.EXISTS, s.flags(), "only 'exists' while no mover serves archive 1: " + s.line());
        }

        MoverProcess m2 = site.start(mover("mover2", coordinator, 1));
        site.awaitArchived(files, 1);
        site.assertArchiveCopies(files, site.archiveOf("mover2"));
        assertEquals(List.of(), MoverSite.dataFiles(site.archiveOf("mover1")), "mover1 archived nothing");
        JsonNode idle = MoverSite.awaitIdle(coordinator);
        assertEquals(0, MoverSite.client(idle, "mover1").path("done_archive").asInt(), idle.toString());
        assertEquals(5, MoverSite.client(idle, "mover2").path("done_archive").asInt(), idle.toString());
        assertTrue(m1.isAlive() && m2.isAlive());
        summary.print("5 archive-1 files held from mover1 (archives 2, 3) and archived by mover2 (archive 1)");
    }

    /** 40: archive, restore and remove in archive 2. */
    @Test
    void archiveIdNormal() {
        Summary summary = Summary.start("ArchiveIdScenariosIT 40");
        CoordinatorProcess coordinator = site.start(site.coordinator());
        site.start(site.mover("mover1", coordinator));
        List<Path> file = site.createFiles("file", 1, MAX_SIZE);

        site.lfs("hsm_archive", file, "--archive", "2");
        site.awaitArchived(file, 2);
        site.assertArchiveCopies(file);
        site.releaseAndRestoreAll(file);
        assertEquals(2, site.mount().hsmState(file.get(0)).archiveId(), "restored from archive 2");
        site.removeAll(file);
        JsonNode idle = MoverSite.awaitIdle(coordinator);
        for (String kind : List.of("archive", "restore", "remove")) {
            assertEquals(1, idle.path("done_" + kind).asInt(), idle.toString());
        }
        summary.print("1 file archived in archive 2, restored and removed by mover1");
    }

    /** Files {@code arch1.*} archived with archive id 1 and {@code arch2.*} with 2, queued in {@code first}. */
    record Batches(List<Path> one, List<Path> two) {
    }

    Batches queueBothArchives(CoordinatorProcess first) {
        Batches b = new Batches(site.createFiles("arch1", FILES, MAX_SIZE), site.createFiles("arch2", FILES, MAX_SIZE));
        site.lfs("hsm_archive", b.two(), "--archive", "2");
        site.lfs("hsm_archive", b.one(), "--archive", "1");
        awaitPendingArchives(first, 2 * FILES);
        return b;
    }

    /**
     * The restarted coordinator holds all requests; a mover for each archive id archives exactly
     * the files of its archive id, which only holds if every request kept its archive id.
     */
    void assertEachArchivedByItsMover(CoordinatorProcess coordinator, Batches b) {
        awaitPendingArchives(coordinator, 2 * FILES);
        site.start(mover("mover1", coordinator, 1));
        site.start(mover("mover2", coordinator, 2));
        site.awaitArchived(b.one(), 1);
        site.awaitArchived(b.two(), 2);
        site.assertArchiveCopies(b.one(), site.archiveOf("mover1"));
        site.assertArchiveCopies(b.two(), site.archiveOf("mover2"));
        assertEquals(List.of(), site.copiedInto(site.archiveOf("mover1"), b.two()), "no archive-2 file in mover1's");
        assertEquals(List.of(), site.copiedInto(site.archiveOf("mover2"), b.one()), "no archive-1 file in mover2's");
        JsonNode idle = MoverSite.awaitIdle(coordinator);
        assertEquals(2 * FILES, idle.path("done_archive").asInt(), idle.toString());
        awaitNoActiveRequest();
    }

    /** 41: archive ids survive a coordinator restart through Redis. */
    @Test
    void archiveIdRestart() {
        Summary summary = Summary.start("ArchiveIdScenariosIT 41");
        CoordinatorProcess first = coordinatorWithRedis();
        Batches b = queueBothArchives(first);
        Map<String, String> persisted = awaitPersisted("coordinatool_requests", 2 * FILES);
        long inTwo = persisted.values().stream()
                .filter(json -> ProtocolAgent.parse(json).path("hal_archive_id").asInt() == 2).count();
        assertEquals(FILES, inTwo, "archive ids persisted");

        assertEquals(0, first.terminate(), first.log());
        assertEachArchivedByItsMover(site.restart(first), b);
        summary.print(FILES + " files of archive 1 and " + FILES + " of archive 2 recovered from Redis by a restarted"
                + " coordinator, each archived by the mover of its archive");
    }

    /** 42: archive ids survive a restart without Redis, requeued from Lustre's active requests. */
    @Test
    void archiveIdRestoreActiveRequests() {
        Summary summary = Summary.start("ArchiveIdScenariosIT 42");
        CoordinatorProcess first = site.start(site.coordinator());
        Batches b = queueBothArchives(first);

        assertEquals(0, first.terminate(), first.log());
        CoordinatorProcess second = site.restart(first);
        assertEquals(2 * FILES, site.requeueActiveRequests(second));
        assertEachArchivedByItsMover(second, b);
        summary.print(FILES + " files of archive 1 and " + FILES + " of archive 2 requeued from active_requests after"
                + " a restart without Redis, each archived by the mover of its archive");
    }
}
