package org.coordinatool.tests.mover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.coordinatool.hsm.Fid;
import org.coordinatool.tests.support.CoordinatorProcess;
import org.coordinatool.tests.support.MoverProcess;
import org.coordinatool.tests.support.MoverSite;
import org.coordinatool.tests.support.ReportFiles;
import org.coordinatool.tests.support.SimMount.HsmFileState;
import org.coordinatool.tests.support.StatusDump;
import org.coordinatool.tests.support.Summary;
import org.junit.jupiter.api.Test;

/**
 * Spec §16.2 scenarios 60 to 63: the reporting directory through real movers (§7). Requests whose
 * data carries {@code cr=<name>} get their life (new, sent, done) written to
 * {@code <mount>/.reporting/<name>}, waiting restores get a progress line at every tick, and a
 * report file goes away two ticks after its last request finished. Frozen copytools (SIGSTOP)
 * hold work where it was sent, so the files are checked line for line at known points.
 */
class ReportingScenariosIT extends MoverSiteTest {

    static final String DIR = ".reporting";

    @Override
    String fsname() {
        return "report";
    }

    ReportFiles reports() {
        return new ReportFiles(site.mount(), DIR);
    }

    CoordinatorProcess coordinator(long intervalMs) {
        return site.start(site.coordinator().config("reporting_dir " + DIR, "reporting_hint cr",
                "reporting_schedule_interval_ms " + intervalMs));
    }

    MoverProcess mover(String id, CoordinatorProcess coordinator) {
        return site.start(site.mover(id, coordinator)).awaitConnected(MoverSite.DEADLINE);
    }

    /** {@code n} new files {@code prefix.i}, archived with {@code data}. */
    List<Path> archive(String prefix, int n, String data) {
        List<Path> files = site.createFiles(prefix, n, MAX_SIZE);
        site.lfs("hsm_archive", files, "--data", data);
        return files;
    }

    /**
     * 60: report00's five archives go three to agent_1 and two to agent_2, report01's first to
     * agent_2 (both copytools stopped, agent_2's from before it got any work); agent_2 finishes
     * report01, whose file goes away while report00's stays for agent_1's work; then agent_1
     * finishes and report00 goes away too.
     */
    @Test
    void reportingBasicTest() {
        Summary summary = Summary.start("ReportingScenariosIT 60");
        ReportFiles reports = reports();
        CoordinatorProcess coordinator = coordinator(1000);
        MoverProcess agent1 = mover("agent_1", coordinator);
        MoverSite.awaitWaiting(coordinator, "agent_1");
        agent1.freezeCopytool();
        List<Path> report00 = archive("r0", 5, "cr=report00");
        JsonNode first = MoverSite.awaitStatus(coordinator, "3 of report00 on agent_1, 2 queued",
                s -> s.path("running_archive").asInt() == 3 && s.path("pending_archive").asInt() == 2);
        List<Fid> onAgent1 = StatusDump.clientQueue(first, "agent_1", "active_requests");

        // Locked while agent_2 starts, so that its copytool is frozen before any work reaches it,
        // and while report01 arrives, so that one reply gives agent_2 the rest of report00 and
        // the first of report01, as the original's always-receiving agent got them.
        MoverSite.lock(coordinator, 1);
        MoverProcess agent2 = mover("agent_2", coordinator);
        MoverSite.awaitWaiting(coordinator, "agent_2");
        agent2.freezeCopytool();
        List<Path> report01 = archive("r1", 3, "foo,cr=report01,bar");
        MoverSite.awaitStatus(coordinator, "report01 queued while locked", s -> s.path("pending_archive").asInt() == 5);
        MoverSite.lock(coordinator, 0);
        JsonNode full = MoverSite.awaitStatus(coordinator, "2 of report00 and 1 of report01 on agent_2, 2 queued",
                s -> s.path("running_archive").asInt() == 6 && s.path("pending_archive").asInt() == 2);
        List<Fid> onAgent2 = StatusDump.clientQueue(full, "agent_2", "active_requests");

        List<String> r00 = reports.await("report00", "5 new and 5 sent", l -> l.size() >= 10);
        assertEquals(expected(fids(report00), "new"), r00.subList(0, 5), "report00: " + r00);
        assertEquals(sentTo(onAgent1, "agent_1", fids(report00)), r00.subList(5, 8), "report00: " + r00);
        assertEquals(sentTo(onAgent2, "agent_2", fids(report00)), r00.subList(8, 10), "report00: " + r00);
        List<String> r01 = reports.await("report01", "3 new and 1 sent", l -> l.size() >= 4);
        assertEquals(expected(fids(report01), "new"), r01.subList(0, 3), "report01: " + r01);
        assertEquals(sentTo(onAgent2, "agent_2", fids(report01)), r01.subList(3, 4), "report01: " + r01);
        assertEquals(List.of(r00, r01), List.of(reports.lines("report00"), reports.lines("report01")),
                "nothing else reported while both copytools are frozen");

        agent2.thawCopytool();
        List<String> r01Done = reports.await("report01", "all 3 done", l -> ReportFiles.count(l, "done ") == 3);
        assertEquals(9, r01Done.size(), "report01: " + r01Done);
        assertEquals(3, ReportFiles.count(r01Done, "sent "), r01Done.toString());
        assertTrue(r01Done.stream().filter(l -> l.startsWith("sent ")).allMatch(l -> l.endsWith(" agent_2")),
                "report01 all on agent_2: " + r01Done);
        assertTrue(r01Done.stream().filter(l -> l.startsWith("done ")).allMatch(l -> l.endsWith(" 0")),
                r01Done.toString());
        reports.awaitDeleted("report01");
        assertEquals(12, reports.lines("report00").size(), "report00 stays while agent_1's 3 run: "
                + reports.lines("report00"));

        agent1.thawCopytool();
        List<String> r00Done = reports.await("report00", "all 5 done", l -> ReportFiles.count(l, "done ") == 5);
        assertEquals(15, r00Done.size(), "report00: " + r00Done);
        site.awaitStates(concat(report00, report01), "archived", MoverSite::archived);
        reports.awaitDeleted("report00");
        summary.print("report00 (5 archives over 2 frozen movers) and report01 (3) followed line by line and deleted"
                + " after their last request");
    }

