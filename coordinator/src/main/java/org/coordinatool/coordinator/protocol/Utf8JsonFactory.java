package org.coordinatool.coordinator.protocol;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.json.UTF8StreamJsonParser;

/**
 * A factory whose byte parsers read UTF-8 and nothing else, as jansson does on the other side
 * of the protocol and of Redis. Jackson otherwise guesses the encoding from the first bytes (a
 * byte-order mark, or NULs among the first four, select UTF-16 or UTF-32), so it would accept
 * messages in those encodings and refuse some others with a {@code CharConversionException},
 * which is no {@code JsonProcessingException}. Here such bytes are plain invalid JSON.
 */
final class Utf8JsonFactory extends JsonFactory {

    private static final long serialVersionUID = 1L;

    Utf8JsonFactory(JsonFactoryBuilder builder) {
        super(builder);
    }

    @Override
    protected JsonParser _createParser(byte[] data, int offset, int length, IOContext context) {
        context.setEncoding(JsonEncoding.UTF8);
        return new UTF8StreamJsonParser(context, _parserFeatures, null, _objectCodec,
                _byteSymbolCanonicalizer.makeChildOrPlaceholder(_factoryFeatures), data, offset, offset + length,
                false);
    }
}
