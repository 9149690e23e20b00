package org.coordinatool.tests.mover;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.coordinatool.hsm.Fid;
import org.coordinatool.tests.support.Await;
import org.coordinatool.tests.support.CoordinatorProcess;
import org.coordinatool.tests.support.DispatchLog;
import org.coordinatool.tests.support.MoverProcess;
import org.coordinatool.tests.support.MoverSite;
import org.coordinatool.tests.support.SimMount.HsmFileState;
import org.coordinatool.tests.support.StatusDump;
import org.coordinatool.tests.support.Summary;
import org.junit.jupiter.api.Test;

/**
 * Spec §16.2 scenarios 10, 11, 13 and 15: host mappings through real movers, each archiving into
 * a tree of its own. Archives whose data carries a mapped tag go to the movers named for it, and
 * are held for a named mover that is not there rather than given to another. The tree holding a
 * copy tells which mover archived it; the coordinator's debug log tells what each mover was sent.
 */
class HostMappingScenariosIT extends MoverSiteTest {

    static final int PER_TAG = 20;
    /** Log lines are written just after the decisions they record; a few ms at most separate them. */
    static final long LOG_SLACK_MS = 50;

    /** The mapping configuration of the original tests; the last line is tried first. */
    static final String[] MAPPINGS = {
        "archive_on_hosts tag=n0 agent_0",
        "archive_on_hosts tag=n1 agent_1 agent_2",
        "archive_on_hosts tag=n2 agent_3 agent_4",
        "archive_on_hosts_ch grouping= 0 agent_0 agent_1 agent_2",
    };

    @Override
    String fsname() {
        return "hostmap";
    }

    CoordinatorProcess coordinator(int graceMs, String... mappings) {
        return site.start(site.coordinator().config("client_grace_ms " + graceMs).config(mappings));
    }

    /** Starts movers with archive trees of their own side by side, and waits until each is connected. */
    List<MoverProcess> movers(CoordinatorProcess coordinator, String... ids) {
        List<MoverProcess> movers = Stream.of(ids).map(id -> site.start(site.moverWithOwnArchive(id, coordinator)))
                .toList();
        movers.forEach(m -> m.awaitConnected(MoverSite.DEADLINE));
        return movers;
    }

    /** {@link #PER_TAG} new files {@code prefix.i}, archived with {@code data}. */
    List<Path> archive(String prefix, String data) {
        List<Path> files = site.createFiles(prefix, PER_TAG, MAX_SIZE);
        site.lfs("hsm_archive", files, "--data", data);
        return files;
    }

    /** Those of {@code among} whose archive copy is in the tree of mover {@code id}. */
    Set<Path> copiedBy(String id, List<Path> among) {
        return new HashSet<>(site.copiedInto(site.archiveOf(id), among));
    }

    /** 10: each tag's archives go to the movers its mapping names, and only there. */
    @Test
    void archiveOnHost() {
        Summary summary = Summary.start("HostMappingScenariosIT 10");
        CoordinatorProcess coordinator = coordinator(5000, MAPPINGS);
        movers(coordinator, "agent_0", "agent_1", "agent_2", "agent_3");
        List<Path> n0 = archive("n0", "tag=n0");
        List<Path> n1 = archive("n1", "ignored,tag=n1");
        List<Path> n2 = archive("n2", "tag=n2,ignored");
        List<Path> all = concat(n0, n1, n2);

        site.awaitStates(all, "archived", MoverSite::archived);
        MoverSite.awaitIdle(coordinator);

        assertEquals(Set.copyOf(n0), copiedBy("agent_0", all), "agent_0 archived exactly the tag=n0 files");
        Set<Path> by1 = copiedBy("agent_1", all);
        Set<Path> by2 = copiedBy("agent_2", all);
        assertEquals(Set.copyOf(n1), union(by1, by2), "agent_1 and agent_2 together archived exactly the n1 files");
        assertEquals(PER_TAG, by1.size() + by2.size(), "no n1 file archived twice");
        assertEquals(Set.copyOf(n2), copiedBy("agent_3", all), "agent_3 archived exactly the tag=n2 files");
        site.assertArchiveCopies(n0, site.archiveOf("agent_0"));
        site.assertArchiveCopies(List.copyOf(by1), site.archiveOf("agent_1"));
        site.assertArchiveCopies(List.copyOf(by2), site.archiveOf("agent_2"));
        site.assertArchiveCopies(n2, site.archiveOf("agent_3"));
        assertTrue(MoverSite.client(MoverSite.status(coordinator), "agent_4").isMissingNode(),
                "nothing was ever held for agent_4");
        summary.print(all.size() + " archives mapped to their hosts (n1: " + by1.size() + " on agent_1, " + by2.size()
                + " on agent_2)");
    }

