package org.coordinatool.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.coordinatool.tests.support.ProcessResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small full-stack run of {@code coordinatool-bench stack}: simulator, coordinator with Redis,
 * movers running the no-op copytool under the preload shim; every request archived once.
 */
class StackBenchIT {

    @TempDir
    Path work;

    @Test
    void everyArchiveRequestedThroughLustreIsRunOnceAndRecordedAsSucceeded() throws Exception {
        Path dir = work.resolve("stack");
        ProcessResult r = BenchLauncher.stack("-n", "400", "--movers", "2", "--max-archive", "20", "--batch", "40",
                "--work-dir", dir.toString(), "--json");
        assertEquals(0, r.exitCode(), r::describe);
        JsonNode j = BenchLauncher.json(r);
        assertTrue(j.path("ok").asBoolean(), r::describe);
        assertEquals("stack", j.path("mode").asText());
        assertEquals(400, j.path("submitted").asLong());
        assertEquals(400, j.path("completed").asLong());
        assertEquals(0, j.path("offenders").size());
        for (String latency : new String[] {"queued_to_dispatched", "dispatched_to_done"}) {
            JsonNode p = j.path("latency_ms").path(latency);
            assertEquals(400, p.path("count").asLong(), latency);
            assertTrue(p.path("p50").asDouble() <= p.path("p99").asDouble()
                    && p.path("p99").asDouble() <= p.path("max").asDouble(), latency);
        }
        assertTrue(j.path("completion_rate").asDouble() > 0, r::stdout);
        for (String program : List.of("server", "redis", "lsim", "mover1", "mover2")) {
            JsonNode u = j.path("processes").path(program);
            assertTrue(u.path("pid").asLong() > 0 && u.path("peak_rss_bytes").asLong() > 0, program + " in " + j);
        }
        assertFalse(Files.exists(dir), "the work directory is removed");
    }

    @Test
    void badOptionsAreRefusedWithTheirReason() {
        ProcessResult batch = BenchLauncher.stack("--batch", "53");
        assertEquals(2, batch.exitCode(), batch::describe);
        assertTrue(batch.stderr().contains("--batch must be in 1..52"), batch::describe);
        ProcessResult movers = BenchLauncher.stack("--movers", "0");
        assertEquals(2, movers.exitCode(), movers::describe);
        assertTrue(movers.stderr().contains("--movers must be at least 1"), movers::describe);
    }
}
