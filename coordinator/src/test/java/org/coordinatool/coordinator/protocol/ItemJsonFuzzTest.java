package org.coordinatool.coordinator.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any bytes either parse as one item or are refused with an {@link InvalidContentException}; an
 * item written in any style parses back to itself, and its compact form (the one kept in Redis)
 * is stable.
 */
class ItemJsonFuzzTest {

    @FuzzTest
    void parse(byte[] json) throws InvalidContentException {
        WireItem item;
        try {
            item = ItemJson.parse(json);
        } catch (InvalidContentException e) {
            return;
        }
        for (JsonStyle style : JsonStyle.values()) {
            assertEquals(item, ItemJson.parse(ItemJson.toBytes(item, style)), style.toString());
        }
        String compact = ItemJson.toCompactJson(item);
        assertEquals(compact, ItemJson.toCompactJson(ItemJson.parse(compact)));
        assertArrayEquals(ItemJson.toBytes(item, JsonStyle.WIRE),
                ItemJson.toBytes(ItemJson.parse(compact), JsonStyle.WIRE));
    }
}
