package org.coordinatool.tests.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.coordinatool.hsm.Fid;
import org.coordinatool.hsm.HsmAction;
import org.coordinatool.tests.support.CoordinatorProcess;
import org.coordinatool.tests.support.CoordinatorSite;
import org.coordinatool.tests.support.ProtocolAgent;
import org.coordinatool.tests.support.ProtocolAgent.ActionList;
import org.coordinatool.tests.support.ProtocolAgent.Limits;
import org.coordinatool.tests.support.ReceivedItem;
import org.coordinatool.tests.support.SimMount.HsmFileState;
import org.junit.jupiter.api.Test;

/**
 * Lustre → coordinator → scripted agent → Lustre: requests made with {@code lfs hsm_*} reach the
 * agent through the real server, the agent completes them through liblustreapi and the files
 * change state; restores go first, the agent's limits and archive ids are respected.
 */
class DispatchIT extends RunningServerTest {


    @Override
    String fsname() {
        return "disp";
    }

    @Test
    void archivesReachTheAgentWithDataAndArchiveIdAndCompleteInLustre() {
        long t0 = System.nanoTime();
        List<Path> first = site.createFiles("first", 12);
        List<Path> second = site.createFiles("second", 8);
        Map<Fid, String> expectedData = new HashMap<>();
        Map<Fid, Integer> expectedArchive = new HashMap<>();
        site.fids(first).keySet().forEach(f -> {
            expectedData.put(f, "group=first,tag=a b");
            expectedArchive.put(f, 1);
        });
        site.fids(second).keySet().forEach(f -> {
            expectedData.put(f, "group=second");
            expectedArchive.put(f, 3);
        });
        // ehlo and the first recv in one write, as a pipelining agent may send them.
        ProtocolAgent agent = site.connect(server, "mover-1");
        agent.send(ProtocolAgent.ehloMessage("mover-1", List.of(), List.of()),
                ProtocolAgent.recvMessage(Limits.UNLIMITED));
        ProtocolAgent.requireSuccess(agent.awaitReply("ehlo", WAIT));

        site.lfs("hsm_archive", first, "--data", "group=first,tag=a b");
        site.lfs("hsm_archive", second, "--data", "group=second", "--archive", "3");
        Set<Fid> seen = new HashSet<>();
        int replies = 0;
        while (seen.size() < expectedData.size()) {
            if (replies > 0) {
                agent.recv(Limits.UNLIMITED);
            }
            ActionList list = agent.awaitActionList(WAIT);
            replies++;
            assertEquals(site.mount().fsname(), list.fsname());
            for (ReceivedItem item : list.items()) {
                assertTrue(item.is(HsmAction.ARCHIVE), item.json().toString());
                assertTrue(seen.add(item.fid()), "sent once: " + item.fid());
                assertEquals(expectedData.get(item.fid()), item.dataText(), "data of " + item.fid());
                assertEquals(expectedArchive.get(item.fid()), item.halArchiveId(), "archive id of " + item.fid());
                assertEquals(list.archiveId(), item.halArchiveId(), "one archive id per reply");
                site.mover().complete(item);
                agent.done(item, 0);
            }
        }

        site.awaitArchived(first, 1);
        site.awaitArchived(second, 3);
        site.assertArchivedContents(first);
        site.assertArchivedContents(second);
        assertEquals(20, site.mount().countActions("ARCHIVE", "SUCCEED"));
        JsonNode status = agent.status(4);
        assertEquals(20, status.path("done_archive").asInt(), status.toString());
        assertEquals(0, status.path("running_archive").asInt(), status.toString());
        assertEquals(0, status.path("pending_archive").asInt(), status.toString());
        System.out.printf("DispatchIT: 20 archives (2 archive ids, with data) Lustre -> coordinator -> agent -> Lustre"
                + " in %d replies, %d ms%n", replies, millisSince(t0));
    }

