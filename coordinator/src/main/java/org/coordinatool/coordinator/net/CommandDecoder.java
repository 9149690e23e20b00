package org.coordinatool.coordinator.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.coordinatool.coordinator.protocol.Command;
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
        Command command = JsonCodec.decodeCommand(bytes, offset, length);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: received {}", peerName, loggable(command, bytes, offset, length));
        }
        out.add(command);
    }

    /** A token must never reach a log: an ehlo that may hold one is shown decoded, token redacted. */
    private static String loggable(Command command, byte[] bytes, int offset, int length) {
        if (command instanceof Command.Ehlo e && e.token() != null) {
            return e.toString();
        }
        if (command instanceof Command.Invalid invalid && "ehlo".equals(invalid.command())) {
            return "an invalid ehlo (" + invalid.error() + "), not shown as it may hold a token";
        }
        return new String(bytes, offset, length, StandardCharsets.UTF_8);
    }
}
