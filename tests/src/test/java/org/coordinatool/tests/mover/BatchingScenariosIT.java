package org.coordinatool.tests.mover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.coordinatool.hsm.Fid;
import org.coordinatool.tests.support.Await;
import org.coordinatool.tests.support.CoordinatorProcess;
import org.coordinatool.tests.support.DispatchLog;
import org.coordinatool.tests.support.MoverProcess;
import org.coordinatool.tests.support.MoverSite;
import org.coordinatool.tests.support.StatusDump;
import org.coordinatool.tests.support.Summary;
import org.junit.jupiter.api.Test;

/**
 * Spec §16.2 scenarios 50 and 51: archive batching through real movers (§4.5). A mover only gets
 * archives whose data is the tag of one of its slots; a slot keeps its tag while that tag has work
 * waiting or got work within the idle time, and at most for the maximum time.
 *
 * <p>The original drove these with wall-clock pauses. Here the timeline is driven by events:
 * copytools are frozen (SIGSTOP) so that work stays where it was sent, the coordinator is locked
 * while queues and slots are set up, and a slot deadline is only ever waited for until it has
 * passed (read from the coordinator's status), never raced against. What each mover was sent,
 * and when, is then read back from the coordinator's debug log and checked against the slot rules.
 * Times are the coordinator's own: when it chose each reply's items and when it took each slot
 * (its monotonic clock, which slot deadlines count in), not when a reply's line was written,
 * which under load can be long after.
 */
class BatchingScenariosIT extends MoverSiteTest {

    /** The five tags of the original scenario: batch tags are whole data strings. */
    static final String TAG1 = "tag=n0";
    static final String TAG2 = "ignored,tag=n1";
    static final String TAG3 = "tag=n2,ignored";
    static final String TAG4 = "tag=n2,different";
    static final String TAG5 = "tag=n1,different";
    static final long IDLE_MS = 1000;
    static final long MAX_MS = 3000;
    static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(IDLE_MS);
    static final long MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(MAX_MS);

    final Map<String, List<Path>> byTag = new LinkedHashMap<>();
    final Map<Fid, String> tagOf = new HashMap<>();

    @Override
    String fsname() {
        return "batch";
    }

    /** Starts movers with archive trees of their own side by side, each waiting for work once this returns. */
    Map<String, MoverProcess> movers(CoordinatorProcess coordinator, String... ids) {
        Map<String, MoverProcess> movers = new LinkedHashMap<>();
        for (String id : ids) {
            movers.put(id, site.start(site.moverWithOwnArchive(id, coordinator)));
        }
        for (String id : ids) {
            MoverSite.awaitWaiting(coordinator, id);
        }
        return movers;
    }

    /** {@code n} new files archived with data {@code tag}. */
    List<Path> archive(String tag, int n) {
        List<Path> files = site.createFiles("tag" + (byTag.size() + 1), n, MAX_SIZE);
        site.lfs("hsm_archive", files, "--data", tag);
        byTag.put(tag, files);
        site.site().fids(files).keySet().forEach(f -> tagOf.put(f, tag));
        return files;
    }

    List<Path> files(String... tags) {
        List<Path> all = new ArrayList<>();
        for (String t : tags) {
            all.addAll(byTag.get(t));
        }
        return all;
    }

    List<Path> allFiles() {
        return files(byTag.keySet().toArray(String[]::new));
    }

