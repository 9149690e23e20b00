package org.coordinatool.coordinator.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;
import org.coordinatool.coordinator.protocol.FrameScanner;

/**
 * Splits the protocol's byte stream, JSON objects written back to back with no delimiter, into
 * one buffer per top-level value, without parsing them.
 *
 * <p>It does what Netty's {@code JsonObjectDecoder} does, with two differences the server
 * needs: the size limit applies to the value being assembled (that decoder compares it with
 * everything buffered, so a burst of small pipelined messages can be refused as one oversized
 * object, and after an overflow it carries on from the middle of the value), and it tells whether
 * a value is partly received, which the stall timeout needs.
 *
 * <p>Whitespace between values is skipped. A value must start with '{' or '[' (an array is
 * framed too, so the protocol layer can refuse it and carry on); anything else means the stream
 * cannot be split any more: {@link CorruptedFrameException} is raised once and all further
 * input is dropped. A value longer than the limit raises {@link TooLongFrameException} and
 * likewise ends the stream, since its end cannot be found without buffering it.
 */
public final class JsonFrameDecoder extends ByteToMessageDecoder {

    private final int maxFrameBytes;

    private final FrameScanner scanner = new FrameScanner();
    /** Bytes of the value being assembled that have already been scanned. */
    private int scanned;
    private boolean broken;

    public JsonFrameDecoder(int maxFrameBytes) {
        if (maxFrameBytes < 2) {
            throw new IllegalArgumentException("maxFrameBytes must be at least 2, got " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** True while part of a value has arrived but not its end. */
    public boolean hasPartialFrame() {
        return !broken && scanner.inValue();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (broken) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.isReadable()) {
            if (!scanner.inValue() && !startValue(in)) {
                return;
            }
            int start = in.readerIndex();
            int end = in.writerIndex();
            int limit = (int) Math.min(end, (long) start + maxFrameBytes);
            int i = scan(in, start + scanned, limit);
            if (!scanner.inValue()) {
                out.add(in.retainedSlice(start, i - start));
                in.readerIndex(i);
                scanned = 0;
            } else if (i - start >= maxFrameBytes) {
                fail(in);
                throw new TooLongFrameException("message larger than " + maxFrameBytes + " bytes");
            } else {
                scanned = i - start;
                return;
            }
        }
    }

    /** Skips whitespace; true when a value starts at the reader index. */
    private boolean startValue(ByteBuf in) {
        int i = in.readerIndex();
        int end = in.writerIndex();
        while (i < end && FrameScanner.isWhitespace(in.getByte(i))) {
            i++;
        }
        in.readerIndex(i);
        if (i == end) {
            return false;
        }
        byte c = in.getByte(i);
        if (!FrameScanner.isValueStart(c)) {
            fail(in);
            throw new CorruptedFrameException("a message must start with '{', got "
                    + describe(c) + "; the stream cannot be resynchronised");
        }
        return true;
    }

    /** Feeds bytes from {@code i}; returns the index after the value's end, or {@code limit}. */
    private int scan(ByteBuf in, int i, int limit) {
        while (i < limit) {
            if (scanner.feed(in.getByte(i++))) {
                return i;
            }
        }
        return i;
    }

    private void fail(ByteBuf in) {
        broken = true;
        scanner.reset();
        in.skipBytes(in.readableBytes());
    }

    private static String describe(byte c) {
        int v = c & 0xff;
        return v >= 0x20 && v < 0x7f ? "'" + (char) v + "'" : String.format("byte 0x%02x", v);
    }
}
