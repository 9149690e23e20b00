package org.coordinatool.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionOverridesTest {

    @Test
    void anOptionGivenSetsItsKeyAndOneNotGivenLeavesItUnset() {
        Map<String, List<String>> overrides = new LinkedHashMap<>();
        OptionOverrides.put(overrides, "host", "mds1");
        OptionOverrides.put(overrides, "port", null);
        assertEquals(Map.of("host", List.of("mds1")), overrides);
    }
}
