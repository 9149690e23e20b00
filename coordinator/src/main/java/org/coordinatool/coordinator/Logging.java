package org.coordinatool.coordinator;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.coordinatool.config.LogLevel;
import org.coordinatool.coordinator.core.RequestLog;
import org.slf4j.LoggerFactory;

/**
 * Applies the project's log level to logback. Logback has fewer levels: {@code fatal} maps to
 * ERROR and {@code normal} and {@code info} both to INFO, except for request events
 * ({@link RequestLog}), which the original logs at {@code info}: at {@code normal} only their
 * warnings (failures, cancels of unknown requests) show.
 */
public final class Logging {

    private Logging() {
    }

    public static void apply(LogLevel level) {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(toLogback(level));
        Logger requests = (Logger) LoggerFactory.getLogger(RequestLog.NAME);
        requests.setLevel(level == LogLevel.NORMAL ? Level.WARN : toLogback(level));
    }

    static Level toLogback(LogLevel level) {
        return switch (level) {
            case OFF -> Level.OFF;
            case FATAL, ERROR -> Level.ERROR;
            case WARN -> Level.WARN;
            case NORMAL, INFO -> Level.INFO;
            case DEBUG -> Level.DEBUG;
        };
    }
}