    /**
     * 50, one slot per mover (idle 1 s, max 3 s). tag1 and tag2 take the two movers' slots and
     * tag3, tag4, tag5 wait. The tag1 mover is only resumed once its slot is past its maximum
     * time: although tag1 still has an archive waiting, the slot goes to the oldest waiting tag,
     * tag3, and the tag1 leftover goes back to that mover's own queue, to be taken again (before
     * any other tag) once tag3's slot has been idle for the idle time; tag4 and tag5 follow, one
     * slot idle time apart. The tag2 mover, stopped all along, keeps tag2.
     */
    @Test
    void archiveBasicBatch() {
        CoordinatorProcess coordinator = site.start(site.coordinator().config(
                "batch_archives_slices_sec " + IDLE_MS / 1000 + " " + MAX_MS / 1000,
                "batch_archives_slots_per_client 1"));
        Summary summary = Summary.start("BatchingScenariosIT 50");
        Map<String, MoverProcess> movers = movers(coordinator, "agent_0", "agent_1");
        movers.values().forEach(MoverProcess::freezeCopytool);
        archive(TAG1, 4);
        archive(TAG2, 10);
        archive(TAG3, 10);
        archive(TAG4, 10);
        archive(TAG5, 10);

        JsonNode routed = MoverSite.awaitStatus(coordinator, "44 archives routed, 3 sent to each frozen mover",
                s -> s.path("running_archive").asInt() == 6
                        && s.path("pending_archive").asInt() == 38);
        String p = holder(routed, TAG1);
        String q = holder(routed, TAG2);
        assertNotEquals(p, q, "tag1 and tag2 on different movers: " + routed);
        assertSlot(routed, p, 0, TAG1, 3, TAG1, 1);
        assertSlot(routed, q, 0, TAG2, 3, TAG2, 7);
        assertEquals(tagsOf(TAG3, TAG4, TAG5), queuedTags(routed.path("waiting_archive")),
                "tag3, tag4 and tag5 wait in the global queue, in arrival order: " + routed);

        long maxS = StatusDump.slot(routed, p, 0).path("expire_max_s").asLong();
        assertTrue(maxS > 0, "tag1's slot has a maximum time: " + routed);
        Await.until(MoverSite.DEADLINE, "tag1's slot past its maximum time",
                () -> System.currentTimeMillis() / 1000 > maxS);
        movers.get(p).thawCopytool();
        site.awaitStates(files(TAG1, TAG3, TAG4, TAG5), "archived by " + p, MoverSite::archived);
        JsonNode held = MoverSite.status(coordinator, MoverSite.DUMP_VERBOSITY);
        assertSlot(held, q, 0, TAG2, 3, TAG2, 7);
        movers.get(q).thawCopytool();
        site.awaitStates(allFiles(), "archived", MoverSite::archived);
        MoverSite.awaitIdle(coordinator);

        assertEquals(files(TAG1, TAG3, TAG4, TAG5), site.copiedInto(site.archiveOf(p), allFiles()),
                p + " archived tags 1, 3, 4, 5");
        assertEquals(files(TAG2), site.copiedInto(site.archiveOf(q), allFiles()), q + " archived tag2");
        site.assertArchiveCopies(files(TAG1, TAG3, TAG4, TAG5), site.archiveOf(p));
        site.assertArchiveCopies(files(TAG2), site.archiveOf(q));
        DispatchLog log = DispatchLog.of(coordinator);
        List<Run> pRuns = runs(log, p);
        assertEquals(List.of(TAG1, TAG3, TAG1, TAG4, TAG5), pRuns.stream().map(Run::tag).toList(),
                p + " took one tag at a time, in this order: " + pRuns);
        assertEquals(List.of(3, 10, 1, 10, 10), pRuns.stream().map(Run::items).toList(), pRuns.toString());
        long tag1Taken = slotTaken(log, p, TAG1);
        long tag3Taken = slotTaken(log, p, TAG3);
        assertTrue(tag3Taken - tag1Taken >= MAX_NANOS, "tag3 took tag1's slot only at the maximum time ("
                + (tag3Taken - tag1Taken) + " ns after tag1 took it)");
        assertTrue(pRuns.get(0).firstNanos() >= tag1Taken && pRuns.get(1).firstNanos() >= tag3Taken, pRuns.toString());
        for (int i = 2; i < pRuns.size(); i++) {
            assertTrue(pRuns.get(i).firstNanos() - pRuns.get(i - 1).lastNanos() >= IDLE_NANOS,
                    "run " + i + " started only once the previous tag had been idle " + IDLE_MS + " ms: " + pRuns);
        }
        List<Run> qRuns = runs(log, q);
        assertEquals(List.of(TAG2), qRuns.stream().map(Run::tag).toList(), q + " only ever had tag2: " + qRuns);
        summary.print("44 archives, " + p + " taking tags 1, 3, 1 (leftover), 4, 5 one at a time in its slot while "
                + q + " kept tag2");
    }

