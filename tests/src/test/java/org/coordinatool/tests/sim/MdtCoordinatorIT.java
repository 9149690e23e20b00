package org.coordinatool.tests.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.coordinatool.hsm.ActiveRequest;
import org.coordinatool.hsm.HsmActionItem;
import org.coordinatool.hsm.HsmExtent;
import org.coordinatool.lustre.Errno;
import org.coordinatool.lustre.Lustre;
import org.coordinatool.lustre.LustreException;
import org.coordinatool.lustre.MessageLevel;
import org.coordinatool.tests.support.Await;
import org.coordinatool.tests.support.ManagedProcess;
import org.coordinatool.tests.support.ReceivingCopytool;
import org.coordinatool.tests.support.SimMount;
import org.coordinatool.tests.support.SimMount.HsmFileState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulated MDT coordinator's request life cycle as seen from copytools: cancels, timeouts,
 * the max_requests limit and agents that die.
 */
class MdtCoordinatorIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path work;

    private SimMount mount;
    private Lustre lustre;

    @BeforeEach
    void start() {
        mount = SimMount.start(work.resolve("mnt"), "mdttest", "grace_delay=3600");
        lustre = Lustre.load();
        lustre.setMessageLevel(MessageLevel.OFF);
    }

    @AfterEach
    void stop() {
        mount.close();
    }

    @Test
    void cancelOfAWaitingRequestIsDeliveredButDoesNotStopTheRequest() throws Exception {
        Path f = file("queued", 4096);
        mount.lfs("hsm_archive", f.toString()).requireOk();
        mount.lfs("hsm_cancel", f.toString()).requireOk();
        assertEquals(1, mount.countActions("ARCHIVE", "WAITING"));
        assertEquals(1, mount.countActions("CANCEL", "WAITING"));
        assertEquals(f + ": ARCHIVE waiting (from 0 to EOF)\n",
                mount.lfs("hsm_action", f.toString()).requireOk().stdout());

        // As on Lustre, a cancel that reaches a request before dispatch does not mark it: both are
        // sent, and the archive still runs to completion.
        mount.startCopytool(Files.createDirectories(work.resolve("hsm")), work.resolve("ct.log"),
                "-u", "0.1");
        Await.until(DEADLINE, "archive done", () -> mount.hsmState(f).has(HsmFileState.ARCHIVED));
        Await.until(DEADLINE, "cancel record finished",
                () -> mount.countActions("CANCEL", "SUCCEED") == 1);
        assertEquals(1, mount.countActions("ARCHIVE", "SUCCEED"));
    }

    @Test
    void cancelOfARunningArchiveStopsTheCopy() throws Exception {
        Path f = file("big", 32 << 20);
        Path hsm = Files.createDirectories(work.resolve("hsm"));
        ManagedProcess ct = mount.startCopytool(hsm, work.resolve("ct.log"),
                "-u", "0.1", "-b", "4", "-c", "1");
        mount.lfs("hsm_archive", f.toString()).requireOk();
        Await.until(DEADLINE, "copy under way", () -> bytesMoved(f) > 0);

        mount.lfs("hsm_cancel", f.toString()).requireOk();

        Await.until(DEADLINE, "archive cancelled", () -> mount.countActions("ARCHIVE", "CANCELED") == 1);
        Await.until(DEADLINE, "cancel record done", () -> mount.countActions("CANCEL", "SUCCEED") == 1);
        Await.until(DEADLINE, "copytool saw the cancel",
                () -> ct.log().contains("Operation canceled (125)"));
        HsmFileState state = mount.hsmState(f);
        assertFalse(state.has(HsmFileState.ARCHIVED), state.line());
        assertTrue(mount.activeRequests().isEmpty());
        try (var objects = Files.walk(hsm)) {
            assertEquals(List.of(), objects.filter(Files::isRegularFile).toList(),
                    "the partial archive copy was removed");
        }
    }

    @Test
    void requestWithoutProgressIsCancelledAfterActiveRequestTimeout() throws Exception {
        mount.set("active_request_timeout=2", "loop_period=1");
        Path f = file("silent", 100);
        try (ReceivingCopytool ct = new ReceivingCopytool(lustre, mount.root().toString())) {
            mount.lfs("hsm_archive", f.toString()).requireOk();
            HsmActionItem item = ct.items(1, DEADLINE).get(0);
            Await.until(DEADLINE, "request started", () -> mount.countActions("ARCHIVE", "STARTED") == 1);

            Await.until(Duration.ofSeconds(15), "request timed out",
                    () -> mount.countActions("ARCHIVE", "CANCELED") == 1);
            assertTrue(mount.activeRequests().isEmpty());
            assertTrue(mount.lsim("agents").requireOk().stdout().contains("errors:1"),
                    "a timeout counts as an agent error");

            // The copytool learns about it only when it talks to the MDT: begin's COPY_START
            // reports a first progress, and the cookie is unknown by then.
            LustreException late = assertThrows(LustreException.class,
                    () -> ct.copytool().begin(item, -1, 0));
            assertTrue(late.is(Errno.ENOENT), late.toString());
        }
    }

    @Test
    void maxRequestsBoundsWhatIsActiveAtOnce() throws Exception {
        mount.set("max_requests=3");
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            files.add(file("f" + i, 10));
        }
        try (ReceivingCopytool ct = new ReceivingCopytool(lustre, mount.root().toString())) {
            List<String> args = new ArrayList<>(List.of("hsm_archive"));
            files.forEach(p -> args.add(p.toString()));
            mount.lfs(args.toArray(String[]::new)).requireOk();

            List<HsmActionItem> first = ct.items(3, DEADLINE);
            assertEquals(3, first.size());
            assertEquals(3, mount.activeRequests().size());
            assertEquals(7, mount.countActions("ARCHIVE", "WAITING"));
            assertEquals("3", mount.lsim("get", "archive_count").requireOk().stdout().trim()
                    .replaceAll(".*=", ""));

            Set<Long> seen = new HashSet<>();
            List<HsmActionItem> pending = new ArrayList<>(first);
            while (seen.size() < files.size()) {
                HsmActionItem item = pending.remove(0);
                assertTrue(seen.add(item.cookie()), "each request is sent once");
                ct.copytool().begin(item, -1, 0).end(HsmExtent.WHOLE_FILE, 0, 0);
                if (seen.size() + pending.size() < files.size()) {
                    pending.addAll(ct.items(1, DEADLINE));
                }
                assertTrue(mount.activeRequests().size() <= 3, "never more than max_requests active");
            }
            Await.until(DEADLINE, "all archived",
                    () -> mount.countActions("ARCHIVE", "SUCCEED") == files.size());
        }
    }

    @Test
    void deadAgentLeavesItsRequestsStartedUntilTheyTimeOut() throws Exception {
        Path f = file("orphan", 8 << 20);
        ManagedProcess ct = mount.startCopytool(Files.createDirectories(work.resolve("hsm")),
                work.resolve("ct.log"), "-u", "0.1", "-b", "1");
        mount.lfs("hsm_archive", f.toString()).requireOk();
        Await.until(DEADLINE, "copy under way", () -> bytesMoved(f) > 0);
        ct.kill();

        // Lustre does not notice a copytool's death: the request stays STARTED, the agent stays.
        List<ActiveRequest> active = mount.activeRequests();
        assertEquals(1, active.size());
        assertEquals(1, mount.countActions("ARCHIVE", "STARTED"));
        assertFalse(mount.lsim("agents").requireOk().stdout().isBlank());

        mount.set("active_request_timeout=1", "loop_period=1");
        Await.until(Duration.ofSeconds(15), "orphan timed out",
                () -> mount.countActions("ARCHIVE", "CANCELED") == 1);
        assertFalse(mount.hsmState(f).has(HsmFileState.ARCHIVED));

        // The next send to the dead agent fails, which unregisters it; the request waits.
        Path g = file("next", 10);
        mount.lfs("hsm_archive", g.toString()).requireOk();
        Await.until(DEADLINE, "dead agent unregistered",
                () -> mount.lsim("agents").requireOk().stdout().isBlank());
        assertEquals(1, mount.countActions("ARCHIVE", "WAITING"));
    }

    /** Bytes reported through progress, from {@code lfs hsm_action}; 0 unless running. */
    private long bytesMoved(Path f) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("running \\((\\d+) bytes moved\\)")
                .matcher(mount.lfs("hsm_action", f.toString()).requireOk().stdout());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private Path file(String name, int size) throws IOException {
        Path f = mount.path(name);
        byte[] data = new byte[size];
        new java.util.Random(size).nextBytes(data);
        Files.write(f, data);
        return f;
    }
}
