package org.coordinatool.coordinator.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonStyleTest {

    @Test
    void eachValueComesAloneInEveryStyle() {
        assertEquals("{\"a\":1}", text(JsonStyle.COMPACT, 1));
        assertEquals("{\"a\":2}", text(JsonStyle.COMPACT, 2));
        assertEquals("{\"a\": 1}", text(JsonStyle.WIRE, 1));
        assertEquals("{\"a\": 2}", text(JsonStyle.WIRE, 2));
        assertEquals("{\n  \"a\": 1\n}", text(JsonStyle.PRETTY, 1));
        assertEquals("{\n  \"a\": 2\n}", text(JsonStyle.PRETTY, 2));
    }

    @Test
    void aWriterFailingHalfwayLeavesNothingForTheNextValue() {
        RuntimeException boom = new IllegalStateException("boom");
        assertEquals(boom, assertThrows(IllegalStateException.class,
                () -> JsonStyle.COMPACT.toBytes(g -> {
                    g.writeStartObject();
                    g.writeFieldName("half");
                    throw boom;
                })));
        UncheckedIOException io = assertThrows(UncheckedIOException.class,
                () -> JsonStyle.COMPACT.toBytes(g -> {
                    g.writeStartArray();
                    throw new IOException("disk full");
                }));
        assertEquals("disk full", io.getCause().getMessage());
        assertEquals("{\"a\":3}", text(JsonStyle.COMPACT, 3));
    }

    @Test
    void aValueMayBeEncodedWhileAnotherIsBeingWritten() {
        byte[] outer = JsonStyle.COMPACT.toBytes(g -> {
            g.writeStartObject();
            g.writeStringField("inner", text(JsonStyle.COMPACT, 4));
            g.writeEndObject();
        });
        assertEquals("{\"inner\":\"{\\\"a\\\":4}\"}", new String(outer, StandardCharsets.UTF_8));
        assertEquals("{\"a\":5}", text(JsonStyle.COMPACT, 5));
    }

    private static String text(JsonStyle style, int value) {
        return new String(style.toBytes(g -> {
            g.writeStartObject();
            g.writeNumberField("a", value);
            g.writeEndObject();
        }), StandardCharsets.UTF_8);
    }
}
