package org.coordinatool.mover;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the agent accepts from a shim at registration, and how it answers what it does not. */
class RegistrationTest {

    static final String FSNAME = TestCoordinator.FSNAME;

    @TempDir
    Path dir;

    static int registerRc(ScriptedShim s, int version, int pid, List<Integer> archives, String fsname)
            throws Exception {
        s.sendRegister(version, pid, archives, "/mnt/x", fsname);
        ScriptedShim.Frame reply = s.next();
        assertEquals(101, reply.type(), "REGISTER_REPLY expected");
        assertEquals(0, s.next().type(), "the agent closes the connection after refusing");
        return reply.rc();
    }

    @Test
    void oneCopytoolProcessPerAgent() throws Exception {
        try (ScriptedCoordinator coordinator = new ScriptedCoordinator(); AgentHarness h = new AgentHarness(dir)) {
            h.start(coordinator.port());
            long pid = h.copytoolPid(1);
            try (ScriptedShim first = ScriptedShim.register(h.socket(), pid, List.of(1), FSNAME);
                 ScriptedShim other = ScriptedShim.connect(h.socket())) {
                assertEquals(-16, registerRc(other, 1, (int) pid + 1, List.of(1), FSNAME), "-EBUSY");
                first.recv(1 << 20);
            }
        }
    }

    @Test
    void theSameProcessMayRegisterAgainOnANewConnection() throws Exception {
        try (ScriptedCoordinator coordinator = new ScriptedCoordinator(); AgentHarness h = new AgentHarness(dir)) {
            h.start(coordinator.port());
            long pid = h.copytoolPid(1);
            try (ScriptedShim first = ScriptedShim.register(h.socket(), pid, List.of(1), FSNAME);
                 ScriptedShim again = ScriptedShim.register(h.socket(), pid, List.of(1), FSNAME)) {
                assertEquals(0, first.next().type(), "the old control connection is closed");
            }
        }
    }

    @Test
    void badRegistrationsAreRefusedWithAnErrno() throws Exception {
        try (AgentHarness h = new AgentHarness(dir)) {
            h.start(1);
            int pid = (int) h.copytoolPid(1);
            try (ScriptedShim s = ScriptedShim.connect(h.socket())) {
                assertEquals(-22, registerRc(s, 1, pid, List.of(0), FSNAME), "archive 0 is sent as an empty list");
            }
            try (ScriptedShim s = ScriptedShim.connect(h.socket())) {
                assertEquals(-22, registerRc(s, 1, pid, List.of(-5), FSNAME), "archive id above 2^31-1");
            }
            try (ScriptedShim s = ScriptedShim.connect(h.socket())) {
                assertEquals(-22, registerRc(s, 1, pid, List.of(1), ""), "no fsname");
            }
            try (ScriptedShim s = ScriptedShim.connect(h.socket())) {
                assertEquals(-93, registerRc(s, 2, pid, List.of(1), FSNAME), "-EPROTONOSUPPORT");
            }
        }
    }

    @Test
    void protocolErrorsCloseTheConnection() throws Exception {
        try (AgentHarness h = new AgentHarness(dir)) {
            h.start(1);
            int pid = (int) h.copytoolPid(1);
            try (ScriptedShim s = ScriptedShim.connect(h.socket())) {
                s.write(ByteBuffer.allocate(16).putInt(0x12345678).array());
                assertEquals(0, s.next().type(), "bad magic");
            }
            try (ScriptedShim s = ScriptedShim.connect(h.socket())) {
                s.recv(1 << 20);
                assertEquals(0, s.next().type(), "RECV before REGISTER");
            }
            try (ScriptedShim s = ScriptedShim.connect(h.socket())) {
                s.write(ScriptedShim.frame(1, 2, new byte[5]));
                assertEquals(0, s.next().type(), "RECV of the wrong size");
            }
            try (ScriptedShim s = ScriptedShim.register(h.socket(), pid, List.of(1), FSNAME)) {
                s.recv(100);
                assertEquals(0, s.next().type(), "a buffer too small for any action list");
            }
            try (ScriptedShim s = ScriptedShim.register(h.socket(), pid, List.of(1), FSNAME)) {
                s.recv(1 << 20);
                s.recv(1 << 20);
                assertEquals(0, s.next().type(), "two RECVs outstanding");
            }
        }
    }
}
