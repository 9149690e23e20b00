package org.coordinatool.tests.mover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.coordinatool.coordinator.metrics.PrometheusText;
import org.coordinatool.tests.support.CoordinatorProcess;
import org.coordinatool.tests.support.Dashboard;
import org.coordinatool.tests.support.MoverProcess;
import org.coordinatool.tests.support.MoverSite;
import org.coordinatool.tests.support.ProcessResult;
import org.coordinatool.tests.support.Processes;
import org.coordinatool.tests.support.ScrapeTarget;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus endpoints of a real coordinator (with Redis) and a real mover, scraped over HTTP
 * while they archive files of the simulator; and the server's log format under systemd.
 */
class MonitoringIT extends MoverSiteTest {

    static final int FILES = 20;
    static final int HELD = 7;
    static final Duration DEADLINE = MoverSite.DEADLINE;

    @Override
    String fsname() {
        return "monitor";
    }

    static ScrapeTarget of(CoordinatorProcess coordinator) {
        return new ScrapeTarget(CoordinatorProcess.HOST, coordinator.metricsPort());
    }

    /** A mover serving its metrics on a free port; returns where. */
    MoverProcess moverWithMetrics(CoordinatorProcess coordinator, int metricsPort) {
        return site.start(site.mover("mover1", coordinator).mover("--metrics-host", CoordinatorProcess.HOST,
                "--metrics-port", Integer.toString(metricsPort))).awaitConnected(DEADLINE);
    }

    static double archive(PrometheusText s, String name) {
        return s.value(name, "action", "archive");
    }

    @Test
    void countersQueuesAndHistogramsFollowARealRun() throws IOException {
        CoordinatorProcess coordinator = coordinatorWithRedis();
        ScrapeTarget server = of(coordinator);
        int moverPort = CoordinatorProcess.freePort();
        moverWithMetrics(coordinator, moverPort);
        ScrapeTarget mover = new ScrapeTarget(CoordinatorProcess.HOST, moverPort);

        PrometheusText idle = server.await(DEADLINE, "the mover counted as an agent",
                s -> s.value("coordinatool_agents_connected") == 1);
        assertEquals(0, archive(idle, "coordinatool_requests_received_total"));
        assertEquals(1, idle.value("coordinatool_client_connected", "client", "mover1"));
        assertEquals(1, idle.value("coordinatool_redis_connected"));
        assertEquals(1, mover.await(DEADLINE, "the mover connected", s -> s.value(
                "coordinatool_mover_coordinator_connected") == 1).value("coordinatool_mover_coordinator_connected"));

        List<Path> files = site.createFiles("file", FILES, MAX_SIZE);
        site.archiveAll(files);
        MoverSite.awaitIdle(coordinator);
        PrometheusText s = server.scrape();
        assertEquals(FILES, archive(s, "coordinatool_requests_received_total"));
        assertEquals(FILES, archive(s, "coordinatool_requests_dispatched_total"));
        assertEquals(FILES, archive(s, "coordinatool_requests_done_total"));
        assertEquals(0, archive(s, "coordinatool_requests_failed_total"));
        assertEquals(0, archive(s, "coordinatool_requests_waiting"));
        assertEquals(0, archive(s, "coordinatool_requests_running"));
        assertEquals(FILES, archive(s, "coordinatool_request_wait_seconds_count"));
        assertEquals(FILES, archive(s, "coordinatool_request_run_seconds_count"));
        assertEquals(FILES, s.value("coordinatool_request_run_seconds_bucket", "action", "archive", "le", "+Inf"));
        assertTrue(archive(s, "coordinatool_request_run_seconds_sum") > 0);
        assertEquals(0, s.value("coordinatool_client_requests_running", "client", "mover1", "action", "archive"));
        assertEquals(0, s.value("coordinatool_requests_received_total", "action", "restore"));
        // A flush coalesces its changes into at most one HSET and one HDEL per hash.
        double flushes = s.value("coordinatool_redis_flush_seconds_count");
        double writes = s.value("coordinatool_redis_writes_total");
        assertTrue(writes > 0 && writes <= 4 * flushes, writes + " write commands for " + flushes + " flushes");
        assertEquals(0, s.value("coordinatool_redis_write_failures_total"));
        assertTrue(s.value("coordinatool_redis_flush_seconds_count") > 0);
        assertTrue(s.value("coordinatool_lustre_action_lists_total") > 0);
        assertEquals(0, s.value("coordinatool_lustre_receive_errors_total"));
        assertTrue(s.has("jvm_memory_used_bytes", "area", "heap"));
        assertTrue(s.value("process_uptime_seconds") > 0);

        PrometheusText m = mover.await(DEADLINE, "the mover's completions counted",
                t -> archive(t, "coordinatool_mover_items_done_total") == FILES);
        assertEquals(FILES, archive(m, "coordinatool_mover_items_received_total"));
        assertEquals(0, archive(m, "coordinatool_mover_items_failed_total"));
        assertEquals(0, archive(m, "coordinatool_mover_items_running"));
        assertEquals(FILES, archive(m, "coordinatool_mover_item_seconds_count"));
        assertEquals(0, m.value("coordinatool_mover_copytool_restarts_total"));
        assertEquals(0, m.value("coordinatool_mover_coordinator_reconnects_total"));
        assertTrue(m.has("jvm_threads_live_threads"));

        // While locked, new requests wait: the queue depth shows them, then drains to 0.
        MoverSite.lock(coordinator, 1);
        assertEquals(1, server.scrape().value("coordinatool_lock_mode"));
        List<Path> held = site.createFiles("held", HELD, MAX_SIZE);
        site.lfs("hsm_archive", held);
        PrometheusText locked = server.await(DEADLINE, HELD + " archives waiting",
                t -> archive(t, "coordinatool_requests_waiting") == HELD);
        assertEquals(FILES, archive(locked, "coordinatool_requests_dispatched_total"));
        MoverSite.lock(coordinator, 0);
        site.awaitStates(held, "archived", MoverSite::archived);
        MoverSite.awaitIdle(coordinator);
        PrometheusText after = server.scrape();
        assertEquals(FILES + HELD, archive(after, "coordinatool_requests_done_total"));
        assertEquals(0, archive(after, "coordinatool_requests_waiting"));
        assertEquals(0, after.value("coordinatool_lock_mode"));
        assertTrue(after.value("coordinatool_request_wait_seconds_bucket", "action", "archive", "le", "+Inf")
                > after.value("coordinatool_request_wait_seconds_bucket", "action", "archive", "le", "0.01"),
                "the held archives waited");
        assertReadmeCommandWorks(coordinator);
        assertDashboardMatches(after, mover.scrape());
    }

