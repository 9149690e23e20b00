package org.coordinatool.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.coordinatool.tests.support.Await;
import org.coordinatool.tests.support.CoordinatorProcess;
import org.coordinatool.tests.support.ManagedProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main job, {@code tests/demo.sh}, at a small size: simulator, coordinator (with
 * Redis when installed), two movers running {@code lsim-copytool}, every HSM action on every file;
 * and nothing left behind, after success as after a TERM.
 */
class FullDemoIT {

    static final int FILES = 30;
    static final Duration RUN_LIMIT = Duration.ofMinutes(3);
    static final Duration STOP_LIMIT = Duration.ofMinutes(2);

    private static final Pattern WORK_DIR = Pattern.compile("filesystem 'demo' mounted at (\\S+)/mnt\n");
    private static final Pattern MOVER_DONE = Pattern.compile("(?m)^  (mover[12]) +(\\d+) +(\\d+) +(\\d+)$");

    @TempDir
    Path tmp;

    @Test
    void demoRunsEveryActionThroughBothMoversAndCleansUp() {
        long t0 = System.nanoTime();
        String out = runToCompletion(start());

        assertTrue(out.contains("content of all " + FILES + " files verified byte for byte\n"), out);
        assertTrue(out.endsWith("demo: OK\n"), out);
        int[] totals = new int[3];
        Matcher m = MOVER_DONE.matcher(out);
        int movers = 0;
        while (m.find()) {
            movers++;
            int work = 0;
            for (int type = 0; type < 3; type++) {
                int n = Integer.parseInt(m.group(2 + type));
                totals[type] += n;
                work += n;
            }
            assertTrue(work > 0, m.group(1) + " did no work\n" + out);
        }
        assertEquals(2, movers, out);
        assertEquals(List.of(FILES, FILES, FILES), List.of(totals[0], totals[1], totals[2]),
                "archives, restores and removes done by the movers\n" + out);
        assertNothingLeftBehind(out);
        System.out.printf("FullDemoIT: %d files archived, released, restored and removed by 2 movers, in %d ms%n",
                FILES, (System.nanoTime() - t0) / 1_000_000);
    }

    @Test
    void termOnceEverythingRunsStopsEverythingItStarted() {
        long t0 = System.nanoTime();
        ManagedProcess demo = start();
        String out;
        try {
            Await.until(RUN_LIMIT, "the demo to queue archives or to exit",
                    () -> demo.log().contains("== queue archives\n") || !demo.isAlive());
            assertTrue(demo.isAlive(), demo.log());
            assertEquals(143, demo.terminate(STOP_LIMIT), demo.log());
            out = demo.log();
        } finally {
            demo.close();
        }
        assertTrue(out.contains("demo: terminated\n"), out);
        assertNothingLeftBehind(out);
        System.out.printf("FullDemoIT: TERM once everything ran stopped movers, coordinator, Redis and simulator,"
                + " in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }

    /** The demo in a temporary directory of its own, with its output in {@code demo.log}. */
    private ManagedProcess start() {
        Map<String, String> env = new HashMap<>(CoordinatorProcess.environment());
        env.put("TMPDIR", tmp.toString());
        Path script = CoordinatorProcess.repositoryRoot().resolve("tests").resolve("demo.sh");
        return ManagedProcess.start(List.of(script.toString(), Integer.toString(FILES)), env, tmp.resolve("demo.log"));
    }

    /** Waits for the demo; TERM when it overruns, so that it still stops what it started. */
    private static String runToCompletion(ManagedProcess demo) {
        try {
            int rc;
            try {
                rc = demo.waitFor(RUN_LIMIT);
            } catch (AssertionError overrun) {
                demo.terminate(STOP_LIMIT);
                throw overrun;
            }
            assertEquals(0, rc, demo.log());
            return demo.log();
        } finally {
            demo.close();
        }
    }

    /** The work directory is gone and no process still mentions it. */
    private void assertNothingLeftBehind(String out) {
        Matcher m = WORK_DIR.matcher(out);
        assertTrue(m.find(), out);
        Path work = Path.of(m.group(1));
        assertEquals(tmp, work.getParent(), out);
        assertFalse(Files.exists(work), work + " still exists\n" + out);
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(tmp.resolve("demo.log")), left.toList(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> running = ProcessHandle.allProcesses()
                .map(p -> p.info().commandLine().orElse(""))
                .filter(c -> c.contains(work.toString()))
                .toList();
        assertEquals(List.of(), running, out);
    }
}
