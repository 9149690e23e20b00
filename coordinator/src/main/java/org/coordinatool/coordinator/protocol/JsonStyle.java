package org.coordinatool.coordinator.protocol;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

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

    /** jansson's default dump layout: separators followed by one space, no indentation. */
    private static final DefaultPrettyPrinter WIRE_TEMPLATE = printer(Separators.Spacing.AFTER,
            new DefaultPrettyPrinter.NopIndenter());
    private static final DefaultPrettyPrinter PRETTY_TEMPLATE = printer(Separators.Spacing.NONE,
            new DefaultIndenter("  ", "\n"));

    /** ": " after keys, "{}" and "[]" when empty, nothing between top-level values. */
    private static DefaultPrettyPrinter printer(Separators.Spacing afterComma,
                                                DefaultPrettyPrinter.Indenter indenter) {
        return new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEntrySpacing(afterComma)
                .withArrayValueSpacing(afterComma)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator("")
                .withRootSeparator(""))
                .withObjectIndenter(indenter)
                .withArrayIndenter(indenter);
    }

    /** Shared, thread-safe factory; limits are generous because frames are bounded upstream. */
    static final JsonFactory FACTORY = new Utf8JsonFactory(new JsonFactoryBuilder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNestingDepth(256)
                    .build()))
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);

    /** Per thread and style, the generator {@link #toBytes} reuses; null until first needed. */
    private static final ThreadLocal<Encoder[]> ENCODERS =
            ThreadLocal.withInitial(() -> new Encoder[values().length]);

    /** Writes one JSON value with a generator given to it. */
    @FunctionalInterface
    public interface ValueWriter {
        void write(JsonGenerator g) throws IOException;
    }

    /**
     * The bytes of one value written in this style. Each thread keeps a generator per style over
     * a reusable buffer, so a call allocates little more than its result: the state loop encodes
     * every request it persists, and a re-synchronisation encodes all of them.
     */
    public byte[] toBytes(ValueWriter writer) {
        Encoder[] encoders = ENCODERS.get();
        Encoder e = encoders[ordinal()];
        if (e == null || e.busy) {
            // A writer that encodes another value from inside its own gets a generator of its own.
            Encoder fresh = new Encoder(this);
            if (e == null) {
                encoders[ordinal()] = fresh;
            }
            e = fresh;
        }
        e.busy = true;
        boolean written = false;
        try {
            writer.write(e.generator);
            e.generator.flush();
            written = true;
            return e.out.toByteArray();
        } catch (IOException failure) {
            throw new UncheckedIOException("writing JSON to memory", failure);
        } finally {
            e.busy = false;
            e.out.reset();
            if (!written && encoders[ordinal()] == e) {
                // The generator may have stopped inside a value: it is not used again.
                encoders[ordinal()] = null;
            }
        }
    }

    /** A generator that writes value after value into one buffer, with nothing in between. */
    private static final class Encoder {
        final ByteArrayBuilder out = new ByteArrayBuilder();
        final JsonGenerator generator;
        boolean busy;

        Encoder(JsonStyle style) {
            try {
                generator = style.generator(out);
            } catch (IOException e) {
                throw new UncheckedIOException("creating a JSON generator over memory", e);
            }
            // Only the compact style has no printer to decide what separates top-level values.
            generator.setRootValueSeparator(null);
        }
    }

    /** A UTF-8 generator in this style; closing it flushes but leaves {@code out} open. */
    public JsonGenerator generator(OutputStream out) throws IOException {
        JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8);
        if (this != COMPACT) {
            // A printer keeps the nesting depth: one per generator.
            g.setPrettyPrinter(new DefaultPrettyPrinter(this == WIRE ? WIRE_TEMPLATE : PRETTY_TEMPLATE));
        }
        return g;
    }

    /** A parser over a byte range holding UTF-8 JSON. */
    public static JsonParser parser(byte[] data, int offset, int length) throws IOException {
        return FACTORY.createParser(data, offset, length);
    }
}