    @Test
    void restoresGoFirstAndRunningLimitsHoldPerType() {
        List<Path> old = site.createFiles("old", 4);
        List<Path> fresh = site.createFiles("new", 4);
        ProtocolAgent agent = site.agent(server, "mover-1");
        archiveAndRelease(agent, old);
        long t0 = System.nanoTime();

        // The archives are asked for first; the restores must still be served before them.
        site.lfs("hsm_archive", fresh);
        site.lfs("hsm_restore", old);
        CoordinatorSite.awaitStatus(agent, "4 restores and 4 archives queued",
                s -> s.path("pending_restore").asInt() == 4 && s.path("pending_archive").asInt() == 4);

        // Room for exactly two items (72 + hai_len = 144 bytes each without data): both restores.
        List<ReceivedItem> running = new ArrayList<>();
        ActionList r1 = agent.receive(new Limits(-1, -1, -1, 400), WAIT);
        assertEquals(List.of(21, 21), actions(r1), "first reply: restores before archives");
        running.addAll(r1.items());

        // At most 3 restores and 1 archive running: one more restore, then one archive, in that order.
        Limits limits = Limits.of(1, 3, -1);
        ActionList r2 = agent.receive(limits, WAIT);
        assertEquals(List.of(21, 20), actions(r2), "second reply");
        running.addAll(r2.items());

        // Both limits are reached: nothing until a restore is done, then exactly the last restore.
        agent.recv(limits);
        JsonNode waiting = agent.status(4);
        assertFalse(agent.hasReply("recv"), "no work beyond the limits: " + waiting);
        assertEquals(3, waiting.path("running_restore").asInt(), waiting.toString());
        assertEquals(1, waiting.path("running_archive").asInt(), waiting.toString());
        ReceivedItem firstRestore = running.remove(0);
        site.mover().complete(firstRestore);
        agent.sendDone(firstRestore, 0);
        ActionList r3 = agent.awaitActionList(WAIT);
        assertEquals(List.of(21), actions(r3), "after one restore is done");
        ProtocolAgent.requireSuccess(agent.awaitReply("done", WAIT));
        running.addAll(r3.items());

        for (ReceivedItem item : running) {
            site.mover().complete(item);
            agent.done(item, 0);
        }
        ActionList r4 = agent.receive(Limits.UNLIMITED, WAIT);
        assertEquals(List.of(20, 20, 20), actions(r4), "the remaining archives");
        for (ReceivedItem item : r4.items()) {
            site.mover().complete(item);
            agent.done(item, 0);
        }

        site.awaitStates(old, "restored", s -> s.has(HsmFileState.ARCHIVED) && !s.has(HsmFileState.RELEASED));
        site.awaitArchived(fresh, 1);
        for (Path f : old) {
            assertEquals("content of " + f.getFileName() + "\n", CoordinatorSite.read(f), "restored content");
        }
        System.out.printf("DispatchIT: 4 restores served before 4 archives within max_bytes/max_restore/max_archive"
                + " in %d ms%n", millisSince(t0));
    }

    @Test
    void agentsOnlyGetTheirArchiveIds() {
        long t0 = System.nanoTime();
        List<Path> one = site.createFiles("one", 5);
        List<Path> two = site.createFiles("two", 1);
        ProtocolAgent onlyTwo = site.agent(server, "mover-2", 2);
        onlyTwo.recv(Limits.UNLIMITED);

        site.lfs("hsm_archive", one);
        JsonNode queued = CoordinatorSite.awaitPending(onlyTwo, "archive", 5);
        assertFalse(onlyTwo.hasReply("recv"), "archive-1 work never goes to an agent of archive 2: " + queued);

        ProtocolAgent onlyOne = site.agent(server, "mover-1", 1);
        // The fairness cut (pending / connected agents per reply) may split it over several replies.
        int received = 0;
        while (received < 5) {
            ActionList got = onlyOne.receive(Limits.UNLIMITED, WAIT);
            assertEquals(1, got.archiveId());
            for (ReceivedItem item : got.items()) {
                site.mover().complete(item);
                onlyOne.done(item, 0);
                received++;
            }
        }
        assertEquals(5, received, "the agent of archive 1 gets all of it");
        site.awaitArchived(one, 1);
        JsonNode after = onlyTwo.status(4);
        assertFalse(onlyTwo.hasReply("recv"), "still nothing for archive 2: " + after);

        site.lfs("hsm_archive", two, "--archive", "2");
        ActionList forTwo = onlyTwo.awaitActionList(WAIT);
        assertEquals(1, forTwo.items().size());
        assertEquals(2, forTwo.archiveId());
        site.mover().complete(forTwo.items().get(0));
        onlyTwo.done(forTwo.items().get(0), 0);
        site.awaitArchived(two, 2);
        System.out.printf("DispatchIT: archive-id filtering, 5 archives to [1], 1 to [2] in %d ms%n", millisSince(t0));
    }

    /** Archives {@code files} through the coordinator and {@code agent}, then releases them. */
    private void archiveAndRelease(ProtocolAgent agent, List<Path> files) {
        site.lfs("hsm_archive", files);
        int done = 0;
        while (done < files.size()) {
            for (ReceivedItem item : agent.receive(Limits.UNLIMITED, WAIT).items()) {
                site.mover().complete(item);
                agent.done(item, 0);
                done++;
            }
        }
        site.awaitArchived(files, 1);
        site.lfs("hsm_release", files);
        site.awaitStates(files, "released", s -> s.has(HsmFileState.RELEASED));
    }

    private static List<Integer> actions(ActionList list) {
        return list.items().stream().map(ReceivedItem::action).toList();
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
