package org.coordinatool.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.coordinatool.config.LogLevel;
import org.coordinatool.coordinator.core.RequestLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

class LoggingTest {

    private static Level effective(String logger) {
        return ((Logger) LoggerFactory.getLogger(logger)).getEffectiveLevel();
    }

    @AfterEach
    void restore() {
        Logging.apply(LogLevel.INFO);
    }

    @ParameterizedTest
    @CsvSource({"OFF, OFF, OFF", "FATAL, ERROR, ERROR", "ERROR, ERROR, ERROR", "WARN, WARN, WARN",
        "NORMAL, INFO, WARN", "INFO, INFO, INFO", "DEBUG, DEBUG, DEBUG"})
    void requestEventsNeedInfoAsInTheOriginal(LogLevel verbose, String root, String requests) {
        Logging.apply(verbose);
        assertEquals(Level.toLevel(root), effective(org.slf4j.Logger.ROOT_LOGGER_NAME));
        assertEquals(Level.toLevel(root), effective(Server.class.getName()));
        assertEquals(Level.toLevel(requests), effective(RequestLog.NAME));
    }

    @Test
    void moreVerboseShowsRequestEvents() {
        Logging.apply(LogLevel.NORMAL.shifted(1));
        assertEquals(Level.INFO, effective(RequestLog.NAME));
    }
}
