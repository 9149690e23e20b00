package org.coordinatool.tests.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.coordinatool.coordinator.redis.RedisServerProcess;
import org.coordinatool.tests.support.Await;
import org.coordinatool.tests.support.CoordinatorProcess;
import org.coordinatool.tests.support.CoordinatorSite;
import org.coordinatool.tests.support.CopytoolTrace;
import org.coordinatool.tests.support.MoverProcess;
import org.coordinatool.tests.support.MoverSite;
import org.coordinatool.tests.support.ProcessResult;
import org.coordinatool.tests.support.ProtocolAgent;
import org.coordinatool.tests.support.SimMount;

/**
 * One site under fault injection: the simulated filesystem, a coordinator persisting into a
 * redis-server with its production persistence, several real movers, rounds of archive requests
 * submitted all at once, and the invariants checked once a round has drained, from Lustre's side
 * (the simulator's state and action log, the archive copies) and from the coordinator's (its
 * status, its Redis keys), plus the copytools' logs for requests run twice at once.
 */
final class FaultRig implements AutoCloseable {

    static final String REQUESTS = "coordinatool_requests";
    static final String ASSIGNED = "coordinatool_assigned";

    /**
     * The simulator keeps finished records for a day (instead of a minute) so that every request
     * of a scenario can be checked in its action log at the end.
     */
    static final String[] LUSTRE_TUNABLES = {"max_requests=1000", "loop_period=1", "active_request_timeout=3600",
        "grace_delay=86400"};

    /** Agents that reconnect within this keep their work; a coordinator restart fits easily. */
    static final int GRACE_MS = 30_000;

    /** Files of up to 4 KiB: real copies, cheap enough for thousands per scenario. */
    static final int MAX_SIZE = 4096;

    final FaultScale scale;
    final Random random;
    final MoverSite site;
    final RedisServerProcess redis;
    final CopytoolTrace trace = new CopytoolTrace();
    final List<MoverProcess> movers = new ArrayList<>();
    final List<Path> moverLogs = new ArrayList<>();
    final List<Path> files = new ArrayList<>();
    /** Cookie and FID of each request an MDT restart forgot (see {@link #recordForgottenByLustre}). */
    final Map<String, String> forgottenByLustre = new HashMap<>();
    CoordinatorProcess coordinator;
    private int round;
    private int probes;

    private FaultRig(FaultScale scale, Random random, MoverSite site, RedisServerProcess redis) {
        this.scale = scale;
        this.random = random;
        this.site = site;
        this.redis = redis;
    }

    static FaultRig start(Path work, String fsname, FaultScale scale, Random random) {
        MoverSite site = MoverSite.start(work, fsname);
        site.mount().set(LUSTRE_TUNABLES);
        return new FaultRig(scale, random, site, RedisServerProcess.startPersistent());
    }

    SimMount mount() {
        return site.mount();
    }

    CoordinatorProcess.Settings coordinatorSettings() {
        return site.coordinator().redis(redis.host(), redis.port()).config("client_grace_ms " + GRACE_MS);
    }

    CoordinatorProcess startCoordinator(CoordinatorProcess.Settings settings) {
        coordinator = site.start(settings);
        return coordinator;
    }

    /** Starts {@code n} movers {@code mover1..n}; {@code port} picks the port each connects to. */
    void startMovers(int n, UnaryOperator<MoverProcess.Settings> adjust) {
        for (int i = 1; i <= n; i++) {
            MoverProcess m = site.start(adjust.apply(MoverProcess.of("mover" + i, coordinator.port(), mount(),
                    site.archive(), site.site().work().resolve("movers")).mover("--max-archive", "8",
                    "--restart-delay", "0.2", "--max-restarts", "1000")));
            movers.add(m);
            moverLogs.add(m.logFile());
        }
        movers.forEach(m -> m.awaitConnected(MoverSite.DEADLINE));
    }

    /** Replaces mover {@code index} by a restart of it (same client id), once it has stopped. */
    MoverProcess restartMover(int index) {
        MoverProcess m = site.restart(movers.get(index));
        movers.set(index, m);
        moverLogs.add(m.logFile());
        m.awaitConnected(MoverSite.DEADLINE);
        return m;
    }

