package org.coordinatool.bench.core;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.coordinatool.config.ConnectionLimits;
import org.coordinatool.config.LogLevel;
import org.coordinatool.config.MetricsEndpoint;
import org.coordinatool.config.ServerSecurity;
import org.coordinatool.config.ServerSettings;
import org.coordinatool.coordinator.core.Clock;
import org.coordinatool.coordinator.core.Coordinator;
import org.coordinatool.coordinator.core.PathResolver;
import org.coordinatool.coordinator.core.RequestStore;
import org.coordinatool.coordinator.core.Timers;
import org.coordinatool.coordinator.metrics.CoordinatorMetrics;
import org.coordinatool.coordinator.protocol.Command;
import org.coordinatool.coordinator.protocol.JsonCodec;
import org.coordinatool.coordinator.protocol.Reply;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.coordinator.report.ReportWriter;

/**
 * The real coordinator core (scheduling, queues, request table, persistence hooks) driven on the
 * calling thread through its event entry points, as the server's state loop drives it, with
 * in-memory connections. Default settings: no batching, no reporting, no host mappings.
 *
 * <p>Timers are never run: with those settings the only deadlines are agents' grace periods, and
 * the scenarios driven here never disconnect an agent.
 */
public final class CoreDriver {

    public static final String FSNAME = "benchfs";

    /** Items per queue command when filling the queue, as a client batching its submissions would. */
    private static final int FILL_BATCH = 10_000;

    private static final Timers NO_TIMERS = (delayNanos, task) -> () -> { };

    /** There is no filesystem behind the core here: a find is answered EOPNOTSUPP. */
    private static final PathResolver NO_FILESYSTEM = (path, done) ->
            done.accept(PathResolver.Resolution.failed(95, "no filesystem behind this coordinator"));

    private final Coordinator coordinator;
    private final ReplySink submitter = new ReplySink("127.0.0.1:1");
    private boolean submitterConnected;
    private int peers = 1;

    public CoreDriver(RequestStore store) {
        ServerSettings settings = new ServerSettings("localhost", "5123", LogLevel.NORMAL, List.of(), "", 6379,
                5000, List.of(), 0, 0, 0, Optional.empty(), Optional.empty(), 0, "", 1 << 24, ServerSecurity.NONE,
                ConnectionLimits.DEFAULTS, new MetricsEndpoint("localhost", 0));
        // The server's own metrics, so that what they cost per event is part of every measurement.
        coordinator = new Coordinator(settings, FSNAME, store, item -> { }, Clock.SYSTEM, NO_TIMERS,
                new Random(1), ReportWriter.NONE, NO_FILESYSTEM, () -> { },
                new CoordinatorMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)));
    }

    public Coordinator coordinator() {
        return coordinator;
    }

    /** Connects an agent and names it; it serves archive id 1 (any archive id). */
    public ReplySink agent(String id) {
        ReplySink agent = new ReplySink("127.0.0.1:" + (1 + peers++));
        coordinator.connected(agent);
        coordinator.received(agent, new Command.Ehlo(id, FSNAME, null, null, List.of()));
        expect(agent, Reply.Simple.class);
        return agent;
    }

    /** Submits items in one queue command, as coordinatool-client -Q does. */
    public void queue(List<WireItem> items) {
        if (!submitterConnected) {
            coordinator.connected(submitter);
            submitterConnected = true;
        }
        coordinator.received(submitter, new Command.Queue(true, items, List.of(), FSNAME));
        Reply.QueueResult result = expect(submitter, Reply.QueueResult.class);
        if (result.status() != 0 || result.enqueued() != items.size()) {
            throw new IllegalStateException("queue refused: " + result);
        }
    }

    /**
     * Submits items as a client's queue command arriving over the network: encoded and decoded by
     * the protocol codec, so each request holds what a decoded one holds (its own fid and dfid).
     */
    public void queueDecoded(List<WireItem> items) {
        Command decoded = JsonCodec.decodeCommand(JsonCodec.encodeCommand(
                new Command.Queue(true, items, List.of(), FSNAME)));
        if (!(decoded instanceof Command.Queue q) || q.items().size() != items.size()) {
            throw new IllegalStateException("queue command did not decode: " + decoded);
        }
        queue(q.items());
    }

    /** Queues archives number from..to-1 in batches, through the protocol codec. */
    public void fillArchives(SyntheticItems items, long from, long to) {
        List<WireItem> batch = new ArrayList<>(FILL_BATCH);
        for (long n = from; n < to; n++) {
            batch.add(items.archive(n));
            if (batch.size() == FILL_BATCH) {
                queueDecoded(batch);
                batch = new ArrayList<>(FILL_BATCH);
            }
        }
        if (!batch.isEmpty()) {
            queueDecoded(batch);
        }
    }

    /**
     * The agent asks for work; returns what the scheduling pass sent it at once, null when it now
     * waits for work.
     */
    public Reply.ActionList recv(ReplySink agent, long maxArchive, long maxRestore) {
        coordinator.received(agent, new Command.Recv(maxArchive, maxRestore, -1, -1));
        Reply r = agent.take();
        if (r == null || r instanceof Reply.ActionList) {
            return (Reply.ActionList) r;
        }
        throw new IllegalStateException("recv refused: " + r);
    }

    /** The agent reports an item done. */
    public void done(ReplySink agent, WireItem item) {
        coordinator.received(agent, new Command.Done(item.cookie(), item.dfid(), 0));
        Reply.Simple reply = expect(agent, Reply.Simple.class);
        if (reply.status() != 0) {
            throw new IllegalStateException("done refused: " + reply);
        }
    }

    /** Reports every item of a recv reply done. */
    public void doneAll(ReplySink agent, Reply.ActionList list) {
        for (WireItem item : list.items()) {
            done(agent, item);
        }
    }

    /** The agent takes and completes the {@code count} oldest archives, at most 1000 per recv. */
    public void drainArchives(ReplySink agent, long count) {
        for (long left = count; left > 0; ) {
            Reply.ActionList list = recv(agent, Math.min(left, 1000), 0);
            if (list == null) {
                throw new IllegalStateException(left + " archives fewer than expected were queued");
            }
            doneAll(agent, list);
            left -= list.items().size();
        }
    }

    private static <T extends Reply> T expect(ReplySink sink, Class<T> type) {
        Reply r = sink.take();
        if (!type.isInstance(r)) {
            throw new IllegalStateException("expected a " + type.getSimpleName() + " reply, got " + r);
        }
        return type.cast(r);
    }
}
