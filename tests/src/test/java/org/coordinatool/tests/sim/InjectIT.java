package org.coordinatool.tests.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.coordinatool.tests.support.Await;
import org.coordinatool.tests.support.ManagedProcess;
import org.coordinatool.tests.support.Processes;
import org.coordinatool.tests.support.SimMount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lsim inject} creates files and requests their archiving as lfs would; the no-op copytool
 * completes each action once through llapi, and the MDT records every request as succeeded.
 */
class InjectIT {

    static final int FILES = 300;

    @TempDir
    Path work;

    @Test
    void injectedRequestsAreEachCompletedOnceByTheNoopCopytool() throws Exception {
        try (SimMount mount = SimMount.start(work.resolve("mnt"), "inject", "max_requests=100")) {
            Path copytoolLog = work.resolve("copytool.timings");
            Path submitted = work.resolve("submitted.timings");
            try (ManagedProcess ct = ManagedProcess.start(Processes.command(SimMount.tool("lsim-noop-copytool"),
                    "--log", copytoolLog.toString(), mount.root().toString()), Map.of(), work.resolve("ct.log"))) {
                Await.until(SimMount.TOOL_TIMEOUT, "the copytool to register",
                        () -> mount.lsim("agents").requireOk().stdout().contains("uuid="));
                String out = mount.lsim("inject", "--count", Integer.toString(FILES), "--size", "100", "--batch",
                        "32", "--rate", "5000", "--log", submitted.toString()).requireOk().stdout();
                assertTrue(out.startsWith("created " + FILES + " files in "), out);
                Await.until(SimMount.TOOL_TIMEOUT, "every archive to succeed",
                        () -> mount.countActions("ARCHIVE", "SUCCEED") == FILES);
                assertEquals(FILES, mount.actions().size());

                List<String> submittedFids = Files.readAllLines(submitted).stream()
                        .map(l -> l.split(" ")[0]).toList();
                assertEquals(FILES, submittedFids.stream().distinct().count());
                Map<String, Long> completions = Files.readAllLines(copytoolLog).stream()
                        .map(l -> l.split(" ")).peek(f -> assertEquals("ARCHIVE", f[1]))
                        .collect(Collectors.groupingBy(f -> f[0], Collectors.counting()));
                assertEquals(submittedFids.stream().collect(Collectors.toMap(Function.identity(), f -> 1L)),
                        completions);
                SimMount.HsmFileState state = mount.hsmState(mount.path("inject/f.0"));
                assertTrue(state.has(SimMount.HsmFileState.EXISTS | SimMount.HsmFileState.ARCHIVED), state.line());
                assertEquals(100, Files.size(mount.path("inject/f." + (FILES - 1))));
            }
        }
    }
}
