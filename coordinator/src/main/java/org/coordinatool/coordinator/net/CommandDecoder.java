package org.coordinatool.coordinator.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.coordinatool.coordinator.protocol.JsonCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns one framed JSON value into a {@code Command}, on the connection's I/O thread. */
final class CommandDecoder extends MessageToMessageDecoder<ByteBuf> {

    private static final Logger LOG = LoggerFactory.getLogger(CommandDecoder.class);

    private final String peerName;

    CommandDecoder(String peerName) {
        this.peerName = peerName;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        int length = frame.readableBytes();
        byte[] bytes;
        int offset;
        if (frame.hasArray()) {
            bytes = frame.array();
            offset = frame.arrayOffset() + frame.readerIndex();
        } else {
            bytes = ByteBufUtil.getBytes(frame);
            offset = 0;
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: received {}", peerName, new String(bytes, offset, length, StandardCharsets.UTF_8));
        }
        out.add(JsonCodec.decodeCommand(bytes, offset, length));
    }
}
