package org.coordinatool.bench;

import io.netty.channel.ChannelHandlerContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.coordinatool.coordinator.client.ServerConnection;
import org.coordinatool.coordinator.protocol.Command;
import org.coordinatool.coordinator.protocol.JsonCodec;
import org.coordinatool.coordinator.protocol.Reply;
import org.coordinatool.coordinator.protocol.WireItem;

/**
 * The connection that queues the requests, as {@code coordinatool-client -Q} does: an anonymous
 * ehlo, then queue messages of {@code batch} items, pipelined up to {@code window} unacknowledged
 * messages, each request's queued time taken when its message is written. A phase is a range of
 * request numbers injected at a rate (0: as fast as the window allows); the run starts the next
 * one when told that this one was acknowledged.
 */
final class Injector extends RunConnection {

    private final BenchSettings settings;
    private final RunClock clock;
    /** Items of each unacknowledged queue message, in order. */
    private final IndexQueue unacknowledged = new IndexQueue();
    private ChannelHandlerContext ctx;
    private boolean ehloAcknowledged;

    private long cursor;
    private long phaseStart;
    private long phaseEnd;
    private double phaseRate;
    private long phaseStartedAt;
    private long firstSentAt;
    private long lastAcknowledgedAt;
    private boolean wakeUpPending;

    Injector(BenchSettings settings, RequestLedger ledger, RunClock clock, RunControl run) {
        super("injector", ledger, run);
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(JsonCodec.encodeCommand(
                new Command.Ehlo(null, null, null, null, List.of()))));
    }

    /** Injects requests {@code from} to {@code to} (exclusive) at {@code rate} per second (0: unpaced). */
    void inject(long from, long to, double rate) {
        cursor = from;
        phaseStart = from;
        phaseEnd = to;
        phaseRate = rate;
        phaseStartedAt = clock.now();
        firstSentAt = 0;
        lastAcknowledgedAt = 0;
        if (from == to) {
            run.phaseInjected();
            return;
        }
        pump();
    }

    /** When the current phase's first message was written. */
    long firstSentAt() {
        return firstSentAt;
    }

    /** When the current phase's last acknowledgement arrived. */
    long lastAcknowledgedAt() {
        return lastAcknowledgedAt;
    }

    private void pump() {
        boolean wrote = false;
        while (cursor < phaseEnd && unacknowledged.size() < settings.window() && !run.finished()) {
            long now = clock.now();
            if (phaseRate > 0) {
                long due = phaseStartedAt + (long) ((cursor - phaseStart) * 1e9 / phaseRate);
                if (now < due) {
                    if (!wakeUpPending) {
                        wakeUpPending = true;
                        ctx.executor().schedule(() -> {
                            wakeUpPending = false;
                            pump();
                        }, due - now, TimeUnit.NANOSECONDS);
                    }
                    break;
                }
            }
            int n = (int) Math.min(settings.batch(), phaseEnd - cursor);
            List<WireItem> items = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                items.add(ledger.requests().item(cursor + i));
            }
            ctx.write(ctx.alloc().buffer().writeBytes(JsonCodec.encodeCommand(
                    new Command.Queue(true, items, List.of(), null))));
            wrote = true;
            if (firstSentAt == 0) {
                firstSentAt = now;
            }
            for (int i = 0; i < n; i++) {
                ledger.queued(cursor + i, now);
            }
            unacknowledged.add(n);
            cursor += n;
        }
        if (wrote) {
            ctx.flush();
        }
    }

    @Override
    protected void replied(ChannelHandlerContext ctx, Reply reply) {
        if (reply instanceof Reply.Simple s && s.command().equals("ehlo") && s.status() == 0 && !ehloAcknowledged) {
            ehloAcknowledged = true;
            run.injectorReady();
        } else if (reply instanceof Reply.QueueResult q && !unacknowledged.isEmpty()) {
            int sent = unacknowledged.poll();
            if (q.status() != 0 || q.enqueued() != sent || q.skipped() != 0) {
                fail("queue of " + sent + " items answered with enqueued " + q.enqueued() + ", skipped "
                        + q.skipped() + ", status " + q.status() + (q.error() == null ? "" : " (" + q.error() + ")"));
                return;
            }
            lastAcknowledgedAt = clock.now();
            run.progress();
            if (cursor == phaseEnd && unacknowledged.isEmpty()) {
                run.phaseInjected();
            } else {
                pump();
            }
        } else {
            fail("unexpected " + ServerConnection.describe(reply));
        }
    }
}
