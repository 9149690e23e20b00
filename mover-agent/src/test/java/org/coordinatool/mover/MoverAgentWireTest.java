package org.coordinatool.mover;

import static org.coordinatool.mover.AgentHarness.CLIENT_ID;
import static org.coordinatool.mover.AgentHarness.fid;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.coordinatool.coordinator.protocol.Command;
import org.coordinatool.coordinator.protocol.Reply;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.hsm.HalCodec;
import org.coordinatool.hsm.HsmActionItem;
import org.coordinatool.hsm.HsmActionList;
import org.coordinatool.hsm.HsmExtent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's requests to the coordinator, exactly as sent, against a coordinator played by the test. */
class MoverAgentWireTest {

    static final String FSNAME = TestCoordinator.FSNAME;
    static final long BIG_COOKIE = 0xfedcba9876543210L;

    @TempDir
    Path dir;

    static WireItem item(int action, long cookie, int oid, String data) {
        return new WireItem(action, fid(oid), fid(oid), 0, -1, cookie, 0, 2, 0,
                data.getBytes(StandardCharsets.UTF_8), 1735689600123456789L, "\"extra\":[1,{\"x\":null}]");
    }

    static HsmActionList hal(WireItem... items) {
        return new HsmActionList(0, 2, FSNAME, java.util.Arrays.stream(items)
                .map(w -> new HsmActionItem(w.action(), w.fid(), w.dfid(), new HsmExtent(w.extentOffset(),
                        w.extentLength()), w.cookie(), w.gid(), w.data()))
                .toList());
    }

    /** Starts an agent, registers a copytool for archives 2 and 3 and answers the ehlo. */
    static ScriptedShim registered(AgentHarness h, ScriptedCoordinator coordinator) throws Exception {
        h.start(coordinator.port());
        ScriptedShim shim = ScriptedShim.register(h.socket(), h.copytoolPid(1), List.of(2, 3), FSNAME);
        Command.Ehlo ehlo = coordinator.next(Command.Ehlo.class);
        assertEquals(CLIENT_ID, ehlo.id());
        assertEquals(FSNAME, ehlo.fsname());
        assertEquals(List.of(2L, 3L), ehlo.archiveIds());
        assertNull(ehlo.haiList(), "nothing to claim yet");
        coordinator.ok("ehlo");
        return shim;
    }

    @Test
    void asksForWhatFitsTheCopytoolsBufferAndReportsFull64BitCookies() throws Exception {
        try (ScriptedCoordinator coordinator = new ScriptedCoordinator(); AgentHarness h = new AgentHarness(dir);
             ScriptedShim shim = registered(h, coordinator)) {
            shim.recv(4096);
            assertEquals(new Command.Recv(-1, 3, -1, 4096), coordinator.next(Command.Recv.class));

            WireItem archive = item(20, BIG_COOKIE, 1, "a");
            WireItem other = item(20, 5, 2, "b");
            WireItem cancelOfUnknown = item(23, 77, 3, "c");
            coordinator.reply(new Reply.ActionList(2, 0, FSNAME, List.of(archive, other, cancelOfUnknown)));
            assertArrayEquals(HalCodec.hostOrder().encode(hal(archive, other, cancelOfUnknown)),
                    shim.nextActionList());

            ScriptedShim.end(h.socket(), 99, fid(9), 0);
            ScriptedShim.end(h.socket(), BIG_COOKIE, fid(1), 7);
            assertEquals(new Command.Done(BIG_COOKIE, fid(1), 7), coordinator.next(Command.Done.class),
                    "the end of an item not running here is not reported");
            coordinator.ok("done");

            coordinator.drop();
            Command.Ehlo again = coordinator.next(Command.Ehlo.class);
            assertEquals(List.of(other), again.haiList(), "only the unfinished item, as received; no cancel");
            coordinator.ok("ehlo");
            ScriptedShim.end(h.socket(), 5, fid(2), 0);
            assertEquals(new Command.Done(5L, fid(2), 0), coordinator.next(Command.Done.class));
            coordinator.ok("done");
        }
    }

    @Test
    void aDoneWithoutReplyStaysClaimedAndIsSentAgain() throws Exception {
        try (ScriptedCoordinator coordinator = new ScriptedCoordinator(); AgentHarness h = new AgentHarness(dir);
             ScriptedShim shim = registered(h, coordinator)) {
            shim.recv(1 << 20);
            coordinator.next(Command.Recv.class);
            WireItem archive = item(20, BIG_COOKIE, 1, "a");
            coordinator.reply(new Reply.ActionList(2, 0, FSNAME, List.of(archive)));
            shim.nextActionList();
            shim.recv(1 << 20);
            coordinator.next(Command.Recv.class);

            ScriptedShim.end(h.socket(), BIG_COOKIE, fid(1), 0);
            assertEquals(new Command.Done(BIG_COOKIE, fid(1), 0), coordinator.next(Command.Done.class));
            coordinator.drop();

            ScriptedCoordinator.Received ehlo = coordinator.next();
            assertEquals(2, ehlo.connection());
            assertEquals(List.of(archive), ((Command.Ehlo) ehlo.command()).haiList());
            coordinator.ok("ehlo");
            assertEquals(new Command.Done(BIG_COOKIE, fid(1), 0), coordinator.next(Command.Done.class));
            assertEquals(new Command.Recv(-1, 3, -1, 1 << 20), coordinator.next(Command.Recv.class),
                    "the copytool still waits for work");
            coordinator.ok("done");
            coordinator.drop();
            assertNull(((Command.Ehlo) coordinator.next().command()).haiList(), "nothing claimed once acknowledged");
        }
    }

    @Test
    void anErrorReplyMakesTheAgentReconnect() throws Exception {
        try (ScriptedCoordinator coordinator = new ScriptedCoordinator(); AgentHarness h = new AgentHarness(dir);
             ScriptedShim shim = registered(h, coordinator)) {
            shim.recv(1 << 20);
            coordinator.next(Command.Recv.class);
            coordinator.reply(new Reply.Simple("recv", 22, "Client must send EHLO first and not already be in RECV"));
            ScriptedCoordinator.Received r = coordinator.next();
            assertEquals(2, r.connection());
            assertEquals("ehlo", r.command().name());
            coordinator.ok("ehlo");
            assertEquals(new Command.Recv(-1, 3, -1, 1 << 20), coordinator.next(Command.Recv.class));
        }
    }

    @Test
    void aCopytoolRegistersWhileTheCoordinatorIsDown() throws Exception {
        int port;
        try (ScriptedCoordinator probe = new ScriptedCoordinator()) {
            port = probe.port();
        }
        try (AgentHarness h = new AgentHarness(dir)) {
            h.start(port);
            try (ScriptedShim shim = ScriptedShim.register(h.socket(), h.copytoolPid(1), List.of(), FSNAME)) {
                shim.recv(1 << 20);
                try (ScriptedCoordinator coordinator = new ScriptedCoordinator(port)) {
                    Command.Ehlo ehlo = coordinator.next(Command.Ehlo.class);
                    assertNull(ehlo.archiveIds(), "every archive");
                    coordinator.ok("ehlo");
                    assertEquals(new Command.Recv(-1, 3, -1, 1 << 20), coordinator.next(Command.Recv.class));
                    assertNull(coordinator.poll(Duration.ZERO));
                }
            }
        }
    }
}