    /**
     * 11: with every copytool frozen holding work, agent_1 dies and agent_3 restarts: agent_1's
     * share of n1 goes to agent_2 once agent_1's grace period is over (and not before), agent_3
     * gets its n2 work back, and the n0 archives stay held for agent_0, which never comes.
     */
    @Test
    void restartsWithPendingWork() {
        Summary summary = Summary.start("HostMappingScenariosIT 11");
        int graceMs = 5000;
        CoordinatorProcess coordinator = coordinator(graceMs, MAPPINGS);
        List<MoverProcess> movers = movers(coordinator, "agent_1", "agent_2", "agent_3");
        for (MoverProcess m : movers) {
            MoverSite.awaitWaiting(coordinator, m.clientId());
            m.freezeCopytool();
        }
        List<Path> n0 = archive("n0", "tag=n0");
        List<Path> n1 = archive("n1", "ignored,tag=n1");
        List<Path> n2 = archive("n2", "tag=n2,ignored");

        JsonNode held = MoverSite.awaitStatus(coordinator, "60 archives routed, each frozen copytool given its share",
                s -> s.path("pending_archive").asInt() + s.path("running_archive").asInt() == 3 * PER_TAG
                        && Stream.of("agent_1", "agent_2", "agent_3").allMatch(id -> givenItsShare(s, id)));
        assertEquals("disconnected", MoverSite.client(held, "agent_0").path("status").asText(), held.toString());
        assertEquals(fids(n0), Set.copyOf(StatusDump.clientQueue(held, "agent_0", "waiting_archive")),
                "the n0 archives are held for agent_0: " + held);
        Set<Fid> onAgent1 = assigned(held, "agent_1");
        assertEquals(fids(n1), union(onAgent1, assigned(held, "agent_2")), held.toString());
        assertEquals(fids(n2), assigned(held, "agent_3"), held.toString());
        assertTrue(StatusDump.dfids(held.path("waiting_archive")).isEmpty(), held.toString());

        movers.get(0).killTree();
        movers.get(2).killTree();
        MoverProcess agent3 = site.restart(movers.get(2)).awaitConnected(MoverSite.DEADLINE);
        movers.get(1).thawCopytool();

        site.awaitStates(concat(n1, n2), "archived", MoverSite::archived);
        JsonNode end = MoverSite.awaitStatus(coordinator, "only the n0 archives left, held for agent_0",
                s -> s.path("running_archive").asInt() == 0 && s.path("pending_archive").asInt() == PER_TAG);
        assertEquals(fids(n0), Set.copyOf(StatusDump.clientQueue(end, "agent_0", "waiting_archive")),
                "the n0 archives are still held for agent_0: " + end);
        assertTrue(site.mount().hsmState(n0).values().stream().noneMatch(s -> s.has(HsmFileState.ARCHIVED)),
                "no n0 file archived");
        assertEquals(List.of(), MoverSite.dataFiles(site.archiveOf("agent_1")), "agent_1 never copied anything");
        List<Path> all = concat(n0, n1, n2);
        assertEquals(Set.copyOf(n1), copiedBy("agent_2", all), "agent_2 archived every n1 file");
        assertEquals(Set.copyOf(n2), copiedBy("agent_3", all), "the restarted agent_3 archived every n2 file");
        site.assertArchiveCopies(n1, site.archiveOf("agent_2"));
        site.assertArchiveCopies(n2, site.archiveOf("agent_3"));

        DispatchLog log = DispatchLog.of(coordinator);
        long agent1Gone = log.timeOf("Client agent_1 disconnected");
        Set<Fid> n0Fids = fids(n0);
        for (DispatchLog.Sent s : log.sent()) {
            Fid f = s.item().dfid();
            assertFalse(n0Fids.contains(f), "an n0 archive was sent to " + s.clientId());
            if (onAgent1.contains(f) && s.clientId().equals("agent_2")) {
                assertTrue(s.timeMs() - agent1Gone >= graceMs - LOG_SLACK_MS, "agent_1's " + f + " went to agent_2 "
                        + (s.timeMs() - agent1Gone) + " ms after agent_1 left, within its grace period");
            }
        }
        assertTrue(agent3.isAlive() && movers.get(1).isAlive() && coordinator.isAlive());
        summary.print(onAgent1.size() + " n1 archives moved from the gone agent_1 to agent_2 after its grace, "
                + PER_TAG + " n2 archived by the restarted agent_3, " + PER_TAG + " n0 held for agent_0");
    }

