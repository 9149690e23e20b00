package org.coordinatool.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogLevelTest {

    @ParameterizedTest
    @CsvSource({"off,0", "fatal,1", "error,2", "warn,3", "normal,4", "info,5", "debug,6"})
    void namesMapToWireValues(String name, int value) {
        LogLevel level = LogLevel.fromName(name).orElseThrow();
        assertEquals(value, level.value());
        assertEquals(name, level.configName());
        assertEquals(level, LogLevel.fromValue(value));
    }

    @Test
    void namesAreCaseInsensitive() {
        assertEquals(Optional.of(LogLevel.DEBUG), LogLevel.fromName("DeBuG"));
        assertEquals(Optional.of(LogLevel.WARN), LogLevel.fromName("WARN"));
    }

    @Test
    void unknownNamesAreRejected() {
        assertEquals(Optional.empty(), LogLevel.fromName("warning"));
        assertEquals(Optional.empty(), LogLevel.fromName("4"));
        assertEquals(Optional.empty(), LogLevel.fromName(""));
    }

    @Test
    void valuesOutsideTheScaleAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> LogLevel.fromValue(-1));
        assertThrows(IllegalArgumentException.class, () -> LogLevel.fromValue(7));
    }

    @Test
    void shiftingClampsToTheScale() {
        assertEquals(LogLevel.DEBUG, LogLevel.NORMAL.shifted(2));
        assertEquals(LogLevel.DEBUG, LogLevel.NORMAL.shifted(5));
        assertEquals(LogLevel.WARN, LogLevel.NORMAL.shifted(-1));
        assertEquals(LogLevel.OFF, LogLevel.NORMAL.shifted(Integer.MIN_VALUE));
        assertEquals(LogLevel.DEBUG, LogLevel.DEBUG.shifted(Integer.MAX_VALUE));
    }
}
