package org.coordinatool.coordinator.net;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.coordinatool.coordinator.core.ClientConnection;
import org.coordinatool.coordinator.protocol.Reply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepted socket as the coordinator sees it. Replies are queued to the channel and encoded
 * on its I/O thread, so the reply objects must not be changed after {@link #send}.
 */
final class NettyClientConnection implements ClientConnection {

    private static final Logger LOG = LoggerFactory.getLogger(NettyClientConnection.class);

    private final Channel channel;
    private final String peerName;
    private final AtomicBoolean writeFailureLogged = new AtomicBoolean();
    private final ChannelFutureListener onWritten = this::written;

    NettyClientConnection(Channel channel, String peerName) {
        this.channel = channel;
        this.peerName = peerName;
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
        channel.writeAndFlush(reply).addListener(onWritten);
    }

    /** Closes once everything queued before has been written. */
    @Override
    public void close() {
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private void written(ChannelFuture future) {
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
