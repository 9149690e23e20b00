package org.coordinatool.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Any file content either splits into {@code key value} lines or, when it is not UTF-8, is refused
 * with a {@link ConfigException}; each line kept is one of the file's lines, with a key that is a
 * single word not starting with {@code #} and a value without surrounding spaces.
 */
class ConfigFileParserFuzzTest {

    private static final Path FILE = Path.of("fuzz.conf");

    @FuzzTest
    void parse(byte[] content) {
        List<ConfigFileParser.Line> lines;
        try {
            lines = ConfigFileParser.parse(FILE, content, new Diagnostics());
        } catch (ConfigException e) {
            assertTrue(e.getMessage().startsWith(FILE + ":") && e.getMessage().endsWith(": not valid UTF-8"),
                    e::getMessage);
            return;
        }
        String[] fileLines = new String(content, StandardCharsets.UTF_8).split("\n", -1);
        int previous = 0;
        for (ConfigFileParser.Line line : lines) {
            assertTrue(line.number() > previous && line.number() <= fileLines.length, line::toString);
            previous = line.number();
            String key = line.key();
            String value = line.value();
            assertFalse(key.isEmpty() || key.startsWith("#"), line::toString);
            assertEquals(key.length(), CText.skipWord(key, 0), line::toString);
            assertFalse(value.isEmpty(), line::toString);
            assertFalse(CText.isSpace(value.charAt(0)) || CText.isSpace(value.charAt(value.length() - 1)),
                    line::toString);
            String text = fileLines[line.number() - 1];
            int keyAt = CText.skipSpaces(text, 0);
            assertTrue(text.startsWith(key, keyAt), line::toString);
            int valueAt = CText.skipSpaces(text, keyAt + key.length());
            assertTrue(text.startsWith(value, valueAt), line::toString);
            assertEquals(text.length(), CText.skipSpaces(text, valueAt + value.length()), line::toString);
        }
    }
}