    /**
     * 61: scenario 01 with {@code cr=report01} on every archive, restore and remove: everything
     * moves byte-exact, and report01 holds new, sent and done for each of the 300 requests, in
     * that order per file (ticks disabled, so the file is kept whole to the end).
     */
    @Test
    void reportingNormalRequests() {
        Summary summary = Summary.start("ReportingScenariosIT 61");
        ReportFiles reports = reports();
        int files = 100;
        String data = "cr=report01";
        CoordinatorProcess coordinator = coordinator(0);
        Stream.of("agent_1", "agent_2").map(id -> site.start(site.mover(id, coordinator))).toList()
                .forEach(m -> m.awaitConnected(MoverSite.DEADLINE));
        List<Path> all = site.createFiles("file", files, MAX_SIZE);

        site.lfs("hsm_archive", all, "--data", data);
        site.awaitStates(all, "archived", MoverSite::archived);
        site.assertArchiveCopies(all);
        site.lfs("hsm_release", all);
        site.awaitStates(all, "released", s -> s.has(HsmFileState.RELEASED));
        site.lfs("hsm_restore", all, "--data", data);
        site.awaitStates(all, "restored", s -> MoverSite.archived(s) && !s.has(HsmFileState.RELEASED));
        site.assertContents(all);
        site.lfs("hsm_remove", all, "--data", data);
        site.awaitStates(all, "removed from the archive", s -> !s.has(HsmFileState.ARCHIVED | HsmFileState.EXISTS));
        assertEquals(List.of(), site.dataFiles(), "archive empty after remove");
        JsonNode status = MoverSite.awaitIdle(coordinator);

        List<String> lines = reports.await("report01", "3 x (new, sent, done) per file", l -> l.size() >= 9 * files);
        assertEquals(9 * files, lines.size(), "report01 lines");
        Map<String, List<String>> perFile = new LinkedHashMap<>();
        for (String line : lines) {
            String[] words = line.split(" ");
            String event = words[0].equals("done") ? "done " + words[2] : words[0];
            perFile.computeIfAbsent(words[1], k -> new ArrayList<>()).add(event);
        }
        List<String> lifeOfEach = List.of("new", "sent", "done 0", "new", "sent", "done 0", "new", "sent", "done 0");
        for (Path f : all) {
            assertEquals(lifeOfEach, perFile.get(site.site().fid(f).format()), "report01 lines of " + f);
        }
        for (String id : List.of("agent_1", "agent_2")) {
            JsonNode c = MoverSite.client(status, id);
            long done = c.path("done_archive").asLong() + c.path("done_restore").asLong()
                    + c.path("done_remove").asLong();
            assertEquals(done, lines.stream().filter(l -> l.startsWith("sent ") && l.endsWith(" " + id)).count(),
                    "sent lines naming " + id);
        }
        assertTrue(reports.exists("report01"), "without ticks a report file is never deleted");
        summary.print(files + " files archived, restored and removed byte-exact with every request in report01 ("
                + lines.size() + " lines)");
    }

