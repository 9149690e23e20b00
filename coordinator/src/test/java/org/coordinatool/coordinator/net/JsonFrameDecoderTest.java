package org.coordinatool.coordinator.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.json.JsonObjectDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonFrameDecoderTest {

    static List<String> frames(EmbeddedChannel ch, String... chunks) {
        for (String chunk : chunks) {
            ch.writeInbound(Unpooled.copiedBuffer(chunk, StandardCharsets.UTF_8));
        }
        List<String> out = new ArrayList<>();
        ByteBuf b;
        while ((b = ch.readInbound()) != null) {
            out.add(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return out;
    }

    @Test
    void splitsBackToBackObjectsAndSkipsWhitespaceBetweenThem() {
        EmbeddedChannel ch = new EmbeddedChannel(new JsonFrameDecoder(1024));
        assertEquals(List.of("{\"a\": 1}", "{\"b\": [1, {\"c\": \"}\"}]}", "[1]"),
                frames(ch, "{\"a\": 1}\n \t\r{\"b\": [1, {\"c\": \"}\"}]}  [1] "));
    }

    @Test
    void reassemblesObjectsSplitAnywhere() {
        String msg = "{\"s\": \"q\\\"{\\\\\", \"t\": {}}";
        for (int cut = 1; cut < msg.length(); cut++) {
            EmbeddedChannel ch = new EmbeddedChannel(new JsonFrameDecoder(1024));
            JsonFrameDecoder decoder = ch.pipeline().get(JsonFrameDecoder.class);
            assertEquals(List.of(), frames(ch, msg.substring(0, cut)));
            assertTrue(decoder.hasPartialFrame() || msg.substring(0, cut).isBlank());
            assertEquals(List.of(msg), frames(ch, msg.substring(cut)), "cut at " + cut);
            assertFalse(decoder.hasPartialFrame());
        }
    }

    @Test
    void aStringEndingInAnEscapedBackslashEndsThere() {
        String first = "{\"id\": \"a\\\\\"}";
        String second = "{\"command\": \"status\"}";
        EmbeddedChannel ours = new EmbeddedChannel(new JsonFrameDecoder(1024));
        assertEquals(List.of(first, second), frames(ours, first + second));
    }

    @Test
    void aValueOfExactlyTheLimitPassesOneByteMoreDoesNot() {
        String exact = "{\"p\": \"" + "x".repeat(1024 - 9) + "\"}";
        assertEquals(1024, exact.length());
        EmbeddedChannel ch = new EmbeddedChannel(new JsonFrameDecoder(1024));
        assertEquals(List.of(exact), frames(ch, exact));
        String over = "{\"p\": \"" + "x".repeat(1024 - 8) + "\"}";
        assertThrows(TooLongFrameException.class, () -> frames(ch, over.substring(0, 600), over.substring(600)));
        assertEquals(List.of(), frames(ch, "{\"a\": 1}"), "nothing is framed after the stream broke");
    }

    @Test
    void theLimitAppliesPerValueNotToWhatIsBuffered() {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            many.append("{\"n\": ").append(i).append('}');
        }
        EmbeddedChannel ch = new EmbeddedChannel(new JsonFrameDecoder(64));
        assertEquals(100, frames(ch, many.toString()).size());
        // Netty's JsonObjectDecoder compares its limit with everything buffered, so a burst of
        // small pipelined messages is refused as one oversized object.
        EmbeddedChannel netty = new EmbeddedChannel(new JsonObjectDecoder(64));
        assertThrows(TooLongFrameException.class, () -> frames(netty, many.toString()));
    }

    @Test
    void aStrayByteBreaksTheStream() {
        EmbeddedChannel ch = new EmbeddedChannel(new JsonFrameDecoder(1024));
        CorruptedFrameException e = assertThrows(CorruptedFrameException.class, () -> frames(ch, "{} x{}"));
        assertTrue(e.getMessage().startsWith("a message must start with '{', got 'x'"), e.getMessage());
        ByteBuf before = ch.readInbound();
        assertEquals("{}", before.toString(StandardCharsets.UTF_8), "the object before the stray byte is delivered");
        before.release();
        assertNull(ch.readInbound());
    }
}