    /**
     * 51, one mover with two slots (idle 1 s, no maximum): tag1 and tag2 take its two slots while
     * locked. The mover is stopped holding what the unlock sent it; once tag1's slot has been idle
     * for the idle time and the mover asks again, that slot alone takes a new tag, the oldest
     * waiting one (tag3), while the other slot, with tag2 work still waiting, keeps tag2. At no time
     * do more than two tags hold slots, nor does a slot run more than its share of max_archive.
     */
    @Test
    void archiveBasicBatchMultislots() {
        CoordinatorProcess coordinator = site.start(site.coordinator().config(
                "batch_archives_slices_sec " + IDLE_MS / 1000, "batch_archives_slots_per_client 2"));
        Summary summary = Summary.start("BatchingScenariosIT 51");
        MoverProcess mover = movers(coordinator, "agent_0").get("agent_0");
        MoverSite.lock(coordinator, 1);
        archive(TAG1, 1);
        archive(TAG2, 10);
        archive(TAG3, 10);
        archive(TAG4, 10);
        archive(TAG5, 10);

        JsonNode routed = MoverSite.awaitStatus(coordinator, "41 archives routed while locked",
                s -> s.path("pending_archive").asInt() == 41);
        assertEquals(0, routed.path("running_archive").asInt(), routed.toString());
        assertSlot(routed, "agent_0", 0, TAG1, 0, TAG1, 1);
        assertSlot(routed, "agent_0", 1, TAG2, 0, TAG2, 10);
        assertEquals(tagsOf(TAG3, TAG4, TAG5), queuedTags(routed.path("waiting_archive")), routed.toString());

        mover.freezeCopytool();
        MoverSite.lock(coordinator, 0);
        JsonNode sent = MoverSite.awaitStatus(coordinator, "the unlock's reply sent",
                s -> s.path("running_archive").asInt() == 3);
        assertSlot(sent, "agent_0", 0, TAG1, 1, null, 0);
        assertSlot(sent, "agent_0", 1, TAG2, 2, TAG2, 8);
        long idleS = StatusDump.slot(sent, "agent_0", 0).path("expire_idle_s").asLong();
        Await.until(MoverSite.DEADLINE, "tag1's slot idle for the idle time",
                () -> System.currentTimeMillis() / 1000 > idleS);
        mover.thawCopytool();
        site.awaitStates(allFiles(), "archived", MoverSite::archived);
        MoverSite.awaitIdle(coordinator);

        site.assertArchiveCopies(allFiles(), site.archiveOf("agent_0"));
        DispatchLog log = DispatchLog.of(coordinator);
        List<DispatchLog.Sent> sends = log.sent();
        long tag1Last = lastSent(sends, TAG1);
        long tag3First = firstSent(sends, TAG3);
        assertTrue(tag3First - tag1Last >= IDLE_NANOS, "tag3 took tag1's slot only after "
                + IDLE_MS + " ms idle (" + (tag3First - tag1Last) + " ns)");
        assertTrue(firstSent(sends, TAG2) < tag3First && lastSent(sends, TAG2) > tag3First,
                "tag2 kept its slot while tag3 took the other");
        assertAtMostTwoTagsHeld(sends);
        assertSlotShares(log, 2, 3);
        summary.print("41 archives through one mover's two slots, tag3 replacing the idle tag1 "
                + TimeUnit.NANOSECONDS.toMillis(tag3First - tag1Last) + " ms after its last archive while tag2 kept its slot");
    }

    /** A run: consecutive items one mover was sent with the same tag, with when they were chosen. */
    record Run(String tag, long firstNanos, long lastNanos, int items) {
    }

    /** When {@code agent} first had a slot taken for {@code tag} (ns of the coordinator's monotonic clock). */
    static long slotTaken(DispatchLog log, String agent, String tag) {
        return log.slotsTaken().stream().filter(t -> t.clientId().equals(agent) && t.tag().equals(tag))
                .mapToLong(DispatchLog.SlotTaken::atNanos).findFirst()
                .orElseThrow(() -> new AssertionError(agent + " never took a slot for " + tag));
    }

    List<Run> runs(DispatchLog log, String agent) {
        List<Run> runs = new ArrayList<>();
        for (DispatchLog.Sent s : log.sent()) {
            if (!s.clientId().equals(agent)) {
                continue;
            }
            String tag = tag(s);
            Run last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
            if (last != null && last.tag().equals(tag)) {
                runs.set(runs.size() - 1, new Run(tag, last.firstNanos(), s.chosenNanos(), last.items() + 1));
            } else {
                runs.add(new Run(tag, s.chosenNanos(), s.chosenNanos(), 1));
            }
        }
        return runs;
    }

