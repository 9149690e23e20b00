package org.coordinatool.coordinator.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any message either decodes as a server reply or is refused with an
 * {@link InvalidContentException}; a decoded reply written by the server reads back to a reply
 * the server writes identically.
 */
class JsonCodecReplyFuzzTest {

    @FuzzTest
    void decode(byte[] message) throws InvalidContentException {
        Reply reply;
        try {
            reply = JsonCodec.decodeReply(message);
        } catch (InvalidContentException e) {
            return;
        }
        byte[] written = JsonCodec.encodeReply(reply);
        assertArrayEquals(written, JsonCodec.encodeReply(JsonCodec.decodeReply(written)));
    }
}
