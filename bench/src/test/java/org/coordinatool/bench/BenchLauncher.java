package org.coordinatool.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.coordinatool.tests.support.CoordinatorProcess;
import org.coordinatool.tests.support.ProcessResult;
import org.coordinatool.tests.support.Processes;

/** Runs the benchmark's launchers as a user would, from the source tree. */
final class BenchLauncher {

    static final Duration TIMEOUT = Duration.ofSeconds(180);

    private BenchLauncher() {
    }

    static Path bin(String name) {
        return CoordinatorProcess.repositoryRoot().resolve("bench").resolve("bin").resolve(name);
    }

    /** {@code bench/bin/coordinatool-bench ARGS...} */
    static ProcessResult protocol(String... args) {
        List<String> cmd = new ArrayList<>(List.of(bin("coordinatool-bench").toString()));
        cmd.addAll(List.of(args));
        return Processes.run(TIMEOUT, cmd, CoordinatorProcess.environment(), null);
    }

    /** {@code bench/bin/coordinatool-bench stack ARGS...} */
    static ProcessResult stack(String... args) {
        List<String> cmd = new ArrayList<>(List.of(bin("coordinatool-bench").toString(), "stack"));
        cmd.addAll(List.of(args));
        return Processes.run(TIMEOUT, cmd, CoordinatorProcess.environment(), null);
    }

    static JsonNode json(ProcessResult r) {
        try {
            return new ObjectMapper().readTree(r.stdout());
        } catch (IOException e) {
            throw new UncheckedIOException("the output is not JSON: " + r.describe(), e);
        }
    }
}
