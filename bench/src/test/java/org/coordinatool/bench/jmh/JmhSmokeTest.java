package org.coordinatool.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Every benchmark runs and yields a score, with the smallest parameters and one short iteration in
 * this JVM. Timings are not checked: they say nothing on a shared CI machine.
 */
class JmhSmokeTest {

    private static final Class<?>[] BENCHMARKS = {HalCodecBenchmark.class, JsonCodecBenchmark.class,
            SchedulingPassBenchmark.class, RestoreDispatchBenchmark.class};

    @Test
    void everyBenchmarkYieldsAScore() throws RunnerException {
        OptionsBuilder options = new OptionsBuilder();
        Set<String> expected = new TreeSet<>();
        for (Class<?> c : BENCHMARKS) {
            options.include(c.getName() + "\\.");
            for (Method m : c.getMethods()) {
                if (m.isAnnotationPresent(Benchmark.class)) {
                    expected.add(c.getName() + "." + m.getName());
                }
            }
        }
        Collection<RunResult> results = new Runner(options
                .param("items", "1")
                .param("queued", "1000")
                .param("queuedArchives", "1000")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(200))
                .shouldFailOnError(true)
                .build()).run();

        Set<String> ran = new TreeSet<>();
        for (RunResult r : results) {
            ran.add(r.getParams().getBenchmark());
            double score = r.getPrimaryResult().getScore();
            assertTrue(Double.isFinite(score) && score > 0,
                    r.getParams().getBenchmark() + " scored " + score);
        }
        assertEquals(expected, ran);
    }
}