    /** The tag of a file, checked against the data the mover received with it. */
    String tag(DispatchLog.Sent s) {
        String tag = tagOf.get(s.item().dfid());
        assertEquals(tag, s.item().dataText(), "data sent with " + s.item().dfid());
        return tag;
    }

    long firstSent(List<DispatchLog.Sent> sends, String tag) {
        return sends.stream().filter(s -> tag(s).equals(tag)).mapToLong(DispatchLog.Sent::chosenNanos).min().orElseThrow();
    }

    long lastSent(List<DispatchLog.Sent> sends, String tag) {
        return sends.stream().filter(s -> tag(s).equals(tag)).mapToLong(DispatchLog.Sent::chosenNanos).max().orElseThrow();
    }

    /**
     * A tag holds a slot at least from its first archive sent until it has been idle for the idle
     * time after its last one; with two slots, no tag may start while two others hold slots.
     */
    void assertAtMostTwoTagsHeld(List<DispatchLog.Sent> sends) {
        for (String tag : byTag.keySet()) {
            long start = firstSent(sends, tag);
            List<String> holding = byTag.keySet().stream().filter(other -> !other.equals(tag)
                    && firstSent(sends, other) <= start && start < lastSent(sends, other) + IDLE_NANOS)
                    .toList();
            assertTrue(holding.size() <= 1, tag + " started while " + holding + " held both slots");
        }
    }

    /**
     * Replays sends and dones in log order: no tag ever had more than {@code perSlot} archives
     * running (its slot's share of max_archive), and the mover never more than {@code max}.
     */
    void assertSlotShares(DispatchLog log, int perSlot, int max) {
        record Event(int line, Fid dfid, int delta) {
        }
        List<Event> events = new ArrayList<>();
        log.sent().forEach(s -> events.add(new Event(s.line(), s.item().dfid(), 1)));
        log.dones().forEach(d -> events.add(new Event(d.line(), d.id().dfid(), -1)));
        events.sort((a, b) -> Integer.compare(a.line(), b.line()));
        Map<String, Integer> running = new HashMap<>();
        int total = 0;
        for (Event e : events) {
            String tag = tagOf.get(e.dfid());
            int n = running.merge(tag, e.delta(), Integer::sum);
            total += e.delta();
            assertTrue(n <= perSlot, tag + " had " + n + " archives running at line " + e.line());
            assertTrue(total <= max, total + " archives running at line " + e.line());
        }
    }

    /** Slot {@code index} of {@code id}: its tag, archives running on it, and what waits in it. */
    void assertSlot(JsonNode status, String id, int index, String hint, int running, String waitingTag, int waiting) {
        JsonNode slot = StatusDump.slot(status, id, index);
        assertEquals(hint, StatusDump.hint(slot), "tag of slot " + index + " of " + id + ": " + status);
        assertEquals(running, slot.path("current_count").asInt(), "running on slot " + index + " of " + id + ": "
                + status);
        assertEquals(Collections.nCopies(waiting, waitingTag), queuedTags(slot.path("waiting_archive")),
                "waiting in slot " + index + " of " + id + ": " + status);
    }

    /** The tags of a dumped queue's entries, in queue order, each checked against its file's. */
    List<String> queuedTags(JsonNode queue) {
        List<String> tags = new ArrayList<>();
        for (StatusDump.Entry e : StatusDump.entries(queue)) {
            assertEquals(tagOf.get(e.dfid()), e.data(), "data of queued " + e.dfid());
            tags.add(e.data());
        }
        return tags;
    }

    List<String> tagsOf(String... tags) {
        List<String> out = new ArrayList<>();
        for (String t : tags) {
            out.addAll(Collections.nCopies(byTag.get(t).size(), t));
        }
        return out;
    }

    /** The mover whose (only) slot holds {@code tag}. */
    static String holder(JsonNode status, String tag) {
        for (JsonNode c : status.path("clients")) {
            if (tag.equals(StatusDump.hint(c.path("batches").path(0)))) {
                return c.path("client_id").asText();
            }
        }
        throw new AssertionError("no mover holds " + tag + ": " + status);
    }

}
