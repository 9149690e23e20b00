package org.coordinatool.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.coordinatool.coordinator.client.ServerConnection;
import org.coordinatool.coordinator.protocol.Command;
import org.coordinatool.coordinator.protocol.JsonCodec;
import org.coordinatool.coordinator.protocol.Reply;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.hsm.HsmAction;

/**
 * A protocol-level agent: says ehlo, asks for work with recv and, after the service time,
 * reports each item done, as a mover would, but without moving anything. With no service time,
 * the dones of a list go out before the next recv, in one write, so the server sees the agent's
 * whole capacity free when it schedules for it; otherwise the next recv goes out at once (the
 * agent may take more while it works) and the dones follow when the work is over.
 */
final class BenchAgent extends RunConnection {

    /** The server's acknowledgement of a done, as both servers write it. */
    private static final ByteBuf DONE_OK = Unpooled.unreleasableBuffer(
            Unpooled.wrappedBuffer("{\"command\": \"done\"}".getBytes(StandardCharsets.US_ASCII)));

    private final String id;
    private final BenchSettings settings;
    private final RunClock clock;
    private final byte[] recv;
    /** Requests whose done was sent, in order: the server acknowledges dones in order. */
    private final IndexQueue unacknowledged = new IndexQueue();
    private boolean ready;

    BenchAgent(String id, BenchSettings settings, RequestLedger ledger, RunClock clock, RunControl run, int maxArchive) {
        super("agent " + id, ledger, run);
        this.id = id;
        this.settings = settings;
        this.clock = clock;
        this.recv = JsonCodec.encodeCommand(new Command.Recv(maxArchive, settings.maxRestore(),
                settings.maxRemove(), settings.maxBytes()));
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ByteBuf out = ctx.alloc().buffer();
        out.writeBytes(JsonCodec.encodeCommand(new Command.Ehlo(id, settings.fsname(),
                List.of((long) settings.archiveId()), List.of(), List.of())));
        out.writeBytes(recv);
        ctx.writeAndFlush(out);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
        if (ByteBufUtil.equals(frame, DONE_OK)) {
            acknowledged();
            return;
        }
        super.channelRead0(ctx, frame);
    }

    @Override
    protected void replied(ChannelHandlerContext ctx, Reply reply) {
        if (reply instanceof Reply.ActionList list) {
            received(ctx, list);
        } else if (reply instanceof Reply.Simple s && s.status() == 0 && s.command().equals("ehlo") && !ready) {
            ready = true;
            run.agentReady();
        } else if (reply instanceof Reply.Simple s && s.status() == 0 && s.command().equals("done")) {
            acknowledged();
        } else {
            fail("unexpected " + ServerConnection.describe(reply));
        }
    }

    private void acknowledged() {
        if (unacknowledged.isEmpty()) {
            fail("a done acknowledgement for no done");
            return;
        }
        ledger.done(unacknowledged.poll(), clock.now());
        run.progress();
    }

    private void received(ChannelHandlerContext ctx, Reply.ActionList list) {
        long now = clock.now();
        SyntheticRequests requests = ledger.requests();
        int[] accepted = new int[list.items().size()];
        int n = 0;
        for (WireItem item : list.items()) {
            long index = requests.indexOf(item.cookie(), item.dfid());
            if (index < 0 || item.action() != requests.actionOf(index)) {
                ledger.foreign(HsmAction.nameOf(item.action()) + " cookie 0x" + Long.toHexString(item.cookie())
                        + " dfid " + item.dfid().format(), id);
            } else if (ledger.dispatched(index, now, id)) {
                accepted[n++] = (int) index;
            }
        }
        run.progress();
        if (ledger.hasProblems()) {
            run.abort();
            return;
        }
        if (settings.serviceNanos() == 0) {
            ByteBuf out = ctx.alloc().buffer();
            writeDones(out, accepted, n);
            out.writeBytes(recv);
            ctx.writeAndFlush(out);
        } else {
            ctx.writeAndFlush(ctx.alloc().buffer(recv.length).writeBytes(recv));
            int count = n;
            ctx.executor().schedule(() -> {
                ByteBuf out = ctx.alloc().buffer();
                writeDones(out, accepted, count);
                ctx.writeAndFlush(out);
            }, settings.serviceNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void writeDones(ByteBuf out, int[] indices, int count) {
        SyntheticRequests requests = ledger.requests();
        for (int i = 0; i < count; i++) {
            out.writeBytes(JsonCodec.encodeCommand(new Command.Done(requests.cookie(indices[i]),
                    requests.fid(indices[i]), 0)));
            unacknowledged.add(indices[i]);
        }
    }
}
