package org.coordinatool.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import org.coordinatool.coordinator.protocol.InvalidContentException;
import org.coordinatool.coordinator.protocol.JsonCodec;
import org.coordinatool.coordinator.protocol.Reply;

/**
 * A connection of the run to the server: hands each decoded reply on, and turns whatever goes
 * wrong on the connection (an undecodable reply, an early close, an exception) into a failure
 * of the run, named after the connection, that stops it.
 */
abstract class RunConnection extends SimpleChannelInboundHandler<ByteBuf> {

    protected final RequestLedger ledger;
    protected final RunControl run;
    private final String name;

    RunConnection(String name, RequestLedger ledger, RunControl run) {
        this.name = name;
        this.ledger = ledger;
        this.run = run;
    }

    /** Handles one reply of the server. */
    protected abstract void replied(ChannelHandlerContext ctx, Reply reply);

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
        Reply reply;
        try {
            reply = JsonCodec.decodeReply(ByteBufUtil.getBytes(frame));
        } catch (InvalidContentException e) {
            fail("undecodable reply: " + e.getMessage());
            return;
        }
        replied(ctx, reply);
    }

    protected final void fail(String problem) {
        ledger.failure(name + ": " + problem);
        run.abort();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!run.finished()) {
            fail("the server closed the connection");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause.toString());
        ctx.close();
    }
}
