package org.coordinatool.mover;

import static org.coordinatool.mover.AgentHarness.CLIENT_ID;
import static org.coordinatool.mover.AgentHarness.archive;
import static org.coordinatool.mover.AgentHarness.fid;
import static org.coordinatool.mover.AgentHarness.list;
import static org.coordinatool.mover.AgentHarness.until;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.coordinatool.coordinator.protocol.Reply;
import org.coordinatool.hsm.HalCodec;
import org.coordinatool.hsm.HsmActionItem;
import org.coordinatool.hsm.HsmActionList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent between a scripted shim (over its real Unix socket) and the real coordinator (over
 * TCP), with a stand-in copytool process that can be killed.
 */
class MoverAgentTest {

    static final long COOKIE_1 = 0x8000000100000002L;
    static final long COOKIE_2 = 0x7fffffffffffffffL;
    static final HsmActionItem ITEM_1 = archive(COOKIE_1, 1, "tag=a\0b".getBytes(StandardCharsets.UTF_8));
    static final HsmActionItem ITEM_2 = archive(COOKIE_2, 2, new byte[] {(byte) 0xff, 0, 1});
    static final HsmActionList TWO_ITEMS = list(ITEM_1, ITEM_2);

    @TempDir
    Path dir;

    /** Registers as the harness's copytool, asks for work and receives the two items. */
    static ScriptedShim deliverTwoItems(TestCoordinator coordinator, AgentHarness h, long pid) throws Exception {
        ScriptedShim shim = ScriptedShim.register(h.socket(), pid, List.of(1), TestCoordinator.FSNAME);
        shim.recv(1 << 20);
        awaitState(coordinator, "waiting");
        coordinator.fromLustre(TWO_ITEMS);
        assertArrayEquals(HalCodec.hostOrder().encode(TWO_ITEMS), shim.nextActionList());
        awaitCounts(coordinator, 2, 0, 0);
        return shim;
    }

    static void awaitState(TestCoordinator coordinator, String state) {
        until("the agent's state to be " + state, () -> {
            Reply.ClientReport c = coordinator.client(CLIENT_ID);
            return c != null && state.equals(c.state());
        });
    }

