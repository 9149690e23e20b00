package org.coordinatool.tests.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.coordinatool.tests.support.Await;
import org.coordinatool.tests.support.CoordinatorProcess;
import org.coordinatool.tests.support.CoordinatorSite;
import org.coordinatool.tests.support.ProcessResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The server process: it registers with Lustre as the copytool of every archive, leaves with
 * status 0 on TERM, INT and QUIT (unregistered), and refuses to start, with status 1 and a
 * one-line reason, when its environment is wrong.
 */
class CoordinatorLifecycleIT {

    private static final Duration FAILURE_DEADLINE = Duration.ofSeconds(30);
    private static final String REASON_PREFIX = "lhsmd_coordinatool: ";

    @TempDir
    Path work;

    private CoordinatorSite site;

    @BeforeEach
    void start() {
        site = CoordinatorSite.start(work, "life");
    }

    @AfterEach
    void stop() throws Exception {
        site.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT", "QUIT"})
    void registersWithLustreAndExitsZeroOnSignal(String signal) {
        long t0 = System.nanoTime();
        CoordinatorProcess server = site.start(site.coordinator());
        Await.until(CoordinatorSite.DEADLINE, "the coordinator listed among Lustre's agents for every archive",
                () -> coordinatorAgents() == 1);

        assertEquals(0, server.stopWith(signal), "exit status after SIG" + signal + "\n" + server.log());
        Await.until(CoordinatorSite.DEADLINE, "the coordinator unregistered from Lustre",
                () -> coordinatorAgents() == 0);
        System.out.printf("CoordinatorLifecycleIT: registered, SIG%s -> exit 0, unregistered in %d ms%n",
                signal, (System.nanoTime() - t0) / 1_000_000);
    }

    @Test
    void refusesAMountThatIsNotLustre() throws IOException {
        Path plain = Files.createDirectories(work.resolve("not-lustre"));
        ProcessResult r = CoordinatorProcess.on(site.mount(), work.resolve("plain"))
                .withMountPoint(plain).runUntilExit(CoordinatorProcess.freePort(), FAILURE_DEADLINE);

        String reason = assertStartupFailure(r);
        assertTrue(reason.contains(plain.toString()), reason);
        System.out.println("CoordinatorLifecycleIT: non-Lustre mount refused: " + reason);
    }

    @Test
    void refusesABadConfigurationLineNamingFileAndLine() {
        CoordinatorProcess.Settings settings = site.coordinator().config("verbose debug", "client_grace_ms soon");
        Path file = settings.writeConfig(0);
        ProcessResult r = settings.withConfigFile(file).runUntilExit(CoordinatorProcess.freePort(), FAILURE_DEADLINE);

        String reason = assertStartupFailure(r);
        assertTrue(reason.contains(file + ":2"), "reason names the file and line: " + reason);
        assertTrue(reason.contains("client_grace_ms"), reason);
        System.out.println("CoordinatorLifecycleIT: bad configuration refused: " + reason);
    }

    @Test
    void refusesAPortInUse() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(CoordinatorProcess.HOST))) {
            ProcessResult r = site.coordinator().runUntilExit(taken.getLocalPort(), FAILURE_DEADLINE);

            String reason = assertStartupFailure(r);
            assertTrue(reason.contains(Integer.toString(taken.getLocalPort())), "reason names the port: " + reason);
            assertEquals(0, coordinatorAgents(), "a server that could not listen never registers with Lustre");
            System.out.println("CoordinatorLifecycleIT: port in use refused: " + reason);
        }
    }

    /** Exit status 1, and the last line on standard error is the reason, said once. */
    private static String assertStartupFailure(ProcessResult r) {
        assertEquals(1, r.exitCode(), r.describe());
        List<String> lines = r.stderr().lines().toList();
        assertTrue(!lines.isEmpty(), r.describe());
        String last = lines.get(lines.size() - 1);
        assertTrue(last.startsWith(REASON_PREFIX), "last line is the reason: " + r.describe());
        assertEquals(1, lines.stream().filter(l -> l.startsWith(REASON_PREFIX)).count(), r.describe());
        return last;
    }

    /** Agents of the mount registered for every archive: only a coordinator registers that way here. */
    private long coordinatorAgents() {
        return site.mount().lsim("agents").requireOk().stdout().lines()
                .filter(l -> l.contains(" archive_id=ANY ")).count();
    }
}
