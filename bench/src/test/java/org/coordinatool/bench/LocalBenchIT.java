package org.coordinatool.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.coordinatool.tests.support.ProcessResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code coordinatool-bench --local}: the one-command protocol benchmark of this tree's coordinator. */
class LocalBenchIT {

    @TempDir
    Path work;

    @Test
    void startsTheCoordinatorWithRedisOnASimulatedMountAndMeasuresIt() {
        Path dir = work.resolve("site");
        ProcessResult r = BenchLauncher.protocol("--local", "-n", "2000", "--keep", dir.toString(), "--json");
        assertEquals(0, r.exitCode(), r::describe);
        JsonNode j = BenchLauncher.json(r);
        assertTrue(j.path("ok").asBoolean(), r::describe);
        assertEquals(2000, j.path("completed").asLong());
        assertTrue(j.path("server_process").path("cpu_seconds").asDouble() > 0, r::stdout);
        assertTrue(j.path("redis_process").path("peak_rss_bytes").asLong() > 0, r::stdout);
        assertTrue(Files.isRegularFile(dir.resolve("coordinator.log")), "the kept work directory has the server's log");
    }

    @Test
    void recoveryRestartsTheCoordinatorAndFindsEveryQueuedRequestBackFromRedis() {
        ProcessResult r = BenchLauncher.protocol("recovery", "-n", "3000", "--json");
        assertEquals(0, r.exitCode(), r::describe);
        JsonNode j = BenchLauncher.json(r);
        assertTrue(j.path("ok").asBoolean(), r::describe);
        assertEquals(3000, j.path("recovered").asLong());
        double listening = j.path("restart_to_listening_seconds").asDouble();
        double dispatch = j.path("restart_to_first_dispatch_seconds").asDouble();
        assertTrue(listening > 0 && dispatch >= listening, r::stdout);
    }

    @Test
    void optionsOfAnotherServerDoNotGoWithIt() {
        ProcessResult r = BenchLauncher.protocol("--local", "-p", "5123");
        assertEquals(2, r.exitCode(), r::describe);
        assertTrue(r.stderr().contains("--local starts its own server"), r::describe);
        ProcessResult keep = BenchLauncher.protocol("--keep", work.toString());
        assertEquals(2, keep.exitCode(), keep::describe);
        assertTrue(keep.stderr().contains("only go with --local"), keep::describe);
    }
}
