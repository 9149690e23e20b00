package org.coordinatool.coordinator.net;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.coordinatool.coordinator.core.ClientConnection;
import org.coordinatool.coordinator.protocol.Reply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepted socket as the coordinator sees it. Replies are queued to the channel and encoded
 * on its I/O thread, so the reply objects must not be changed after {@link #send}.
 *
 * <p>It counts the replies queued but not yet written to the socket: a peer that does not read
 * makes that number grow, and the connection's reader stops reading its commands when it passes
 * the limit (see {@link ConnectionHandler}).
 */
final class NettyClientConnection implements ClientConnection {

    private static final Logger LOG = LoggerFactory.getLogger(NettyClientConnection.class);

    private final Channel channel;
    private final String peerName;
    private final AtomicBoolean writeFailureLogged = new AtomicBoolean();
    private final ChannelFutureListener onWritten = this::written;
    private final AtomicInteger pendingReplies = new AtomicInteger();
    private final int backlogAt;
    private final int drainedAt;
    private volatile Runnable onBacklogChange = () -> { };

    /**
     * @param maxPendingReplies replies unwritten at which {@link #backlogged()} becomes true; it
     *                          becomes false again at half that
     */
    NettyClientConnection(Channel channel, String peerName, int maxPendingReplies) {
        this.channel = channel;
        this.peerName = peerName;
        this.backlogAt = maxPendingReplies;
        this.drainedAt = maxPendingReplies / 2;
    }

    /** Replies queued but not yet written. */
    int pendingReplies() {
        return pendingReplies.get();
    }

    boolean overLimit() {
        return pendingReplies.get() >= backlogAt;
    }

    boolean drained() {
        return pendingReplies.get() <= drainedAt;
    }

    /** Runs, on any thread, when the pending count reaches the limit or falls back to half of it. */
    void onBacklogChange(Runnable action) {
        onBacklogChange = action;
    }

    @Override
    public String peerName() {
        return peerName;
    }

    @Override
    public void send(Reply reply) {
        if (!channel.isActive()) {
            // Gone already: its disconnect event is on its way, encoding the reply would be wasted.
            logWriteFailure(null);
            return;
        }
        if (pendingReplies.incrementAndGet() == backlogAt) {
            onBacklogChange.run();
        }
        channel.writeAndFlush(reply).addListener(onWritten);
    }

    /** Closes once everything queued before has been written. */
    @Override
    public void close() {
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private void written(ChannelFuture future) {
        if (pendingReplies.decrementAndGet() == drainedAt) {
            onBacklogChange.run();
        }
        if (future.isSuccess()) {
            return;
        }
        logWriteFailure(future.cause());
        future.channel().close();
    }

    /** One line per connection, however many replies were lost. */
    private void logWriteFailure(Throwable cause) {
        if (writeFailureLogged.compareAndSet(false, true)) {
            if (cause == null || cause instanceof ClosedChannelException) {
                LOG.info("{}: connection closed before a reply could be sent", peerName);
            } else {
                LOG.warn("{}: cannot send a reply, closing: {}", peerName, cause.toString());
            }
        }
    }

    @Override
    public String toString() {
        return peerName;
    }
}
