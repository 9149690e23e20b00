package org.coordinatool.config;

import java.util.Optional;

/**
 * Syntax of one key's value: turns the raw text into the value stored in the typesafe
 * {@code Config} (String, Long, List or Map).
 */
interface ValueType {

    /**
     * @return the converted value, or empty when the value is accepted but deliberately dropped
     *         (the reason is reported through {@code notes})
     */
    Optional<Object> convert(String raw, Diagnostics.ValueNotes notes) throws InvalidValueException;

    /**
     * Whether an empty value means something (e.g. an empty Redis host disables Redis). For the
     * other keys an empty environment variable counts as unset and an empty option is an error.
     */
    default boolean acceptsEmpty() {
        return false;
    }
}
