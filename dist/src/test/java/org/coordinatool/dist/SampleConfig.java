package org.coordinatool.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.coordinatool.config.ConfigKey;

/**
 * The sample {@code coordinatool.conf}, read as paragraphs (runs of lines between blank lines):
 * explanations ({@code # text}) and settings commented out ({@code #key value}), one key per
 * paragraph.
 */
final class SampleConfig {

    static final Path FILE = Path.of("src/conf/coordinatool.conf");

    /** {@code #key value}: a setting commented out. Explanations have a space after the {@code #}. */
    private static final Pattern SETTING = Pattern.compile("^#([^\\s#]\\S*)(?:\\s+(.*))?$");

    record Setting(int line, ConfigKey key, String value) {
    }

    record Paragraph(int firstLine, List<String> comments, List<Setting> settings) {
    }

    private static Map<ConfigKey, Paragraph> paragraphs;

    private SampleConfig() {
    }

    /** The paragraph of each key documented; fails on a line that breaks the sample's form. */
    static synchronized Map<ConfigKey, Paragraph> paragraphs() {
        if (paragraphs == null) {
            try {
                paragraphs = Collections.unmodifiableMap(parse(Files.readAllLines(FILE)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return paragraphs;
    }

    /** The value of the first setting of {@code key}'s paragraph: its default, else an example. */
    static String firstValue(ConfigKey key) {
        Paragraph p = paragraphs().get(key);
        if (p == null) {
            throw new AssertionError(FILE + " does not document " + key.fileKey());
        }
        return p.settings().get(0).value();
    }

    private static Map<ConfigKey, Paragraph> parse(List<String> lines) {
        Map<ConfigKey, Paragraph> result = new EnumMap<>(ConfigKey.class);
        int start = 0;
        while (start < lines.size()) {
            int end = start;
            while (end < lines.size() && !lines.get(end).isBlank()) {
                end++;
            }
            if (end > start) {
                paragraph(start, lines.subList(start, end), result);
            }
            start = end + 1;
        }
        return result;
    }

    private static void paragraph(int first, List<String> lines, Map<ConfigKey, Paragraph> result) {
        List<String> comments = new ArrayList<>();
        List<Setting> settings = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i);
            int number = first + i + 1;
            Matcher m = SETTING.matcher(text);
            if (m.matches()) {
                ConfigKey key = ConfigKey.fromFileKey(m.group(1))
                        .orElseThrow(() -> new AssertionError(FILE + ":" + number + ": unknown key " + m.group(1)));
                if (m.group(2) == null) {
                    fail(FILE + ":" + number + ": " + key.fileKey() + " without a value");
                }
                settings.add(new Setting(number, key, m.group(2)));
            } else if (text.startsWith("# ") || text.equals("#")) {
                comments.add(text);
            } else {
                fail(FILE + ":" + number + ": the sample sets nothing, every setting is commented out: " + text);
            }
        }
        if (settings.isEmpty()) {
            return;
        }
        ConfigKey key = settings.get(0).key();
        for (Setting s : settings) {
            assertEquals(key, s.key(), FILE + ":" + s.line() + ": one key per paragraph");
        }
        Paragraph previous = result.put(key, new Paragraph(first + 1, comments, settings));
        assertEquals(null, previous, FILE + ":" + (first + 1) + ": " + key.fileKey() + " documented twice");
    }
}
