package org.coordinatool.hsm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/**
 * Any byte string given to the HAL decoder either decodes or is refused with a
 * {@link HalFormatException}; what decodes encodes back to a HAL that decodes to the same list.
 */
class HalCodecFuzzTest {

    private static final HalCodec CODEC = HalCodec.hostOrder();

    @FuzzTest
    void decode(byte[] message) {
        // Behind a prefix, so that a decoder reading from the array's start instead of the buffer's would show.
        ByteBuffer buffer = ByteBuffer.allocate(message.length + 3).position(3).slice().put(message).flip();
        HsmActionList hal;
        try {
            hal = CODEC.decode(buffer);
        } catch (HalFormatException e) {
            assertTrue(e.offset() >= 0 && e.offset() <= message.length, e::getMessage);
            return;
        }
        assertEquals(0, buffer.position(), "decode must not move the buffer");
        byte[] encoded = CODEC.encode(hal);
        assertEquals(HalCodec.halSize(hal), encoded.length);
        // Every item lay inside the message; only the last one's padding may lie beyond it.
        assertTrue(encoded.length <= HalCodec.roundUp8(message.length),
                () -> encoded.length + "-byte encoding of a " + message.length + "-byte message");
        assertEquals(hal, CODEC.decode(encoded));
        assertArrayEquals(encoded, CODEC.encode(CODEC.decode(encoded)));
    }
}