    /**
     * 13: consistent hashing without rewrite sends each group to one host; agent_1 killed in the
     * middle of copies and started again gets its group back; agent_0's group waits for agent_0.
     */
    @Test
    void archiveOnHostsCh() {
        Summary summary = Summary.start("HostMappingScenariosIT 13");
        CoordinatorProcess coordinator = coordinator(60000, MAPPINGS);
        // agent_1 copies at 4 KiB/s, so that its first copies are still running when it is killed.
        MoverProcess agent1 = site.start(site.moverWithOwnArchive("agent_1", coordinator).copytool("-b", "4k",
                "-c", "1k")).awaitConnected(MoverSite.DEADLINE);
        movers(coordinator, "agent_2");
        Map<String, List<Path>> groups = new LinkedHashMap<>();
        groups.put("test0", archive("test0", "grouping=test0"));
        groups.put("test1", archiveFixedSize("test1", "grouping=test1", 16 * 1024));
        groups.put("test2", archive("test2", "grouping=test2"));
        List<Path> all = concat(groups.values());

        Path tree1 = site.archiveOf("agent_1");
        Await.until(MoverSite.DEADLINE, "agent_1 copying", () -> !MoverSite.dataFiles(tree1).isEmpty());
        agent1.freezeCopytool();
        long interrupted = MoverSite.dataFiles(tree1).stream().filter(HostMappingScenariosIT::unfinished).count();
        assertTrue(interrupted > 0, "copies running when agent_1 was frozen: " + MoverSite.dataFiles(tree1));
        site.awaitStates(groups.get("test2"), "archived", MoverSite::archived);
        agent1.killTree();
        site.start(site.moverWithOwnArchive("agent_1", coordinator)).awaitConnected(MoverSite.DEADLINE);

        site.awaitStates(groups.get("test1"), "archived", MoverSite::archived);
        JsonNode held = MoverSite.awaitStatus(coordinator, "only the test0 archives left",
                s -> s.path("running_archive").asInt() == 0 && s.path("pending_archive").asInt() == PER_TAG);
        assertEquals(fids(groups.get("test0")), Set.copyOf(StatusDump.clientQueue(held, "agent_0", "waiting_archive")),
                "the test0 archives are held for agent_0: " + held);
        assertTrue(site.mount().hsmState(groups.get("test0")).values().stream()
                .noneMatch(s -> s.has(HsmFileState.ARCHIVED)), "no test0 file archived");
        movers(coordinator, "agent_0");
        site.awaitStates(groups.get("test0"), "archived", MoverSite::archived);
        MoverSite.awaitIdle(coordinator);

        DispatchLog log = DispatchLog.of(coordinator);
        for (int k = 0; k < 3; k++) {
            String agent = "agent_" + k;
            List<Path> group = groups.get("test" + k);
            assertEquals(Set.copyOf(group), copiedBy(agent, all), agent + " archived exactly group test" + k);
            assertSentOnlyTo(log, group, agent, "grouping=test" + k, false);
        }
        site.assertArchiveCopies(groups.get("test0"), site.archiveOf("agent_0"));
        assertCopiesHoldTheFiles(groups.get("test1"), tree1);
        site.assertArchiveCopies(groups.get("test2"), site.archiveOf("agent_2"));
        assertTrue(MoverSite.dataFiles(tree1).stream().noneMatch(HostMappingScenariosIT::unfinished),
                "the interrupted copies were redone: " + MoverSite.dataFiles(tree1));
        summary.print("3 groups of " + PER_TAG + " archives each on its own host, agent_1 killed with " + interrupted
                + " copies running and restarted, agent_0's group held until it came");
    }

