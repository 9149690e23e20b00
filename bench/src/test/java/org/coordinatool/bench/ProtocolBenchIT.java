package org.coordinatool.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.coordinatool.coordinator.redis.RedisServerProcess;
import org.coordinatool.tests.support.CoordinatorProcess;
import org.coordinatool.tests.support.CoordinatorSite;
import org.coordinatool.tests.support.ProcessResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Small runs of {@code coordinatool-bench} against the real coordinator with Redis on a simulated
 * mount: every request dispatched exactly once and completed, figures present in the JSON, and
 * loud failures when the server hands out work that is not the run's.
 */
class ProtocolBenchIT {

    @TempDir
    Path work;

    CoordinatorSite site;
    RedisServerProcess redis;
    CoordinatorProcess server;

    @BeforeEach
    void startServer() {
        site = CoordinatorSite.start(work, "bench");
        redis = RedisServerProcess.start();
        server = site.start(site.coordinator().redis(redis.host(), redis.port()));
    }

    @AfterEach
    void stop() throws Exception {
        try {
            site.close();
        } finally {
            redis.close();
        }
    }

    private String port() {
        return Integer.toString(server.port());
    }

    @Test
    void everyRequestOfAMixIsDispatchedOnceAndCompleted() {
        ProcessResult r = BenchLauncher.protocol("-p", port(), "-n", "3000", "--mix", "archive=70,restore=20,remove=10",
                "--agents", "3", "--max-archive", "50", "--batch", "64", "--server-pid", Long.toString(server.pid()),
                "--redis-pid", Long.toString(redis.pid()), "--json");
        assertEquals(0, r.exitCode(), r::describe);
        JsonNode j = BenchLauncher.json(r);
        assertTrue(j.path("ok").asBoolean(), r::describe);
        assertEquals(3000, j.path("dispatched").asLong());
        assertEquals(3000, j.path("completed").asLong());
        assertEquals(0, j.path("offenders").size());
        assertEquals(70, j.path("mix").path("archive").asInt());
        for (String latency : new String[] {"queued_to_dispatched", "dispatched_to_done"}) {
            JsonNode p = j.path("latency_ms").path(latency);
            assertEquals(3000, p.path("count").asLong(), latency);
            assertTrue(p.path("p50").asDouble() <= p.path("p90").asDouble()
                    && p.path("p90").asDouble() <= p.path("p99").asDouble()
                    && p.path("p99").asDouble() <= p.path("max").asDouble() && p.path("max").asDouble() > 0, latency);
        }
        assertTrue(j.path("enqueue_rate").asDouble() > 0 && j.path("completion_rate").asDouble() > 0, r::stdout);
        JsonNode s = j.path("server_process");
        assertEquals(server.pid(), s.path("pid").asLong());
        assertTrue(s.path("cpu_seconds").asDouble() > 0 && s.path("peak_rss_bytes").asLong() > 0, r::stdout);
        assertTrue(j.path("redis_process").path("peak_rss_bytes").asLong() > 0, r::stdout);
    }

    @Test
    void restoresArePastAPreloadedArchiveQueueThatNoAgentTakes() {
        ProcessResult r = BenchLauncher.protocol("-p", port(), "-n", "200", "--mix", "restore=100", "--rate", "2000",
                "--batch", "1", "--preload-archives", "5000", "--agents", "2", "--json");
        assertEquals(0, r.exitCode(), r::describe);
        JsonNode j = BenchLauncher.json(r);
        assertEquals(5000, j.path("preload_archives").asLong());
        assertEquals(0, j.path("max_archive").asInt());
        assertEquals(200, j.path("completed").asLong());
        assertEquals(200, j.path("latency_ms").path("queued_to_dispatched").path("count").asLong());
        JsonNode status = CoordinatorSite.awaitPending(site.connect(server, "status"), "archive", 5000);
        assertEquals(0, status.path("running_archive").asInt(), status::toString);
    }

    @Test
    void agentsConnectingAfterTheInjectionTakeEverything() {
        ProcessResult r = BenchLauncher.protocol("-p", port(), "-n", "500", "--agents-after-injection", "--agents", "2",
                "--service-time-ms", "1", "--json");
        assertEquals(0, r.exitCode(), r::describe);
        JsonNode j = BenchLauncher.json(r);
        assertEquals(500, j.path("completed").asLong());
        assertTrue(j.path("latency_ms").path("dispatched_to_done").path("p50").asDouble() >= 1, r::stdout);
    }

    @Test
    void workThatIsNotTheRunsFailsTheRunWithItsOffenders() {
        BenchLauncher.protocol("-p", port(), "-n", "10", "--mix", "restore=100", "--preload-archives", "30")
                .requireOk();
        // The next run's agents take archives: the 30 left queued are not this run's requests.
        ProcessResult r = BenchLauncher.protocol("-p", port(), "-n", "100", "--agents", "1");
        assertEquals(1, r.exitCode(), r::describe);
        assertTrue(r.stderr().contains("FAILED"), r::describe);
        assertTrue(r.stderr().contains("unknown item ARCHIVE cookie 0x"), r::describe);
        assertTrue(r.stdout().contains("result            FAILED"), r::describe);
    }

    @Test
    void aServerThatIsNotThereFailsTheRun() {
        ProcessResult r = BenchLauncher.protocol("-p", Integer.toString(CoordinatorProcess.freePort()), "-n", "10");
        assertEquals(1, r.exitCode(), r::describe);
        assertTrue(r.stderr().contains("cannot connect to 127.0.0.1:"), r::describe);
    }

    @Test
    void badOptionsAreRefusedWithTheirReason() {
        ProcessResult mix = BenchLauncher.protocol("-p", port(), "--mix", "archive=90,copy=10");
        assertEquals(2, mix.exitCode(), mix::describe);
        assertTrue(mix.stderr().contains("unknown action 'copy'"), mix::describe);
        ProcessResult preload = BenchLauncher.protocol("-p", port(), "--preload-archives", "10");
        assertEquals(2, preload.exitCode(), preload::describe);
        assertTrue(preload.stderr().contains("the --mix must have no archive"), preload::describe);
        ProcessResult batch = BenchLauncher.protocol("-p", port(), "--batch", "0");
        assertEquals(2, batch.exitCode(), batch::describe);
        assertTrue(batch.stderr().contains("--batch must be at least 1"), batch::describe);
    }
}
