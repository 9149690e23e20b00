package org.coordinatool.dist;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.coordinatool.config.ConfigKey;
import org.coordinatool.config.ConfigLoader;
import org.coordinatool.config.LoadedConfig;
import org.coordinatool.config.Side;
import org.coordinatool.dist.SampleConfig.Paragraph;
import org.coordinatool.dist.SampleConfig.Setting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample {@code coordinatool.conf} documents every {@link ConfigKey}, each in its own
 * paragraph: comment lines, then its default as a commented-out line ({@code #key default}, read
 * back by the real loader and compared with the built-in default) or, for a key without one, a
 * {@code # Default:} line; then examples, which the loader must accept. Installed as it is, the
 * sample changes nothing.
 */
class SampleConfigTest {

    private static final Path SAMPLE = SampleConfig.FILE;
    private static final Pattern VARIABLE = Pattern.compile("^# Environment: (COORDINATOOL_[A-Z_]+)\\b");

    @TempDir
    Path scratch;

    @Test
    void everyKeyIsDocumented() {
        List<String> missing = new ArrayList<>();
        for (ConfigKey key : ConfigKey.values()) {
            if (!SampleConfig.paragraphs().containsKey(key)) {
                missing.add(key.fileKey());
            }
        }
        assertEquals(List.of(), missing, SAMPLE + " does not document these keys");
    }

    @Test
    void eachDefaultIsTheBuiltInOne() throws Exception {
        for (Map.Entry<ConfigKey, Paragraph> entry : SampleConfig.paragraphs().entrySet()) {
            ConfigKey key = entry.getKey();
            Paragraph p = entry.getValue();
            boolean statesNone = p.comments().stream().anyMatch(c -> c.startsWith("# Default: "));
            if (ConfigFacts.hasStatedDefault(key)) {
                assertFalse(statesNone, SAMPLE + ":" + p.firstLine() + ": " + key.fileKey() + " has a default value");
                Setting first = p.settings().get(0);
                assertEquals(ConfigFacts.defaultValue(key), ConfigFacts.fileValue(key, first.value(), scratch),
                        SAMPLE + ":" + first.line() + ": " + key.fileKey() + " " + first.value()
                                + " is not the built-in default");
            } else {
                assertTrue(statesNone, SAMPLE + ":" + p.firstLine() + ": " + key.fileKey()
                        + " has no default value: say what applies in a '# Default: ' line");
            }
        }
    }

    @Test
    void everyExampleIsValid() {
        SampleConfig.paragraphs().values().forEach(p -> p.settings().forEach(s -> assertDoesNotThrow(
                () -> ConfigFacts.fileValue(s.key(), s.value(), scratch), SAMPLE + ":" + s.line())));
    }

    @Test
    void theNamedVariablesSetTheirKeys() throws Exception {
        int named = 0;
        for (Map.Entry<ConfigKey, Paragraph> entry : SampleConfig.paragraphs().entrySet()) {
            for (String comment : entry.getValue().comments()) {
                Matcher m = VARIABLE.matcher(comment);
                if (m.find()) {
                    ConfigFacts.assertVariableSets(m.group(1), entry.getKey(), entry.getValue().settings().get(0).value(),
                            scratch);
                    named++;
                }
            }
        }
        assertTrue(named >= 10, "the sample names the variables of the keys that have one");
    }

    @Test
    void installedAsItIsTheSampleChangesNothing() throws Exception {
        for (Side side : Side.values()) {
            LoadedConfig loaded = new ConfigLoader(SAMPLE, () -> "mover0.example").load(side, SAMPLE, Map.of(),
                    Map.of());
            assertEquals(List.of(), loaded.diagnostics(), side + " reading " + SAMPLE);
            for (ConfigKey key : ConfigKey.values()) {
                if (key.appliesTo(side) && loaded.config().hasPath(key.path())) {
                    assertFalse(loaded.config().getValue(key.path()).origin().description().contains(SAMPLE.toString()),
                            key.fileKey());
                }
            }
        }
    }
}