    /** Creates and submits the next round's files: {@code lfs hsm_archive} in requests of 50, with these lfs options. */
    List<Path> submitRound(String... lfsOptions) {
        return submitFiles(scale.filesPerRound(), lfsOptions);
    }

    /** Creates and submits {@code n} files as the next round. */
    List<Path> submitFiles(int n, String... lfsOptions) {
        round++;
        List<Path> roundFiles = site.createFiles("r" + round, n, MAX_SIZE);
        site.lfs("hsm_archive", roundFiles, lfsOptions);
        files.addAll(roundFiles);
        return roundFiles;
    }

    /** Requests Lustre still holds unfinished: waiting for the coordinator or handed to it. */
    int unfinished() {
        Map<String, String> s = mount().status();
        return Integer.parseInt(s.get("waiting")) + Integer.parseInt(s.get("started"));
    }

    /** Waits until at most {@code left} requests are unfinished in Lustre; returns how many are. */
    int awaitUnfinishedAtMost(int left) {
        return Await.value(scale.deadline(), "at most " + left + " requests unfinished in Lustre", this::unfinished,
                n -> n <= left);
    }

    /**
     * A random moment: once a random share, between {@code min} and {@code max}, of what is
     * unfinished now has completed (at least one request, and one is always left).
     */
    void awaitRandomMoment(double min, double max) {
        int now = unfinished();
        int share = Math.max(1, (int) (now * (min + (max - min) * random.nextDouble())));
        awaitUnfinishedAtMost(Math.max(1, now - share));
    }

    /**
     * Once the recovery actions after a fault are done: waits until Lustre sees one more request
     * complete and returns the milliseconds since {@code faultAtNanos}, the time the site took to
     * serve again. Nothing unfinished left counts as served.
     */
    long awaitRecovery(long faultAtNanos) {
        int now = unfinished();
        if (now > 0) {
            awaitUnfinishedAtMost(now - 1);
        }
        return (System.nanoTime() - faultAtNanos) / 1_000_000;
    }

    /**
     * Submits one new archive and returns the milliseconds from {@code faultAtNanos} until it is
     * archived: the time the site took to serve new work again, whatever the fault left behind.
     */
    long awaitNewRequestServed(long faultAtNanos) {
        List<Path> probe = site.createFiles("probe" + (++probes), 1, MAX_SIZE);
        files.addAll(probe);
        site.lfs("hsm_archive", probe);
        site.awaitStates(probe, "archived", MoverSite::archived);
        return (System.nanoTime() - faultAtNanos) / 1_000_000;
    }

    /**
     * Queues what Lustre still holds into the coordinator with {@code coordinatool-client -Q}, as
     * the documented recovery after a coordinator crash does: requests it already knows (from
     * Redis, or claimed by their agents) are skipped. Returns the client's summary line.
     */
    String requeueFromLustre() {
        String listing = mount().lsim("active_requests").requireOk().stdout();
        ProcessResult r = CoordinatorSite.client(coordinator, listing.getBytes(StandardCharsets.UTF_8), "-Q");
        if (!r.ok() || !r.stdout().contains(", rejected 0")) {
            throw new AssertionError("requeue from active_requests: " + r.describe());
        }
        return r.stdout().strip();
    }

    /** The coordinator's status as {@code coordinatool-client --json} prints it. */
    JsonNode clientStatus() {
        ProcessResult r = CoordinatorSite.client(coordinator, null, "--json");
        if (!r.ok()) {
            throw new AssertionError("coordinatool-client --json: " + r.describe());
        }
        return ProtocolAgent.parse(r.stdout());
    }