    @Test
    void aMetricsPortInUseIsAClearStartupError() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(CoordinatorProcess.HOST))) {
            ProcessResult r = site.coordinator().config("metrics_host " + CoordinatorProcess.HOST,
                    "metrics_port " + taken.getLocalPort()).runUntilExit(CoordinatorProcess.freePort(), DEADLINE);
            assertEquals(1, r.exitCode(), r.describe());
            assertTrue(r.stderr().contains("lhsmd_coordinatool: cannot serve metrics on " + CoordinatorProcess.HOST
                    + ":" + taken.getLocalPort() + ": "), r.describe());
        }
    }

    @Test
    void underTheJournalLinesHaveNoTimestampAndTheLevelFollowsVerbose() {
        // "verbose warn" in the file, -vv on the command line: info level, no debug lines.
        CoordinatorProcess journal = site.start(site.coordinator().config("verbose warn")
                .journal(CoordinatorProcess.Journal.STDERR));
        journal.awaitLog("ready: serving filesystem", DEADLINE);
        List<String> lines = logLines(journal);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("INFO  Server: ready: serving filesystem")), lines.toString());
        assertTrue(lines.stream().noneMatch(l -> l.matches("^\\d{4}-\\d\\d-\\d\\d .*")), lines.toString());
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("DEBUG ")), lines.toString());
        assertEquals(0, journal.terminate());

        // JOURNAL_STREAM inherited but output redirected elsewhere: timestamps; default verbosity -vv is debug.
        CoordinatorProcess redirected = site.start(site.coordinator().journal(CoordinatorProcess.Journal.ELSEWHERE));
        redirected.awaitLog("ready: serving filesystem", DEADLINE);
        List<String> stamped = logLines(redirected);
        assertTrue(stamped.stream().anyMatch(l -> l.matches("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  "
                + "Server: ready: serving filesystem .*")), stamped.toString());
        assertTrue(stamped.stream().anyMatch(l -> l.matches("^\\S+ \\S+ DEBUG .*")), stamped.toString());
    }

    /** The server's log lines, the JVM's own warnings left out. */
    static List<String> logLines(CoordinatorProcess c) {
        return c.log().lines().filter(l -> !l.startsWith("OpenJDK") && !l.isBlank()).toList();
    }

    /**
     * Every query of the Grafana dashboard reads only metrics that the coordinator or the mover
     * export (checked against what they export after real work), and every panel uses the
     * datasource chosen at import.
     */
    static void assertDashboardMatches(PrometheusText server, PrometheusText mover) {
        Dashboard dashboard = Dashboard.load();
        Set<String> exported = new TreeSet<>(server.names());
        exported.addAll(mover.names());
        List<String> queries = dashboard.queries();
        assertTrue(queries.size() > 20, queries.toString());
        Set<String> used = new TreeSet<>();
        for (String q : queries) {
            Set<String> names = Dashboard.metrics(q);
            assertFalse(names.isEmpty(), "no coordinatool metric in query " + q);
            for (String name : names) {
                assertTrue(exported.contains(name), "query " + q + " reads " + name + ", which is not exported");
            }
            used.addAll(names);
        }
        for (String family : List.of("coordinatool_requests_done_total", "coordinatool_request_wait_seconds_bucket",
                "coordinatool_client_requests_queued", "coordinatool_redis_flush_seconds_bucket",
                "coordinatool_lustre_receive_errors_total", "coordinatool_mover_item_seconds_bucket",
                "coordinatool_mover_copytool_restarts_total", "jvm_memory_used_bytes")) {
            assertTrue(used.contains(family), "the dashboard shows " + family);
        }
        List<String> datasources = dashboard.datasources();
        assertFalse(datasources.isEmpty());
        assertTrue(datasources.stream().allMatch("${DS_PROMETHEUS}"::equals), datasources.toString());
        assertEquals("DS_PROMETHEUS", dashboard.root().path("__inputs").path(0).path("name").asText());
    }

    /** The README's scrape command, run against this server instead of localhost:5124. */
    static void assertReadmeCommandWorks(CoordinatorProcess coordinator) throws IOException {
        String readme = Files.readString(CoordinatorProcess.repositoryRoot().resolve("README.md"));
        String section = readme.substring(readme.indexOf("## Monitoring"), readme.indexOf("## Differences from"));
        List<String> commands = section.lines().filter(l -> l.startsWith("curl ")).toList();
        assertEquals(1, commands.size(), section);
        String command = commands.get(0).replace("localhost:5124", CoordinatorProcess.HOST + ":"
                + coordinator.metricsPort());
        ProcessResult r = Processes.run(DEADLINE, List.of("bash", "-o", "pipefail", "-c", command));
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("coordinatool_requests_done_total{action=\"archive\"} " + (FILES + HELD)),
                r.describe());
    }
}
