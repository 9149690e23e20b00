package org.coordinatool.tests.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.coordinatool.tests.support.Await;
import org.coordinatool.tests.support.CoordinatorProcess;
import org.coordinatool.tests.support.LogText;
import org.coordinatool.tests.support.MoverProcess;
import org.coordinatool.tests.support.MoverSite;
import org.coordinatool.tests.support.ProcessResources;
import org.coordinatool.tests.support.Processes;
import org.coordinatool.tests.support.ProtocolAgent;
import org.coordinatool.tests.support.ReportFiles;
import org.coordinatool.tests.support.Summary;
import org.coordinatool.tests.support.TcpProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults injected at random moments (seeded: each scenario prints its seed, {@code -Dfaults.seed}
 * replays it) into a site under load: rounds of archive requests submitted all at once to three
 * movers, a crash or a broken part while they drain, and every invariant checked once the round
 * has drained (see {@link FaultRig#verifyDrained}). {@code -Dfaults.scale=large} runs more and
 * bigger rounds. Each scenario prints one summary line: requests, faults, recovery times, losses.
 */
class FaultInjectionIT {

    static final FaultScale SCALE = FaultScale.fromSystemProperties();
    static final int MOVERS = 3;

    /** Archives queued for the connection cycles: each cycle's agent takes one, the next gives it back. */
    static final int CYCLE_FILES = 50;

    /**
     * Lustre's active_request_timeout in the simulator scenario: long enough for any request to
     * wait in the coordinator's queue, short enough to wait for what an MDT restart left behind.
     */
    static final int SIM_REQUEST_TIMEOUT_S = 20;

    @TempDir
    Path work;

    FaultRig rig;
    long seed;
    Summary summary;
    final Recoveries recoveries = new Recoveries();

    FaultRig start(String fsname, TestInfo test) {
        seed = SCALE.seed() ^ fsname.hashCode();
        summary = Summary.start("FaultInjectionIT " + test.getTestMethod().orElseThrow().getName());
        rig = FaultRig.start(work, fsname, SCALE, new Random(seed));
        return rig;
    }

    @AfterEach
    void stop() throws Exception {
        if (rig != null) {
            rig.close();
        }
    }

    void printSummary(String faults) {
        summary.print(SCALE.name() + " scale, seed " + SCALE.seed() + ": " + rig.files.size() + " archive requests in "
                + SCALE.rounds() + " rounds, " + faults + ", " + recoveries.describe() + ", losses 0, run twice 0");
    }

    /** The coordinator crashes (SIGKILL) once a round; restarted, it recovers from Redis and from Lustre. */
    @Test
    void coordinatorKilled(TestInfo test) {
        start("fcoord", test);
        rig.startCoordinator(rig.coordinatorSettings());
        rig.startMovers(MOVERS, s -> s);
        for (int r = 0; r < SCALE.rounds(); r++) {
            rig.submitRound();
            rig.awaitRandomMoment(0.1, 0.8);
            long t = System.nanoTime();
            rig.coordinator.kill9();
            rig.coordinator = rig.site.restart(rig.coordinator);
            rig.requeueFromLustre();
            recoveries.add(rig.awaitRecovery(t));
            rig.verifyDrained(-1);
        }
        printSummary("coordinator killed with SIGKILL and restarted");
    }

    /**
     * Redis crashes (SIGKILL) and comes back from its append-only file while the coordinator runs;
     * then the coordinator crashes and must find its whole queue in that Redis.
     */
    @Test
    void redisKilled(TestInfo test) {
        start("fredis", test);
        rig.startCoordinator(rig.coordinatorSettings());
        rig.startMovers(MOVERS, s -> s);
        for (int r = 0; r < SCALE.rounds(); r++) {
            rig.submitRound();
            rig.awaitRandomMoment(0.1, 0.4);
            int resyncs = LogText.count(rig.coordinator.log(), "Redis re-synchronised");
            long t = System.nanoTime();
            rig.redis.kill();
            rig.awaitRandomMoment(0.05, 0.2);
            rig.redis.restart();
            Await.until(SCALE.deadline(), "the coordinator re-synchronised with Redis",
                    () -> LogText.count(rig.coordinator.log(), "Redis re-synchronised") > resyncs);
            recoveries.add(rig.awaitRecovery(t));

            rig.awaitRandomMoment(0.1, 0.5);
            t = System.nanoTime();
            rig.coordinator.kill9();
            rig.coordinator = rig.site.restart(rig.coordinator);
            recoveries.add(rig.awaitRecovery(t));
            rig.verifyDrained(-1);
        }
        printSummary("Redis killed with SIGKILL and restarted from its append-only file, then the coordinator"
                + " killed and recovered from that Redis alone");
    }

    /** A mover's agent is killed (SIGKILL) and restarted; a copytool is killed and its agent restarts it. */
    @Test
    void moverKilled(TestInfo test) {
        start("fmover", test);
        rig.startCoordinator(rig.coordinatorSettings());
        rig.startMovers(MOVERS, s -> s);
        for (int r = 0; r < SCALE.rounds(); r++) {
            rig.submitRound();
            rig.awaitRandomMoment(0.1, 0.4);
            int i = rig.random.nextInt(MOVERS);
            long t = System.nanoTime();
            MoverProcess killed = rig.movers.get(i);
            ProcessHandle orphan = killed.killAgent();
            Await.until(MoverSite.DEADLINE, "the copytool of the killed agent stopped",
                    () -> MoverProcess.hasEnded(orphan));
            rig.trace.killed(killed.logFile());
            rig.restartMover(i);
            recoveries.add(rig.awaitRecovery(t));

            rig.awaitRandomMoment(0.1, 0.5);
            MoverProcess m = rig.movers.get(rig.random.nextInt(MOVERS));
            long before = m.copytool().pid();
            t = System.nanoTime();
            m.killCopytool();
            rig.trace.killed(m.logFile());
            Await.until(MoverSite.DEADLINE, "copytool of " + m.clientId() + " restarted",
                    () -> m.copytool().pid() != before);
            recoveries.add(rig.awaitRecovery(t));
            rig.verifyDrained(rig.files.size());
        }
        printSummary("agent killed with SIGKILL and restarted, copytool killed with SIGKILL and restarted by its"
                + " agent, alternately");
    }

    /**
     * The simulated MDT crashes (SIGKILL to its daemon) and restarts from its journal. Lustre then
     * forgets which archives were running: they stay started until its active_request_timeout
     * (shortened here) cancels them, and are submitted again. The coordinator loses its Lustre
     * channel and exits; it is restarted as its service manager would.
     */
    @Test
    void simulatorRestarted(TestInfo test) {
        start("fsim", test);
        String[] tunables = Arrays.copyOf(FaultRig.LUSTRE_TUNABLES, FaultRig.LUSTRE_TUNABLES.length + 1);
        tunables[tunables.length - 1] = "active_request_timeout=" + SIM_REQUEST_TIMEOUT_S;
        rig.mount().set(tunables);
        rig.startCoordinator(rig.coordinatorSettings());
        rig.startMovers(MOVERS, s -> s);
        for (int r = 0; r < SCALE.rounds(); r++) {
            rig.submitRound();
            rig.awaitRandomMoment(0.1, 0.6);
            long pid = rig.mount().daemonPid();
            long t = System.nanoTime();
            Processes.run(Duration.ofSeconds(10), List.of("kill", "-KILL", Long.toString(pid))).requireOk();
            Await.until(MoverSite.DEADLINE, "simulator daemon " + pid + " gone",
                    () -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
            assertEquals(1, rig.coordinator.waitForExit(MoverSite.DEADLINE),
                    "the coordinator exits with status 1 when Lustre breaks its channel");
            rig.mount().restart(tunables);
            rig.recordForgottenByLustre();
            rig.coordinator = rig.site.restart(rig.coordinator);
            rig.requeueFromLustre();
            recoveries.add(rig.awaitNewRequestServed(t));
        }
        int resubmitted = rig.resubmitForgotten();
        rig.verifyDrained(-1);
        printSummary("simulator daemon killed with SIGKILL and restarted, the coordinator restarted after it; "
                + rig.forgottenByLustre.size() + " running archives forgotten by Lustre, cancelled by its timeout and " + resubmitted
                + " files submitted again");
    }

    /**
     * Two of the three movers reach the coordinator through a TCP proxy that stalls (every byte
     * held while the third mover works on) and cuts (RST) their connections.
     */
    @Test
    void connectionsStalledAndCut(TestInfo test) {
        start("fconn", test);
        rig.startCoordinator(rig.coordinatorSettings());
        try (TcpProxy proxy = TcpProxy.start(rig.coordinator.port())) {
            rig.startMovers(MOVERS, s -> s.clientId().equals("mover1") ? s : s.port(proxy.port()));
            List<MoverProcess> proxied = rig.movers.subList(1, MOVERS);
            for (int r = 0; r < SCALE.rounds(); r++) {
                rig.submitRound();
                rig.awaitRandomMoment(0.05, 0.3);
                long t = System.nanoTime();
                proxy.stall();
                rig.awaitRandomMoment(0.05, 0.2);
                proxy.resume();
                recoveries.add(rig.awaitRecovery(t));

                rig.awaitRandomMoment(0.1, 0.5);
                int[] connections = proxied.stream().mapToInt(m -> LogText.count(m.log(),
                        "connected to the coordinator")).toArray();
                t = System.nanoTime();
                assertEquals(proxied.size(), proxy.cut(), "connections cut");
                for (int k = 0; k < proxied.size(); k++) {
                    proxied.get(k).awaitLog("connected to the coordinator", connections[k] + 1, MoverSite.DEADLINE);
                }
                recoveries.add(rig.awaitRecovery(t));
                rig.verifyDrained(rig.files.size());
            }
        }
        printSummary("connections of two movers stalled, then cut, through a TCP proxy");
    }

    /**
     * The filesystem holding the report files fills up, then turns read-only: a tmpfs mounted on
     * the reporting directory (mounting needs root, as on the CI machine; elsewhere the scenario
     * fails saying so rather than pretending).
     */
    @Test
    void reportingDiskFullOrReadOnly(TestInfo test) throws IOException {
        start("freport", test);
        assertEquals("0", Processes.run(Duration.ofSeconds(10), List.of("id", "-u")).requireOk().stdout().strip(),
                "this scenario mounts a small tmpfs on the reporting directory and must run as root");
        Path dir = rig.mount().path(".reports");
        Files.createDirectories(dir);
        long size = 64 * 1024 + (long) SCALE.filesPerRound() * SCALE.rounds() * 200;
        mount(dir, "-t", "tmpfs", "-o", "size=" + size + ",mode=0711", "tmpfs");
        try {
            rig.startCoordinator(rig.coordinatorSettings().config("reporting_dir .reports", "reporting_hint cr"));
            rig.startMovers(MOVERS, s -> s);
            ReportFiles reports = new ReportFiles(rig.mount(), ".reports");
            for (int r = 0; r < SCALE.rounds(); r++) {
                String name = "round" + r;
                rig.submitRound("--data", "cr=" + name);
                rig.awaitRandomMoment(0.1, 0.3);
                int warnings = LogText.count(rig.coordinator.log(), "Could not write to report file");
                long t = System.nanoTime();
                Path filler = dir.resolve("filler");
                boolean full = r % 2 == 0;
                if (full) {
                    fill(filler);
                } else {
                    mount(dir, "-o", "remount,ro");
                }
                rig.awaitRandomMoment(0.2, 0.5);
                Await.until(SCALE.deadline(), "the coordinator failing to write reports",
                        () -> LogText.count(rig.coordinator.log(), "Could not write to report file") > warnings);
                int linesDuringFault = reports.lines(name).size();
                if (full) {
                    Files.delete(filler);
                } else {
                    mount(dir, "-o", "remount,rw");
                }
                recoveries.add(rig.awaitRecovery(t));
                rig.verifyDrained(rig.files.size());
                assertTrue(reports.lines(name).size() > linesDuringFault,
                        "report " + name + " written again once the disk recovered");
            }
        } finally {
            Processes.run(Duration.ofSeconds(30), List.of("umount", dir.toString())).requireOk();
        }
        printSummary("reporting filesystem full, then read-only, alternately");
    }

    private static void mount(Path dir, String... args) {
        List<String> cmd = new ArrayList<>(List.of("mount"));
        cmd.addAll(List.of(args));
        cmd.add(dir.toString());
        Processes.run(Duration.ofSeconds(30), cmd).requireOk();
    }

    /** Writes {@code file} until the filesystem is full. */
    private static void fill(Path file) {
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left on device")) {
                throw new UncheckedIOException(full);
            }
        }
    }

    /**
     * 100 agent connections that say ehlo, take work and vanish leave the coordinator with no
     * more descriptors or threads than after a warm-up of 20; the work they took is run in the end.
     */
    @Test
    void agentConnectionCyclesLeakNothing(TestInfo test) {
        start("fcycle", test);
        CoordinatorProcess c = rig.startCoordinator(rig.coordinatorSettings());
        rig.submitFiles(CYCLE_FILES);
        long pid = c.serverPid();
        cycles(c, 20);
        ProcessResources baseline = ProcessResources.of(pid);
        cycles(c, 100);
        ProcessResources after = Await.value(MoverSite.DEADLINE, "no more descriptors or threads than " + baseline,
                () -> ProcessResources.of(pid), r -> r.noMoreThan(baseline));
        rig.startMovers(MOVERS, s -> s);
        rig.verifyDrained(rig.files.size());
        summary.print(SCALE.name() + " scale, seed " + SCALE.seed() + ": 120 agent connections each taking an archive and vanishing, then "
                + rig.files.size() + " archives by " + MOVERS + " movers; coordinator " + baseline.fds() + " -> "
                + after.fds() + " descriptors, " + baseline.threads() + " -> " + after.threads() + " threads");
    }

    /**
     * {@code n} times: an agent "cycler" connects, takes one archive and disconnects without
     * ending it; the next one inherits it, claims nothing, and the archive goes back to the queue.
     */
    private static void cycles(CoordinatorProcess c, int n) {
        for (int i = 0; i < n; i++) {
            try (ProtocolAgent a = Await.value(MoverSite.DEADLINE, "ehlo as cycler accepted", () -> cycler(c),
                    Objects::nonNull)) {
                assertEquals(1, a.receive(ProtocolAgent.Limits.of(1, 0, 0), ProtocolAgent.REPLY_TIMEOUT).items().size());
            }
        }
    }

    /**
     * A connection that said ehlo as "cycler", or null while the coordinator has not yet seen the
     * previous one go (the id is then still in use, as for any agent reconnecting at once).
     */
    private static ProtocolAgent cycler(CoordinatorProcess c) {
        ProtocolAgent a = ProtocolAgent.connect(c.port(), "cycler");
        if (a.ehlo("cycler", List.of(), List.of()).path("status").asInt() == 0) {
            return a;
        }
        a.close();
        return null;
    }
}
