package org.coordinatool.config;

import java.util.List;
import java.util.Map;

/**
 * Fills the command-line layer that {@link ConfigLoader#load} takes: each program maps its options
 * to configuration keys, and an option not given leaves its key to the file and the environment.
 */
public final class OptionOverrides {

    private OptionOverrides() {
    }

    /** Sets {@code key} to {@code value}, or leaves it unset when the option was not given (null). */
    public static void put(Map<String, List<String>> overrides, String key, String value) {
        if (value != null) {
            overrides.put(key, List.of(value));
        }
    }
}
