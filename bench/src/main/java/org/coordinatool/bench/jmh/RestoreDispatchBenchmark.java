package org.coordinatool.bench.jmh;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.coordinatool.bench.core.CoreDriver;
import org.coordinatool.bench.core.ReplySink;
import org.coordinatool.bench.core.SyntheticItems;
import org.coordinatool.coordinator.core.RequestStore;
import org.coordinatool.coordinator.protocol.Reply;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.hsm.HsmAction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A restore submitted while many archives wait reaches the agent that has free restore capacity:
 * the agent runs its {@value #MAX_ARCHIVE} archives and waits; each operation queues one restore
 * (its pass sends it at once), then the agent reports it done and asks for work again. Sampled, so
 * the percentiles show the latency of the whole step in the core.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class RestoreDispatchBenchmark {

    static final int MAX_ARCHIVE = 100;

    @Param({"1000", "1000000"})
    public int queuedArchives;

    private final SyntheticItems items = new SyntheticItems(32);
    private CoreDriver driver;
    private ReplySink agent;
    private long next;

    @Setup
    public void fill() {
        driver = new CoreDriver(RequestStore.NONE);
        driver.fillArchives(items, 0, queuedArchives);
        next = queuedArchives;
        agent = driver.agent("agent1");
        Reply.ActionList archives = driver.recv(agent, MAX_ARCHIVE, 1);
        if (archives == null || archives.items().size() != MAX_ARCHIVE) {
            throw new IllegalStateException("the agent did not get its archives: " + archives);
        }
        if (driver.recv(agent, MAX_ARCHIVE, 1) != null) {
            throw new IllegalStateException("an agent at its archive limit got work");
        }
    }

    @Benchmark
    public WireItem restoreBehindArchives() {
        WireItem restore = items.item(HsmAction.RESTORE, next++);
        driver.queue(List.of(restore));
        Reply r = agent.take();
        if (!(r instanceof Reply.ActionList list) || list.items().size() != 1
                || list.items().get(0).cookie() != restore.cookie()) {
            throw new IllegalStateException("the restore was not dispatched at once: " + r);
        }
        driver.done(agent, restore);
        if (driver.recv(agent, MAX_ARCHIVE, 1) != null) {
            throw new IllegalStateException("an agent at its archive limit got work");
        }
        return restore;
    }
}
