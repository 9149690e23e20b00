package org.coordinatool.coordinator.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import org.coordinatool.coordinator.core.CoordinatorEvents;
import org.coordinatool.coordinator.protocol.Command;
import org.coordinatool.coordinator.protocol.Reply;
import org.coordinatool.coordinator.security.Admission;
import org.coordinatool.coordinator.security.ConnectionAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last inbound handler of a connection: checks each decoded command against the connection's
 * role, hands the connection's life to the state loop (connected, each command, disconnected)
 * and answers streams the protocol layer cannot frame.
 *
 * <p>Everything that produces a reply goes through the state loop, and every decoded message
 * through the coordinator, refused ones included (it answers them with their error status), so
 * replies leave in the order their requests arrived even while the coordinator holds a client's
 * commands back. A connection stops being read while its commands pile up on the state loop, or
 * while its replies pile up unread (more than {@code max_pending_replies}), until the backlog has
 * halved.
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
    private final ConnectionAccess access;
    private final Refusals refusals;
    private final long frameTimeoutMillis;
    private final AtomicInteger queued = new AtomicInteger();
    private volatile boolean commandsBacklogged;
    /** Only touched on the channel's I/O thread. */
    private boolean repliesBacklogged;
    private ChannelHandlerContext ctx;
    private volatile boolean closing;

    ConnectionHandler(Executor stateLoop, CoordinatorEvents events, JsonFrameDecoder frames,
                      NettyClientConnection connection, ConnectionAccess access, Refusals refusals,
                      long frameTimeoutMillis) {
        this.stateLoop = stateLoop;
        this.events = events;
        this.frames = frames;
        this.connection = connection;
        this.access = access;
        this.refusals = refusals;
        this.frameTimeoutMillis = frameTimeoutMillis;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        connection.onBacklogChange(() -> ctx.executor().execute(this::updateReading));
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
        if (closing) {
            // Decoded from the same read as the message that ends the connection.
            return;
        }
        Admission admission = access.admit((Command) msg);
        if (admission instanceof Admission.Refuse refuse) {
            Reply.Simple reply = refuse.reply();
            refusals.record(Refusal.ofReason(refuse.reason()), connection.peerName(),
                    reply.command() + " refused: " + reply.error() + (refuse.close() ? ", closing the connection" : ""));
            if (refuse.close()) {
                replyAndClose(ctx, reply);
                return;
            }
        }
        Command command = admission instanceof Admission.Pass pass ? pass.command()
                : denied(((Admission.Refuse) admission).reply());
        boolean pause = queued.incrementAndGet() >= PAUSE_READING_AT;
        stateLoop.execute(() -> {
            try {
                deliver(command);
            } finally {
                if (queued.decrementAndGet() <= RESUME_READING_AT && commandsBacklogged) {
                    commandsBacklogged = false;
                    ctx.executor().execute(this::updateReading);
                }
            }
        });
        if (pause) {
            commandsBacklogged = true;
            // The loop may have drained everything before the flag was raised.
            if (queued.get() <= RESUME_READING_AT) {
                commandsBacklogged = false;
            }
            updateReading();
        }
    }

    private static Command denied(Reply.Simple reply) {
        return new Command.Denied(reply.command(), reply.status(), reply.error());
    }

    /** Reads while neither commands nor replies are backlogged; runs on the channel's I/O thread. */
    private void updateReading() {
        if (!repliesBacklogged && connection.overLimit()) {
            repliesBacklogged = true;
            refusals.record(Refusal.PENDING_REPLIES, connection.peerName(), connection.pendingReplies()
                    + " replies not read by the peer: its commands are not read until it catches up");
        } else if (repliesBacklogged && connection.drained()) {
            repliesBacklogged = false;
        }
        boolean read = !closing && !commandsBacklogged && !repliesBacklogged;
        if (ctx.channel().config().isAutoRead() != read) {
            ctx.channel().config().setAutoRead(read);
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
            refusals.record(Refusal.FRAME_TOO_LARGE, connection.peerName(), cause.getMessage()
                    + ", closing the connection");
            replyAndClose(ctx, new Reply.Simple("error", EMSGSIZE, cause.getMessage()));
        } else if (cause instanceof CorruptedFrameException) {
            LOG.warn("{}: invalid JSON stream: {}, closing the connection", connection.peerName(),
                    cause.getMessage());
            replyAndClose(ctx, new Reply.Simple("error", EINVAL, "invalid JSON: " + cause.getMessage()));
        } else if (cause instanceof DecoderException && cause.getCause() instanceof SSLException) {
            // Counted and logged through the handshake event when the handshake is what failed.
            LOG.debug("{}: TLS error, closing the connection: {}", connection.peerName(), cause.getCause().toString());
            closing = true;
            ctx.close();
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
            refusals.record(Refusal.FRAME_TIMEOUT, connection.peerName(), "no data for " + frameTimeoutMillis
                    + " ms in the middle of a message, closing the connection");
            closing = true;
            ctx.close();
            return;
        }
        if (evt instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
            refusals.record(Refusal.TLS_HANDSHAKE, connection.peerName(), "TLS handshake failed: "
                    + handshake.cause().getMessage() + ", closing the connection");
            closing = true;
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }
}