    /**
     * 62: report01 is reused after all its requests finished, before its file was deleted: the
     * new requests append to the same file (the earlier lines stay), and once everything is done
     * both report01 and report02 go away.
     */
    @Test
    void reportingReuseTags() {
        Summary summary = Summary.start("ReportingScenariosIT 62");
        ReportFiles reports = reports();
        CoordinatorProcess coordinator = coordinator(2000);
        Stream.of("agent_1", "agent_2").map(id -> site.start(site.mover(id, coordinator))).toList()
                .forEach(m -> m.awaitConnected(MoverSite.DEADLINE));
        List<Path> first = archive("a", 5, "cr=report01");
        List<Path> report02 = archive("b", 5, "cr=report02,foo");
        first.addAll(archive("c", 5, "foo,cr=report01,test"));

        List<String> before = reports.await("report01", "its first 10 requests done",
                l -> ReportFiles.count(l, "done ") == 10);
        List<Path> again = archive("d", 10, "bar,cr=report01");
        List<String> r02 = reports.await("report02", "its 5 requests done", l -> ReportFiles.count(l, "done ") == 5);
        assertEquals(15, r02.size(), "report02: " + r02);
        assertEquals(expected(fids(report02), "new"), r02.subList(0, 5), "report02: " + r02);
        List<String> after = reports.await("report01", "20 requests done", l -> ReportFiles.count(l, "done ") == 20);
        assertEquals(before, after.subList(0, before.size()), "the file kept its first lines: " + after);
        assertEquals(60, after.size(), after.toString());
        for (String event : List.of("new ", "sent ", "done ")) {
            assertEquals(20, ReportFiles.count(after, event), event + "lines: " + after);
        }
        assertTrue(after.containsAll(expected(fids(again), "new")), after.toString());
        site.awaitStates(concat(first, report02, again), "archived", MoverSite::archived);
        reports.awaitDeleted("report01");
        reports.awaitDeleted("report02");
        summary.print("report01 reused for 10 more archives before its deletion and grown to " + after.size()
                + " lines, then report01 and report02 deleted");
    }

    /**
     * 63: ten restores reported as report00 with the mover's copytool stopped: three are sent,
     * the seven waiting in the global queue get a progress line each at every tick, positions 1
     * to 7 of 7 in queue order; once resumed all are restored, and the file goes away.
     */
    @Test
    void reportingRestoreProgress() {
        Summary summary = Summary.start("ReportingScenariosIT 63");
        ReportFiles reports = reports();
        CoordinatorProcess coordinator = coordinator(1000);
        MoverProcess agent1 = mover("agent_1", coordinator);
        List<Path> files = site.createFiles("file", 10, MAX_SIZE);
        site.archiveAll(files);
        site.lfs("hsm_release", files);
        site.awaitStates(files, "released", s -> s.has(HsmFileState.RELEASED));
        MoverSite.awaitWaiting(coordinator, "agent_1");
        agent1.freezeCopytool();

        site.lfs("hsm_restore", files, "--data", "foo,cr=report00,bar");
        JsonNode held = MoverSite.awaitStatus(coordinator, "3 restores sent, 7 waiting",
                s -> s.path("running_restore").asInt() == 3 && s.path("pending_restore").asInt() == 7);
        List<Fid> running = StatusDump.clientQueue(held, "agent_1", "active_requests");
        List<Fid> waiting = StatusDump.dfids(held.path("waiting_restore"));
        List<String> lines = reports.await("report00", "3 ticks of progress for the 7 waiting restores",
                l -> ReportFiles.count(l, "progress ") >= 21 && ReportFiles.count(l, "progress ") % 7 == 0);
        assertEquals(expected(fids(files), "new"), lines.subList(0, 10), "report00: " + lines);
        assertEquals(sentTo(running, "agent_1", fids(files)), lines.subList(10, 13), "report00: " + lines);
        List<String> tick = new ArrayList<>();
        for (int i = 0; i < waiting.size(); i++) {
            tick.add("progress " + waiting.get(i).format() + " global_queue " + (i + 1) + "/" + waiting.size());
        }
        List<String> progress = lines.subList(13, lines.size());
        for (int i = 0; i < progress.size(); i += tick.size()) {
            assertEquals(tick, progress.subList(i, i + tick.size()), "tick " + (i / tick.size() + 1) + ": " + lines);
        }

        agent1.thawCopytool();
        List<String> done = reports.await("report00", "10 done", l -> ReportFiles.count(l, "done ") == 10);
        assertEquals(10, ReportFiles.count(done, "new "), done.toString());
        assertEquals(10, ReportFiles.count(done, "sent "), done.toString());
        assertTrue(done.stream().filter(l -> l.startsWith("done ")).allMatch(l -> l.endsWith(" 0")), done.toString());
        site.awaitStates(files, "restored", s -> MoverSite.archived(s) && !s.has(HsmFileState.RELEASED));
        site.assertContents(files);
        reports.awaitDeleted("report00");
        summary.print("10 restores reported, " + progress.size() + " progress lines for the 7 waiting in "
                + progress.size() / tick.size() + " ticks, all restored byte-exact, report deleted");
    }

    List<Fid> fids(List<Path> files) {
        return files.stream().map(f -> site.site().fid(f)).toList();
    }

    /** {@code <event> <DFID>} for each FID, in order. */
    static List<String> expected(List<Fid> fids, String event) {
        return fids.stream().map(f -> event + " " + f.format()).toList();
    }

    /** {@code sent <DFID> <id>} for the FIDs of {@code among} that run on {@code id}, in its order. */
    static List<String> sentTo(List<Fid> running, String id, List<Fid> among) {
        return running.stream().filter(among::contains).map(f -> "sent " + f.format() + " " + id).toList();
    }

    @SafeVarargs
    static List<Path> concat(List<Path>... lists) {
        List<Path> all = new ArrayList<>();
        for (List<Path> l : lists) {
            all.addAll(l);
        }
        return all;
    }
}
