package org.coordinatool.bench.jmh;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.coordinatool.bench.core.CoreDriver;
import org.coordinatool.bench.core.ReplySink;
import org.coordinatool.bench.core.SyntheticItems;
import org.coordinatool.coordinator.core.RequestStore;
import org.coordinatool.coordinator.protocol.Reply;
import org.coordinatool.coordinator.protocol.WireItem;
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
 * One scheduling pass that dispatches {@value #SENT} archives to an agent, with 10^3, 10^5 or 10^6
 * archives queued. The cost must not depend on the queue length.
 *
 * <p>Each operation keeps the depth constant: it queues {@value #SENT} new archives (submitted
 * while the agent works, so no pass runs then), the agent's recv runs the pass that dispatches the
 * {@value #SENT} oldest, and the agent reports them done. Every step costs O({@value #SENT}) when
 * the queues are right, so the score must be flat across the three depths.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class SchedulingPassBenchmark {

    static final int SENT = 100;

    @Param({"1000", "100000", "1000000"})
    public int queued;

    private final SyntheticItems items = new SyntheticItems(32);
    private CoreDriver driver;
    private ReplySink agent;
    private long next;

    @Setup
    public void fill() {
        driver = new CoreDriver(RequestStore.NONE);
        driver.fillArchives(items, 0, queued);
        next = queued;
        agent = driver.agent("agent1");
    }

    @Benchmark
    public Reply.ActionList pass() {
        driver.queue(nextArchives());
        Reply.ActionList list = driver.recv(agent, SENT, 0);
        if (list == null || list.items().size() != SENT) {
            throw new IllegalStateException("the pass sent " + (list == null ? 0 : list.items().size()));
        }
        driver.doneAll(agent, list);
        return list;
    }

    private List<WireItem> nextArchives() {
        WireItem[] batch = new WireItem[SENT];
        for (int i = 0; i < SENT; i++) {
            batch[i] = items.archive(next++);
        }
        return List.of(batch);
    }
}
