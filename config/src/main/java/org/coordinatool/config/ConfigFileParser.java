package org.coordinatool.config;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Splits a configuration file into {@code key value} lines. The key is the first word; the value
 * is the rest of the line without its surrounding whitespace, inner spaces kept. Indentation is
 * irrelevant (the original server mis-trimmed indented lines). Blank lines and lines whose first
 * word starts with {@code #} are skipped; there are no end-of-line comments.
 */
final class ConfigFileParser {

    /** One meaningful line: its 1-based number, its key as written and its non-empty value. */
    record Line(int number, String key, String value) {
    }

    private ConfigFileParser() {
    }

    static List<Line> parse(Path file, byte[] content, Diagnostics diagnostics) throws ConfigException {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        List<Line> lines = new ArrayList<>();
        int number = 0;
        int start = 0;
        while (start < content.length) {
            int end = start;
            while (end < content.length && content[end] != '\n') {
                end++;
            }
            number++;
            String text;
            try {
                text = utf8.decode(ByteBuffer.wrap(content, start, end - start)).toString();
            } catch (CharacterCodingException e) {
                throw new ConfigException(file + ":" + number + ": not valid UTF-8", e);
            }
            parseLine(new Origin.FileLine(file, number), text, diagnostics).ifPresent(lines::add);
            start = end + 1;
        }
        return lines;
    }

    private static Optional<Line> parseLine(Origin.FileLine origin, String text, Diagnostics diagnostics) {
        int keyStart = CText.skipSpaces(text, 0);
        if (keyStart == text.length()) {
            return Optional.empty();
        }
        int keyEnd = CText.skipWord(text, keyStart);
        String key = text.substring(keyStart, keyEnd);
        if (key.startsWith("#")) {
            return Optional.empty();
        }
        String value = CText.stripTrailing(text.substring(CText.skipSpaces(text, keyEnd)));
        if (value.isEmpty()) {
            diagnostics.warn(origin.describe() + ": " + key + ": no value, line ignored");
            return Optional.empty();
        }
        return Optional.of(new Line(origin.line(), key, value));
    }
}
