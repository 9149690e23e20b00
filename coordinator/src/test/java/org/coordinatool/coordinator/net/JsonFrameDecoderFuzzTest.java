package org.coordinatool.coordinator.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.coordinatool.coordinator.protocol.FrameScanner;

/**
 * Any byte stream is cut into the same frames however it arrives: all at once or in pieces. Each
 * frame is one complete top-level value, the frames and the whitespace between them make up the
 * stream read so far, and the stream ends in nothing worse than the two documented refusals.
 */
class JsonFrameDecoderFuzzTest {

    /** Small enough for the fuzzer to reach. */
    private static final int MAX_FRAME_BYTES = 64;

    /** What a decoder made of a stream: its frames, then the refusal that ended it if any. */
    private record Outcome(List<String> frames, Class<? extends Exception> refusal, boolean partial) {
    }

    /** The first byte sets the size of the pieces the rest arrives in. */
    @FuzzTest
    void frames(byte[] input) {
        if (input.length == 0) {
            return;
        }
        byte[] stream = Arrays.copyOfRange(input, 1, input.length);
        Outcome whole = decode(stream, Math.max(stream.length, 1));
        Outcome pieces = decode(stream, 1 + (input[0] & 0x0f));
        assertEquals(whole, pieces);

        int at = 0;
        for (String hex : whole.frames()) {
            byte[] frame = ByteBufUtil.decodeHexDump(hex);
            assertTrue(frame.length <= MAX_FRAME_BYTES);
            while (FrameScanner.isWhitespace(stream[at])) {
                at++;
            }
            assertEquals(hex, ByteBufUtil.hexDump(stream, at, frame.length), "frames are the stream's values");
            at += frame.length;
            FrameScanner scanner = new FrameScanner();
            assertTrue(FrameScanner.isValueStart(frame[0]));
            for (int i = 0; i < frame.length; i++) {
                assertEquals(i == frame.length - 1, scanner.feed(frame[i]), "a frame ends with its value");
            }
        }
        if (whole.refusal() == null && !whole.partial()) {
            for (int i = at; i < stream.length; i++) {
                assertTrue(FrameScanner.isWhitespace(stream[i]), "only whitespace may follow the last frame");
            }
        }
    }

    private static Outcome decode(byte[] stream, int pieceSize) {
        EmbeddedChannel channel = new EmbeddedChannel(new JsonFrameDecoder(MAX_FRAME_BYTES));
        JsonFrameDecoder decoder = channel.pipeline().get(JsonFrameDecoder.class);
        List<String> frames = new ArrayList<>();
        Class<? extends Exception> refusal = null;
        for (int at = 0; at < stream.length; at += pieceSize) {
            int end = Math.min(stream.length, at + pieceSize);
            try {
                channel.writeInbound(Unpooled.wrappedBuffer(stream, at, end - at));
            } catch (CorruptedFrameException | TooLongFrameException e) {
                assertNull(refusal, "a stream is refused once");
                refusal = e.getClass();
            }
            ByteBuf frame;
            while ((frame = channel.readInbound()) != null) {
                frames.add(ByteBufUtil.hexDump(frame));
                frame.release();
            }
        }
        boolean partial = decoder.hasPartialFrame();
        if (refusal != null) {
            assertFalse(partial);
        }
        channel.finishAndReleaseAll();
        return new Outcome(frames, refusal, partial);
    }
}
