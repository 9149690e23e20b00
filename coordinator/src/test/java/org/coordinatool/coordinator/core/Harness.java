package org.coordinatool.coordinator.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.coordinatool.config.ConnectionLimits;
import org.coordinatool.config.HostMapping;
import org.coordinatool.config.LogLevel;
import org.coordinatool.config.MetricsEndpoint;
import org.coordinatool.config.ServerSecurity;
import org.coordinatool.config.ServerSettings;
import org.coordinatool.coordinator.protocol.Command;
import org.coordinatool.coordinator.protocol.Reply;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.coordinator.report.DirectoryReportWriter;
import org.coordinatool.coordinator.report.ReportWriter;
import org.coordinatool.hsm.HsmActionItem;
import org.coordinatool.hsm.HsmActionList;

/** A coordinator wired to in-memory ports, driven through its event entry points. */
final class Harness {

    static final String FS = "testfs0";

    static final class Builder {
        long graceMs = 5000;
        List<HostMapping> mappings = new ArrayList<>();
        long batchIdle;
        long batchMax;
        int slots = 1;
        Path reportDir;
        String reportHint;
        long reportIntervalMs = 1000;
        long seed = 42;
        RequestTelemetry telemetry = RequestTelemetry.NONE;

        Builder telemetry(RequestTelemetry t) {
            telemetry = t;
            return this;
        }

        Builder grace(long ms) {
            graceMs = ms;
            return this;
        }

        Builder mapping(HostMapping m) {
            mappings.add(m);
            return this;
        }

        Builder batching(long idleSeconds, long maxSeconds, int slotsPerClient) {
            batchIdle = idleSeconds;
            batchMax = maxSeconds;
            slots = slotsPerClient;
            return this;
        }

        Builder reporting(Path dir, String hint, long intervalMs) {
            reportDir = dir;
            reportHint = hint;
            reportIntervalMs = intervalMs;
            return this;
        }

        Builder seed(long s) {
            seed = s;
            return this;
        }

        Harness build() {
            return new Harness(this);
        }
    }

    final ManualClock clock = new ManualClock();
    final ManualTimers timers = new ManualTimers(clock);
    final RecordingStore store = new RecordingStore();
    final RecordingCanceller canceller = new RecordingCanceller();
    final ManualPathResolver paths = new ManualPathResolver();
    final Coordinator coordinator;
    int terminations;
    private int peers;

    static Builder builder() {
        return new Builder();
    }

    static Harness plain() {
        return builder().build();
    }

