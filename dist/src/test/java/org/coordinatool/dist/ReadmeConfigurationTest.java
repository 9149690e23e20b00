package org.coordinatool.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.coordinatool.config.ConfigKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's configuration table lists every {@link ConfigKey} once, with the built-in default,
 * variables that really set the key and options the programs really take.
 */
class ReadmeConfigurationTest {

    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    record Row(String variables, String options, String defaultValue) {
    }

    static Map<ConfigKey, Row> rows;

    @TempDir
    Path scratch;

    @BeforeAll
    static void readTable() throws Exception {
        rows = new EnumMap<>(ConfigKey.class);
        for (String line : Readme.section("## Configuration")) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.split("\\s*\\|\\s*");
            String name = cells[1].replace("`", "");
            ConfigKey key = ConfigKey.fromFileKey(name)
                    .orElseThrow(() -> new AssertionError(Readme.FILE + ": unknown key " + name));
            assertEquals(null, rows.put(key, new Row(cells[2], cells[3], cells[4])), name + " listed twice");
        }
    }

    @Test
    void everyKeyIsListed() {
        List<String> missing = new ArrayList<>();
        for (ConfigKey key : ConfigKey.values()) {
            if (!rows.containsKey(key)) {
                missing.add(key.fileKey());
            }
        }
        assertEquals(List.of(), missing, Readme.FILE + "'s configuration table lacks these keys");
    }

    @Test
    void defaultsAreTheBuiltInOnes() throws Exception {
        for (Map.Entry<ConfigKey, Row> row : rows.entrySet()) {
            ConfigKey key = row.getKey();
            String cell = row.getValue().defaultValue();
            if (ConfigFacts.hasStatedDefault(key)) {
                Matcher m = CODE.matcher(cell);
                assertTrue(m.matches(), key.fileKey() + ": the default should be one `value`: " + cell);
                assertEquals(ConfigFacts.defaultValue(key), ConfigFacts.fileValue(key, m.group(1), scratch),
                        key.fileKey() + ": " + cell + " is not the built-in default");
            } else {
                assertTrue(cell.startsWith("none"), key.fileKey() + " has no default value: " + cell);
            }
        }
    }

    @Test
    void variablesSetTheirKeys() throws Exception {
        int checked = 0;
        for (Map.Entry<ConfigKey, Row> row : rows.entrySet()) {
            Matcher m = CODE.matcher(row.getValue().variables());
            while (m.find()) {
                ConfigFacts.assertVariableSets(m.group(1), row.getKey(), SampleConfig.firstValue(row.getKey()), scratch);
                checked++;
            }
        }
        assertTrue(checked >= 10, "variables listed: " + checked);
    }

    @Test
    void optionsExist() {
        for (Map.Entry<ConfigKey, Row> row : rows.entrySet()) {
            Matcher m = CODE.matcher(row.getValue().options());
            while (m.find()) {
                assertTrue(ConfigFacts.optionExists(row.getKey(), m.group(1)),
                        row.getKey().fileKey() + ": no program reading it takes " + m.group(1));
            }
        }
    }
}