    /** Waits until the agent runs {@code current} archives, has done {@code done} and {@code pending} wait. */
    static void awaitCounts(TestCoordinator coordinator, long current, long done, long pending) {
        String want = "current " + current + ", done " + done + ", pending " + pending;
        String[] last = {""};
        try {
            until(want, () -> {
                Reply.StatusReport s = coordinator.status();
                Reply.ClientReport c = s.clients().stream().filter(x -> CLIENT_ID.equals(x.clientId()))
                        .findFirst().orElse(null);
                long cur = c == null ? 0 : c.currentArchive();
                long dn = s.counters().doneArchive();
                last[0] = "current " + cur + ", done " + dn + ", pending " + s.counters().pendingArchive();
                return last[0].equals(want);
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last seen: " + last[0], e);
        }
    }

    @Test
    void relaysActionListsByteForByteAndReportsEnds() throws Exception {
        try (TestCoordinator coordinator = TestCoordinator.start(); AgentHarness h = new AgentHarness(dir)) {
            h.start(coordinator.port());
            long pid = h.copytoolPid(1);
            assertEquals(dir.resolve("libshim.so") + "|" + h.socket(),
                    Files.readString(Path.of(h.pids + ".env")).strip());
            try (ScriptedShim shim = deliverTwoItems(coordinator, h, pid)) {
                ScriptedShim.end(h.socket(), COOKIE_1, fid(1), 0);
                ScriptedShim.end(h.socket(), COOKIE_2, fid(2), 5);
                awaitCounts(coordinator, 0, 2, 0);
            }
        }
    }

    @Test
    void aRejectedListGoesBackToTheCoordinatorAndComesAgain() throws Exception {
        try (TestCoordinator coordinator = TestCoordinator.start(); AgentHarness h = new AgentHarness(dir)) {
            h.start(coordinator.port());
            try (ScriptedShim shim = deliverTwoItems(coordinator, h, h.copytoolPid(1))) {
                shim.reject(-90);
                awaitCounts(coordinator, 0, 0, 2);
                shim.recv(1 << 20);
                assertArrayEquals(HalCodec.hostOrder().encode(TWO_ITEMS), shim.nextActionList());
                awaitCounts(coordinator, 2, 0, 0);
            }
        }
    }

    @Test
    void aRestartedCoordinatorLearnsTheRunningItemsFromTheEhlo() throws Exception {
        try (TestCoordinator coordinator = TestCoordinator.start(); AgentHarness h = new AgentHarness(dir)) {
            h.start(coordinator.port());
            try (ScriptedShim shim = deliverTwoItems(coordinator, h, h.copytoolPid(1))) {
                coordinator.restart();
                awaitCounts(coordinator, 2, 0, 0);
                ScriptedShim.end(h.socket(), COOKIE_1, fid(1), 0);
                ScriptedShim.end(h.socket(), COOKIE_2, fid(2), 0);
                awaitCounts(coordinator, 0, 2, 0);
            }
        }
    }

    @Test
    void aCrashedCopytoolsItemsAreRequeuedAndTheCopytoolRestarted() throws Exception {
        try (TestCoordinator coordinator = TestCoordinator.start(); AgentHarness h = new AgentHarness(dir)) {
            h.start(coordinator.port());
            long first = h.copytoolPid(1);
            try (ScriptedShim shim = deliverTwoItems(coordinator, h, first)) {
                AgentHarness.kill(first);
                awaitCounts(coordinator, 0, 0, 2);
                assertEquals(0, shim.next().type(), "the dead copytool's connection is closed");
            }
            long second = h.copytoolPid(2);
            try (ScriptedShim shim = ScriptedShim.register(h.socket(), second, List.of(1), TestCoordinator.FSNAME)) {
                shim.recv(1 << 20);
                assertArrayEquals(HalCodec.hostOrder().encode(TWO_ITEMS), shim.nextActionList());
                awaitCounts(coordinator, 2, 0, 0);
            }
        }
    }

    @Test
    void aCrashLoopEndsTheAgentWithAnError() throws Exception {
        try (AgentHarness h = new AgentHarness(dir)) {
            MoverAgent agent = h.start(h.settings(1, List.of("/bin/sh", "-c", "echo $$ >> " + h.pids + "; exit 3"),
                    Duration.ofSeconds(30), 2));
            assertEquals(1, agent.exit().get(AgentHarness.WAIT.toSeconds(), TimeUnit.SECONDS));
            assertEquals(3, h.startedCopytools(), "started once and restarted twice");
        }
    }

    @Test
    void stopLetsRunningTransfersFinishThenShutsTheCopytoolDown() throws Exception {
        try (TestCoordinator coordinator = TestCoordinator.start(); AgentHarness h = new AgentHarness(dir)) {
            MoverAgent agent = h.start(coordinator.port());
            long pid = h.copytoolPid(1);
            try (ScriptedShim shim = ScriptedShim.register(h.socket(), pid, List.of(1), TestCoordinator.FSNAME)) {
                shim.recv(1 << 20);
                awaitState(coordinator, "waiting");
                coordinator.fromLustre(list(ITEM_1));
                shim.nextActionList();
                shim.recv(1 << 20);
                awaitState(coordinator, "waiting");

                agent.requestStop();
                awaitState(coordinator, "ready");
                coordinator.fromLustre(list(ITEM_2));
                awaitCounts(coordinator, 1, 0, 1);

                ScriptedShim.end(h.socket(), COOKIE_1, fid(1), 0);
                assertEquals(103, shim.next().type(), "SHUTDOWN once nothing runs, and no new work before it");
                shim.unregister(true);
                AgentHarness.kill(pid);
                assertEquals(0, agent.exit().get(AgentHarness.WAIT.toSeconds(), TimeUnit.SECONDS));
                awaitCounts(coordinator, 0, 1, 1);
            }
        }
    }

    @Test
    void transfersStillRunningAtTheStopTimeoutAreGivenBack() throws Exception {
        try (TestCoordinator coordinator = TestCoordinator.start(); AgentHarness h = new AgentHarness(dir)) {
            MoverAgent agent = h.start(h.settings(coordinator.port(), List.of(h.script.toString(), h.pids.toString()),
                    Duration.ofMillis(300), 5));
            long pid = h.copytoolPid(1);
            try (ScriptedShim shim = deliverTwoItems(coordinator, h, pid)) {
                agent.requestStop();
                assertEquals(103, shim.next().type(), "SHUTDOWN after the stop timeout");
                AgentHarness.kill(pid);
                assertEquals(0, agent.exit().get(AgentHarness.WAIT.toSeconds(), TimeUnit.SECONDS));
                awaitCounts(coordinator, 0, 0, 2);
            }
        }
    }

    @Test
    void anUnregistrationThatMissedTheLastListGivesItBack() throws Exception {
        try (TestCoordinator coordinator = TestCoordinator.start(); AgentHarness h = new AgentHarness(dir)) {
            h.start(coordinator.port());
            try (ScriptedShim shim = deliverTwoItems(coordinator, h, h.copytoolPid(1))) {
                shim.unregister(true);
                awaitCounts(coordinator, 0, 0, 2);
            }
        }
    }
}