    private Harness(Builder b) {
        ServerSettings settings = new ServerSettings("localhost", "5123", LogLevel.NORMAL, List.of(), "", 6379,
                b.graceMs, b.mappings, b.batchIdle, b.batchMax, b.slots,
                Optional.ofNullable(b.reportDir == null ? null : b.reportDir.toString()),
                Optional.ofNullable(b.reportHint), b.reportIntervalMs, "", 1 << 24,
                ServerSecurity.NONE, ConnectionLimits.DEFAULTS, new MetricsEndpoint("localhost", 0));
        ReportWriter writer = ReportWriter.NONE;
        if (b.reportDir != null) {
            try {
                writer = DirectoryReportWriter.open(b.reportDir, Runnable::run);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
        coordinator = new Coordinator(settings, FS, store, canceller, clock, timers, new Random(b.seed), writer,
                paths, () -> terminations++, b.telemetry);
    }

    RecordingConnection connect() {
        RecordingConnection c = new RecordingConnection("127.0.0.1:" + (40000 + peers++));
        coordinator.connected(c);
        return c;
    }

    void send(RecordingConnection c, Command command) {
        coordinator.received(c, command);
    }

    static Command.Ehlo ehlo(String id, Long... archiveIds) {
        return new Command.Ehlo(id, FS, archiveIds.length == 0 ? null : Arrays.asList(archiveIds), null, List.of());
    }

    static Command.Ehlo ehlo(String id, List<WireItem> running) {
        return new Command.Ehlo(id, FS, null, running, List.of());
    }

    /** A connected agent that completed ehlo under {@code id}. */
    RecordingConnection agent(String id, Long... archiveIds) {
        RecordingConnection c = connect();
        send(c, ehlo(id, archiveIds));
        assertEquals(Reply.Simple.ok("ehlo"), c.last());
        return c;
    }

    /** A connected agent whose ehlo lists {@code running} as the requests it still runs. */
    RecordingConnection agentRunning(String id, WireItem... running) {
        RecordingConnection c = connect();
        send(c, ehlo(id, List.of(running)));
        assertEquals(Reply.Simple.ok("ehlo"), c.last());
        return c;
    }

    /** An anonymous connection, as the admin client opens. */
    RecordingConnection admin() {
        RecordingConnection c = connect();
        send(c, new Command.Ehlo(null, null, null, null, List.of()));
        assertEquals(Reply.Simple.ok("ehlo"), c.last());
        return c;
    }

    void recv(RecordingConnection c) {
        recv(c, -1, -1, -1, 1 << 20);
    }

    void recv(RecordingConnection c, long maxArchive, long maxRestore, long maxRemove, long maxBytes) {
        send(c, new Command.Recv(maxArchive, maxRestore, maxRemove, maxBytes));
    }

    /** Lustre sends the items, then {@code c} asks for work and gets exactly them, in order. */
    void dispatch(RecordingConnection c, WireItem... items) {
        lustre(items);
        recv(c);
        List<Integer> expected = new ArrayList<>();
        for (WireItem item : items) {
            expected.add(item.dfid().oid());
        }
        assertEquals(expected, received(c));
    }

    void done(RecordingConnection c, WireItem item, int status) {
        send(c, new Command.Done(item.cookie(), item.dfid(), status));
    }

    void done(RecordingConnection c, WireItem item) {
        done(c, item, 0);
    }

    Reply.QueueResult queue(RecordingConnection c, WireItem... items) {
        send(c, new Command.Queue(true, List.of(items), List.of(), null));
        return (Reply.QueueResult) c.last();
    }

    /** An action list from Lustre with the items' own archive id and flags (all must share them). */
    void lustre(WireItem... items) {
        List<HsmActionItem> hais = new ArrayList<>();
        for (WireItem item : items) {
            hais.add(Items.hai(item));
        }
        coordinator.fromLustre(new HsmActionList(items[0].flags(), items[0].archiveId(), FS, hais));
    }

    void lustreCancel(int n, int archiveId) {
        coordinator.fromLustre(new HsmActionList(0, archiveId, FS, List.of(Items.cancelHai(n))));
    }

    Reply.StatusReport status(int verbose) {
        RecordingConnection c = connect();
        send(c, new Command.Status(verbose));
        Reply.StatusReport report = (Reply.StatusReport) c.last();
        coordinator.disconnected(c);
        return report;
    }

    void advanceMillis(long ms) {
        timers.advanceMillis(ms);
    }

    /**
     * Asks for work until a recv stays unanswered; returns the numbers received. The connection is
     * left waiting.
     */
    List<Integer> drain(RecordingConnection c) {
        List<Integer> all = new ArrayList<>();
        while (true) {
            recv(c);
            List<Integer> got = received(c);
            if (got.isEmpty()) {
                return all;
            }
            all.addAll(got);
        }
    }

    /** Keys (dfid oid numbers) of the items of an action list, in order. */
    static List<Integer> numbers(Reply.ActionList list) {
        List<Integer> out = new ArrayList<>();
        for (WireItem item : list.items()) {
            out.add(item.dfid().oid());
        }
        return out;
    }

    /** Numbers of all items received by a connection so far, consuming its recv replies. */
    static List<Integer> received(RecordingConnection c) {
        List<Integer> out = new ArrayList<>();
        for (Reply.ActionList l : c.takeActionLists()) {
            out.addAll(numbers(l));
        }
        return out;
    }
}
