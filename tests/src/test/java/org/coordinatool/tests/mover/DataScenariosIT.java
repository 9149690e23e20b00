package org.coordinatool.tests.mover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.coordinatool.tests.support.CoordinatorProcess;
import org.coordinatool.tests.support.MoverProcess;
import org.coordinatool.tests.support.MoverSite;
import org.coordinatool.tests.support.SimMount.HsmFileState;
import org.coordinatool.tests.support.Summary;
import org.junit.jupiter.api.Test;

/**
 * Spec §16.2 scenarios 30–32: the data of an HSM request ({@code lfs hsm_* --data}) reaches the
 * mover, also across a coordinator restart with Redis, and only Lustre's 5 listed bytes of it
 * across a restart without Redis. The original copytool named its archive files after the data;
 * lsim-copytool does not, so the data is read where the coordinator shows it: its status dumps
 * of the global queues and of what each mover holds, taken while the mover's copytool is frozen.
 */
class DataScenariosIT extends MoverSiteTest {

    static final int FILES = 100;
    static final String DATA = "some data";

    @Override
    String fsname() {
        return "data";
    }

    /**
     * Runs {@code lfs command --data data} on {@code files} while mover1's copytool is frozen in
     * its receive call, checks the data of what mover1 was handed, then lets the copytool go on.
     */
    void handOver(CoordinatorProcess coordinator, MoverProcess m1, String command, List<Path> files, String data) {
        MoverSite.awaitWaiting(coordinator, "mover1");
        m1.freezeCopytool();
        site.lfs(command, files, "--data", data);
        assertHeldData(coordinator, m1, files.size(), data);
    }

    /** Waits until frozen mover1 holds {@code n} requests, checks their data and thaws its copytool. */
    static void assertHeldData(CoordinatorProcess coordinator, MoverProcess m1, int n, String data) {
        JsonNode held = MoverSite.awaitStatus(coordinator, n + " requests held by mover1",
                s -> MoverSite.client(s, "mover1").path("active_requests").size() == n);
        assertEquals(Collections.nCopies(n, data),
                MoverSite.dumpedData(MoverSite.client(held, "mover1").path("active_requests")), held.toString());
        m1.thawCopytool();
    }

    /** 30: archive, restore and remove of one file, each request with data that the mover receives. */
    @Test
    void dataNormal() {
        Summary summary = Summary.start("DataScenariosIT 30");
        CoordinatorProcess coordinator = site.start(site.coordinator());
        MoverProcess m1 = site.start(site.mover("mover1", coordinator));
        List<Path> file = site.createFiles("file", 1, MAX_SIZE);

        handOver(coordinator, m1, "hsm_archive", file, DATA);
        site.awaitStates(file, "archived", MoverSite::archived);
        site.assertArchiveCopies(file);

        site.lfs("hsm_release", file);
        site.awaitStates(file, "released", s -> s.has(HsmFileState.RELEASED));
        handOver(coordinator, m1, "hsm_restore", file, DATA);
        site.awaitStates(file, "restored", s -> MoverSite.archived(s) && !s.has(HsmFileState.RELEASED));
        site.assertContents(file);

        handOver(coordinator, m1, "hsm_remove", file, DATA);
        site.awaitStates(file, "removed from the archive", s -> !s.has(HsmFileState.ARCHIVED));
        assertEquals(List.of(), site.dataFiles(), "archive empty after remove");
        JsonNode idle = MoverSite.awaitIdle(coordinator);
        for (String kind : List.of("archive", "restore", "remove")) {
            assertEquals(1, idle.path("done_" + kind).asInt(), idle.toString());
        }
        summary.print("1 file archived, restored and removed by mover1 with data '" + DATA + "' on each request");
    }

    /**
     * Queues {@link #FILES} archives with {@code data}, restarts the coordinator and returns the new
     * one; {@code requeue} brings the queue back when there is no Redis.
     */
    CoordinatorProcess archiveAndRestart(CoordinatorProcess first, List<Path> files, String data) {
        site.lfs("hsm_archive", files, "--data", data);
        awaitPendingArchives(first, FILES);
        assertEquals(0, first.terminate(), first.log());
        return site.restart(first);
    }

    /**
     * After a restart: the recovered queue holds every request with {@code data}; mover1, started
     * while the coordinator is locked and frozen as soon as it waits, is handed its first 3 with that
     * data; then everything is archived.
     */
    void assertDataSurvived(CoordinatorProcess coordinator, List<Path> files, String data) {
        JsonNode recovered = awaitPendingArchives(coordinator, FILES);
        assertEquals(Collections.nCopies(FILES, data), MoverSite.dumpedData(recovered.path("waiting_archive")));
        MoverSite.lock(coordinator, 1);
        MoverProcess m1 = site.start(site.mover("mover1", coordinator));
        MoverSite.awaitWaiting(coordinator, "mover1");
        m1.freezeCopytool();
        MoverSite.lock(coordinator, 0);
        assertHeldData(coordinator, m1, 3, data);

        site.awaitStates(files, "archived", MoverSite::archived);
        site.assertArchiveCopies(files);
        JsonNode idle = MoverSite.awaitIdle(coordinator);
        assertEquals(FILES, idle.path("done_archive").asInt(), idle.toString());
        awaitNoActiveRequest();
    }

    /** 31: with Redis, requests keep their whole data across a coordinator restart. */
    @Test
    void dataRestart() {
        Summary summary = Summary.start("DataScenariosIT 31");
        CoordinatorProcess first = coordinatorWithRedis();
        List<Path> files = site.createFiles("file", FILES, MAX_SIZE);

        CoordinatorProcess second = archiveAndRestart(first, files, DATA);
        // Written at the latest when the first coordinator stopped.
        Map<String, String> persisted = awaitPersisted("coordinatool_requests", FILES);
        persisted.values().forEach(json -> assertTrue(json.contains("\"hai_data\":\"" + DATA), json));
        assertDataSurvived(second, files, DATA);
        summary.print(FILES + " archives with data '" + DATA + "' recovered from Redis by a restarted coordinator"
                + " and archived by mover1");
    }

    /** 32: without Redis, requeued from Lustre's active_requests, only the 5 bytes Lustre lists survive. */
    @Test
    void dataRestoreActiveRequests() {
        Summary summary = Summary.start("DataScenariosIT 32");
        String data = "da ta_anything longer is lost";
        CoordinatorProcess first = site.start(site.coordinator());
        List<Path> files = site.createFiles("file", FILES, MAX_SIZE);

        CoordinatorProcess second = archiveAndRestart(first, files, data);
        assertEquals(FILES, site.requeueActiveRequests(second));
        assertDataSurvived(second, files, "da ta");
        summary.print(FILES + " archives requeued from active_requests after a restart without Redis, with data"
                + " 'da ta' left of '" + data + "', and archived by mover1");
    }
}
