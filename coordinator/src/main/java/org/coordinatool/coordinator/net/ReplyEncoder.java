package org.coordinatool.coordinator.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.coordinatool.coordinator.protocol.JsonCodec;
import org.coordinatool.coordinator.protocol.Reply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes a {@code Reply} in the original server's layout, on the connection's I/O thread. */
final class ReplyEncoder extends MessageToByteEncoder<Reply> {

    private static final Logger LOG = LoggerFactory.getLogger(ReplyEncoder.class);

    private final String peerName;

    ReplyEncoder(String peerName) {
        super(Reply.class);
        this.peerName = peerName;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Reply reply, ByteBuf out) throws IOException {
        int start = out.writerIndex();
        JsonCodec.encodeReply(reply, new ByteBufOutputStream(out));
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: sent {}", peerName, out.toString(start, out.writerIndex() - start, StandardCharsets.UTF_8));
        }
    }
}