    /**
     * Waits until everything submitted so far has completed, then checks every invariant.
     *
     * @param doneSinceStart archive completions the running coordinator must count (all of them
     *                       when it has run since the first round), or -1 when it was restarted
     *                       and its counters started over
     */
    void verifyDrained(long doneSinceStart) {
        Await.value(scale.deadline(), "every request finished in Lustre", this::unfinished, n -> n == 0);
        site.awaitStates(files, "archived", MoverSite::archived);
        site.assertArchiveCopies(files);
        assertActionLog();
        JsonNode idle = Await.value(scale.deadline(), "the coordinator with nothing pending or running",
                this::clientStatus, FaultRig::idle);
        long doneByClients = 0;
        for (JsonNode c : idle.path("clients")) {
            for (String type : List.of("archive", "restore", "remove")) {
                assertEquals(0, c.path("current_" + type).asInt(), "current_" + type + " of " + c);
            }
            doneByClients += c.path("done_archive").asLong();
        }
        assertEquals(idle.path("done_archive").asLong(), doneByClients, "archives done, in all and by client: " + idle);
        if (doneSinceStart >= 0) {
            assertEquals(doneSinceStart, idle.path("done_archive").asLong(),
                    "archives the coordinator counts as done: " + idle);
        }
        Await.value(scale.deadline(), "no request left in Redis", () -> redis.hgetall(REQUESTS), Map::isEmpty);
        Await.value(scale.deadline(), "no assignment left in Redis", () -> redis.hgetall(ASSIGNED), Map::isEmpty);
        int runs = trace.runs(moverLogs).size();
        assertTrue(runs >= files.size(), "the copytools' logs show " + runs + " runs for " + files.size() + " files");
        List<String> twice = trace.concurrentRuns(moverLogs);
        assertEquals(List.of(), twice, "requests run by two copytools at once");
        assertTrue(coordinator.isAlive(), "the coordinator runs");
    }

    private static boolean idle(JsonNode s) {
        return Stream.of("running_", "pending_").flatMap(p -> Stream.of(p + "archive", p + "restore", p + "remove"))
                .allMatch(k -> s.path(k).asLong() == 0);
    }

    /**
     * The action log holds one successful archive per file submitted, and nothing else but the
     * records Lustre itself forgot in an MDT restart, which its timeout cancelled: no request lost,
     * failed or cancelled otherwise.
     */
    private void assertActionLog() {
        Map<String, Integer> byStatus = new TreeMap<>();
        List<String> unexpected = new ArrayList<>();
        for (SimMount.ActionRecord r : mount().actionRecords()) {
            byStatus.merge(r.status(), 1, Integer::sum);
            boolean expected = r.status().equals("SUCCEED") && r.action().equals("ARCHIVE")
                    || r.status().equals("CANCELED") && forgottenByLustre.containsKey(r.cookie());
            if (!expected) {
                unexpected.add(r.toString());
            }
        }
        assertEquals(List.of(), unexpected, "unexpected action records; all by status: " + byStatus);
        assertEquals(files.size(), byStatus.getOrDefault("SUCCEED", 0), "archives that succeeded: " + byStatus);
        assertEquals(forgottenByLustre.size(), byStatus.getOrDefault("CANCELED", 0),
                "requests forgotten by an MDT restart, then cancelled by its timeout: " + byStatus);
    }

    /**
     * Records the requests an MDT restart left started with nobody running them (all that are
     * started right after the restart, before any agent registered again): Lustre forgot who ran
     * them, refuses their progress and end, and cancels them after active_request_timeout.
     */
    void recordForgottenByLustre() {
        for (SimMount.ActionRecord r : mount().actionRecords()) {
            if (r.status().equals("STARTED")) {
                forgottenByLustre.put(r.cookie(), r.fid());
            }
        }
    }

    /**
     * Waits until Lustre's timeout has cancelled every forgotten request, then submits their files
     * again, as a policy engine does for files still not archived. Returns how many were resubmitted.
     */
    int resubmitForgotten() {
        Await.value(scale.deadline(), "every request forgotten by Lustre cancelled by its timeout",
                () -> mount().actionRecords().stream().filter(r -> forgottenByLustre.containsKey(r.cookie())
                        && !r.status().equals("CANCELED")).toList(), List::isEmpty);
        Map<String, Path> byFid = new HashMap<>();
        site.site().fids(files).forEach((fid, path) -> byFid.put(fid.format(), path));
        List<Path> again = forgottenByLustre.values().stream().map(byFid::get).distinct().toList();
        site.lfs("hsm_archive", again);
        return again.size();
    }

    @Override
    public void close() throws Exception {
        try {
            site.close();
        } finally {
            redis.close();
        }
    }
}
