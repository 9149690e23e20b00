package org.coordinatool.tests.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.coordinatool.tests.support.CoordinatorProcess;
import org.coordinatool.tests.support.CoordinatorSite;
import org.coordinatool.tests.support.ProcessResult;
import org.coordinatool.tests.support.ProtocolAgent;
import org.coordinatool.tests.support.ProtocolAgent.ActionList;
import org.coordinatool.tests.support.ProtocolAgent.Limits;
import org.coordinatool.tests.support.ReceivedItem;
import org.junit.jupiter.api.Test;

/**
 * {@code coordinatool-client --lock/--unlock/--lock-quit} (the real CLI process) against the real
 * server: nothing is dispatched while locked, everything waiting goes out on unlock, and
 * lock-and-quit ends the server with status 0 once the last running request is done.
 */
class LockIT extends RunningServerTest {


    @Override
    String fsname() {
        return "lock";
    }

    @Test
    void nothingIsDispatchedWhileLockedAndEverythingOnUnlock() {
        long t0 = System.nanoTime();
        List<Path> files = site.createFiles("f", 3);
        ProtocolAgent agent = site.agent(server, "mover-1");
        agent.recv(Limits.UNLIMITED);

        assertCliOk(CoordinatorSite.client(server, null, "--lock"));
        site.lfs("hsm_archive", files);
        // Status goes over the agent's own connection: a recv reply sent before it would arrive first.
        JsonNode locked = CoordinatorSite.awaitStatus(agent, "3 archives queued while locked",
                s -> s.path("pending_archive").asInt() == 3);
        assertEquals(1, locked.path("locked").asInt(), locked.toString());
        assertFalse(agent.hasReply("recv"), "no dispatch while locked: " + locked);

        assertCliOk(CoordinatorSite.client(server, null, "--unlock"));
        ActionList list = agent.awaitActionList(WAIT);
        assertEquals(3, list.items().size(), "everything waiting goes out on unlock");
        for (ReceivedItem item : list.items()) {
            site.mover().complete(item);
            agent.done(item, 0);
        }
        site.awaitArchived(files, 1);
        System.out.printf("LockIT: 3 archives held while locked, dispatched on unlock, in %d ms%n",
                (System.nanoTime() - t0) / 1_000_000);
    }

    @Test
    void lockAndQuitExitsZeroOnceTheRunningWorkIsDone() {
        long t0 = System.nanoTime();
        List<Path> running = site.createFiles("run", 2);
        List<Path> late = site.createFiles("late", 1);
        ProtocolAgent agent = site.agent(server, "mover-1");
        site.lfs("hsm_archive", running);
        List<ReceivedItem> items = receiveAll(agent, 2);
        agent.recv(Limits.UNLIMITED);

        assertCliOk(CoordinatorSite.client(server, null, "--lock-quit"));
        site.lfs("hsm_archive", late);
        JsonNode status = CoordinatorSite.awaitStatus(agent, "the late archive queued",
                s -> s.path("pending_archive").asInt() == 1);
        assertEquals(2, status.path("locked").asInt(), status.toString());
        assertEquals(2, status.path("running_archive").asInt(), status.toString());
        assertFalse(agent.hasReply("recv"), "nothing dispatched after lock-and-quit: " + status);

        site.mover().complete(items.get(0));
        agent.done(items.get(0), 0);
        assertTrue(server.isAlive(), "still one request running");
        assertEquals(1, agent.status(4).path("running_archive").asInt());

        site.mover().complete(items.get(1));
        agent.done(items.get(1), 0);
        assertEquals(0, server.waitForExit(WAIT), "exit status after lock-and-quit\n" + server.log());
        site.awaitArchived(running, 1);
        System.out.printf("LockIT: lock-and-quit left with status 0 after the last of 2 running archives, in %d ms%n",
                (System.nanoTime() - t0) / 1_000_000);
    }

    private static List<ReceivedItem> receiveAll(ProtocolAgent agent, int n) {
        List<ReceivedItem> items = new ArrayList<>();
        while (items.size() < n) {
            items.addAll(agent.receive(Limits.UNLIMITED, WAIT).items());
        }
        assertEquals(n, items.size());
        return items;
    }

    private static void assertCliOk(ProcessResult r) {
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals("ok", r.stdout().strip(), r.describe());
    }
}
