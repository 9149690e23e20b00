package org.coordinatool.coordinator.protocol;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The two JSON layouts the project writes. {@link #WIRE} reproduces the original server's output
 * (", " between members and elements, ": " after keys, no newline) so peers that compare bytes or
 * log messages see the same text; {@link #COMPACT} has no spaces at all and is the Redis value
 * format; {@link #PRETTY} is for people: one member or element per line, indented by two spaces,
 * as the original client prints replies. Readers accept any valid spacing.
 */
public enum JsonStyle {
    WIRE,
    COMPACT,
    PRETTY;

    private static final DefaultPrettyPrinter PRETTY_TEMPLATE = new DefaultPrettyPrinter(
            Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEntrySpacing(Separators.Spacing.NONE)
                    .withArrayValueSpacing(Separators.Spacing.NONE)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator("")
                    .withRootSeparator(""))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));

    /** Shared, thread-safe factory; limits are generous because frames are bounded upstream. */
    static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNestingDepth(256)
                    .build())
            .build()
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);

    /** A UTF-8 generator in this style; closing it flushes but leaves {@code out} open. */
    public JsonGenerator generator(OutputStream out) throws IOException {
        JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8);
        if (this == WIRE) {
            g.setPrettyPrinter(WireSpacing.INSTANCE);
        } else if (this == PRETTY) {
            g.setPrettyPrinter(new DefaultPrettyPrinter(PRETTY_TEMPLATE));
        }
        return g;
    }

    /** A parser over a byte range holding UTF-8 JSON. */
    public static JsonParser parser(byte[] data, int offset, int length) throws IOException {
        return FACTORY.createParser(data, offset, length);
    }

    /** jansson's default dump layout: separators followed by one space, no indentation. */
    private static final class WireSpacing implements PrettyPrinter {
        static final WireSpacing INSTANCE = new WireSpacing();

        @Override
        public void writeRootValueSeparator(JsonGenerator g) {
        }

        @Override
        public void writeStartObject(JsonGenerator g) throws IOException {
            g.writeRaw('{');
        }

        @Override
        public void writeEndObject(JsonGenerator g, int nrOfEntries) throws IOException {
            g.writeRaw('}');
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeStartArray(JsonGenerator g) throws IOException {
            g.writeRaw('[');
        }

        @Override
        public void writeEndArray(JsonGenerator g, int nrOfValues) throws IOException {
            g.writeRaw(']');
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }

        @Override
        public void beforeArrayValues(JsonGenerator g) {
        }

        @Override
        public void beforeObjectEntries(JsonGenerator g) {
        }
    }
}
