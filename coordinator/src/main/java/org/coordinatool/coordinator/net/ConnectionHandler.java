package org.coordinatool.coordinator.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.coordinatool.coordinator.core.CoordinatorEvents;
import org.coordinatool.coordinator.protocol.Command;
import org.coordinatool.coordinator.protocol.Reply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last inbound handler of a connection: hands the connection's life to the state loop
 * (connected, each decoded command, disconnected) and answers streams the protocol layer cannot
 * frame.
 *
 * <p>Everything that produces a reply goes through the state loop, and every decoded message
 * through the coordinator, refused ones included (it answers them with status 22), so replies
 * leave in the order their requests arrived even while the coordinator holds a client's commands
 * back. A connection whose commands pile up on the state loop stops being read until the loop
 * has caught up.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {

    /** errno for a refused message: EINVAL. */
    static final int EINVAL = 22;
    /** errno for a message over the size limit: EMSGSIZE ("Message too long"). */
    static final int EMSGSIZE = 90;

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionHandler.class);
    private static final int PAUSE_READING_AT = 64;
    private static final int RESUME_READING_AT = 16;

    private final Executor stateLoop;
    private final CoordinatorEvents events;
    private final JsonFrameDecoder frames;
    private final NettyClientConnection connection;
    private final long stallTimeoutSeconds;
    private final AtomicInteger queued = new AtomicInteger();
    private volatile boolean closing;

    ConnectionHandler(Executor stateLoop, CoordinatorEvents events, JsonFrameDecoder frames,
                      NettyClientConnection connection, long stallTimeoutSeconds) {
        this.stateLoop = stateLoop;
        this.stallTimeoutSeconds = stallTimeoutSeconds;
        this.events = events;
        this.frames = frames;
        this.connection = connection;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        LOG.debug("{}: connected", connection.peerName());
        stateLoop.execute(() -> events.connected(connection));
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        LOG.debug("{}: disconnected", connection.peerName());
        stateLoop.execute(() -> events.disconnected(connection));
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Command command = (Command) msg;
        boolean pause = queued.incrementAndGet() >= PAUSE_READING_AT;
        stateLoop.execute(() -> {
            try {
                deliver(command);
            } finally {
                if (queued.decrementAndGet() <= RESUME_READING_AT) {
                    resumeReading(ctx);
                }
            }
        });
        if (pause) {
            ctx.channel().config().setAutoRead(false);
            // The loop may have drained everything before reading was paused.
            if (queued.get() <= RESUME_READING_AT) {
                resumeReading(ctx);
            }
        }
    }

    private void resumeReading(ChannelHandlerContext ctx) {
        if (!closing && !ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** Runs on the state loop. */
    private void deliver(Command command) {
        try {
            events.received(connection, command);
        } catch (RuntimeException e) {
            LOG.error("{}: internal error handling {}, closing the connection", connection.peerName(),
                    command.name(), e);
            connection.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            LOG.warn("{}: {}, closing the connection", connection.peerName(), cause.getMessage());
            replyAndClose(ctx, new Reply.Simple("error", EMSGSIZE, cause.getMessage()));
        } else if (cause instanceof CorruptedFrameException) {
            LOG.warn("{}: invalid JSON stream: {}, closing the connection", connection.peerName(),
                    cause.getMessage());
            replyAndClose(ctx, new Reply.Simple("error", EINVAL, "invalid JSON: " + cause.getMessage()));
        } else if (cause instanceof IOException) {
            LOG.info("{}: connection lost: {}", connection.peerName(), cause.getMessage());
            ctx.close();
        } else if (cause instanceof DecoderException) {
            LOG.error("{}: cannot decode input, closing the connection", connection.peerName(), cause);
            replyAndClose(ctx, new Reply.Simple("error", EINVAL, "cannot decode the message"));
        } else {
            LOG.error("{}: unexpected error, closing the connection", connection.peerName(), cause);
            ctx.close();
        }
    }

    /** Stops reading and closes after the reply, queued behind the replies already due. */
    private void replyAndClose(ChannelHandlerContext ctx, Reply reply) {
        closing = true;
        ctx.channel().config().setAutoRead(false);
        stateLoop.execute(() -> {
            connection.send(reply);
            connection.close();
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && frames.hasPartialFrame()) {
            LOG.warn("{}: no data for {} s in the middle of a message, closing the connection",
                    connection.peerName(), stallTimeoutSeconds);
            closing = true;
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }
}