    /**
     * 15: consistent hashing with N = 10 rewrites grouping=test0/1/2 to grouping=7/8/9 in the data
     * the movers receive, and the rewritten value picks the host: 7 on agent_1, 8 on agent_2, 9 on
     * agent_0 (spec §4.4 test vectors).
     */
    @Test
    void archiveOnHostsChHash() {
        Summary summary = Summary.start("HostMappingScenariosIT 15");
        CoordinatorProcess coordinator = coordinator(60000, "archive_on_hosts_ch grouping= 10 agent_0 agent_1 agent_2");
        movers(coordinator, "agent_0", "agent_1", "agent_2");
        record Expected(String group, String rewritten, String agent) {
        }
        List<Expected> expected = List.of(new Expected("test0", "grouping=7", "agent_1"),
                new Expected("test1", "grouping=8", "agent_2"), new Expected("test2", "grouping=9", "agent_0"));
        Map<Expected, List<Path>> files = new LinkedHashMap<>();
        for (Expected e : expected) {
            files.put(e, archive(e.group(), "grouping=" + e.group()));
        }
        List<Path> all = concat(files.values());
        site.awaitStates(all, "archived", MoverSite::archived);
        MoverSite.awaitIdle(coordinator);

        DispatchLog log = DispatchLog.of(coordinator);
        for (Expected e : expected) {
            List<Path> group = files.get(e);
            assertEquals(Set.copyOf(group), copiedBy(e.agent(), all), e.agent() + " archived exactly " + e.group());
            site.assertArchiveCopies(group, site.archiveOf(e.agent()));
            assertSentOnlyTo(log, group, e.agent(), e.rewritten(), true);
        }
        summary.print(all.size() + " archives rewritten to grouping=7/8/9 and archived by agent_1/agent_2/agent_0");
    }

    /**
     * Every item of {@code group} went to {@code agent} alone, with {@code data} as its data, and
     * (when {@code once}) exactly once.
     */
    void assertSentOnlyTo(DispatchLog log, List<Path> group, String agent, String data, boolean once) {
        Set<Fid> fids = fids(group);
        Set<Fid> seen = new HashSet<>();
        for (DispatchLog.Sent s : log.sent()) {
            Fid f = s.item().dfid();
            if (fids.contains(f)) {
                assertEquals(agent, s.clientId(), f + " sent to the wrong agent");
                assertEquals(data, s.item().dataText(), "data " + agent + " received for " + f);
                assertTrue(seen.add(f) || !once, f + " sent twice");
            }
        }
        assertEquals(fids, seen, "items sent to " + agent);
    }

    Set<Fid> fids(List<Path> files) {
        return new HashSet<>(site.site().fids(files).keySet());
    }

    /** Whether the coordinator has handed client {@code id} as much of its work as it can run at once. */
    static boolean givenItsShare(JsonNode status, String id) {
        return MoverSite.client(status, id).path("current_archive").asInt() == Math.min(3, assigned(status, id).size());
    }

    /** Archives running on or waiting for client {@code id}. */
    static Set<Fid> assigned(JsonNode status, String id) {
        Set<Fid> out = new HashSet<>(StatusDump.clientQueue(status, id, "active_requests"));
        out.addAll(StatusDump.clientQueue(status, id, "waiting_archive"));
        return out;
    }

    /** A copy lsim-copytool has not finished: it writes into {@code <fid>_tmp} and renames it at the end. */
    static boolean unfinished(Path f) {
        return f.getFileName().toString().endsWith("_tmp");
    }

    /**
     * {@link #PER_TAG} new files of exactly {@code size} random bytes, archived with {@code data}:
     * a copy throttled by bandwidth then lasts a known time, however the sizes fall.
     */
    List<Path> archiveFixedSize(String prefix, String data, int size) {
        Random random = new Random(prefix.hashCode());
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < PER_TAG; i++) {
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            Path f = site.mount().path(prefix + "." + i);
            try {
                Files.write(f, bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            files.add(f);
        }
        site.lfs("hsm_archive", files, "--data", data);
        return files;
    }

    /** The copy of each file in the archive tree {@code root} holds the file's bytes. */
    void assertCopiesHoldTheFiles(List<Path> files, Path root) {
        for (Path f : files) {
            assertArrayEquals(read(f), read(MoverSite.archivePath(root, site.site().fid(f))), "archive copy of " + f);
        }
    }

    static byte[] read(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SafeVarargs
    static List<Path> concat(List<Path>... lists) {
        return concat(List.of(lists));
    }

    static List<Path> concat(Iterable<List<Path>> lists) {
        List<Path> all = new ArrayList<>();
        lists.forEach(all::addAll);
        return all;
    }

    static <T> Set<T> union(Set<T> a, Set<T> b) {
        Set<T> u = new HashSet<>(a);
        u.addAll(b);
        return u;
    }
}
