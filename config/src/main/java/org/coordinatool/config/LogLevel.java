package org.coordinatool.config;

import java.util.Locale;
import java.util.Optional;

/**
 * Log levels of coordinatool, in increasing verbosity. The numeric values travel on the wire
 * (the {@code verbose} member of a {@code status} request), so they must stay 0..6 in this order.
 */
public enum LogLevel {
    OFF(0),
    FATAL(1),
    ERROR(2),
    WARN(3),
    NORMAL(4),
    INFO(5),
    DEBUG(6);

    private static final LogLevel[] BY_VALUE = values();

    private final int value;
    private final String configName;

    LogLevel(int value) {
        this.value = value;
        this.configName = name().toLowerCase(Locale.ROOT);
    }

    /** Numeric value as used on the wire. */
    public int value() {
        return value;
    }

    /** Spelling used in the configuration file and environment. */
    public String configName() {
        return configName;
    }

    /** Parses a configuration spelling, case-insensitively. */
    public static Optional<LogLevel> fromName(String name) {
        for (LogLevel level : BY_VALUE) {
            if (level.configName.equalsIgnoreCase(name)) {
                return Optional.of(level);
            }
        }
        return Optional.empty();
    }

    /** @throws IllegalArgumentException if {@code value} is outside 0..6 */
    public static LogLevel fromValue(int value) {
        if (value < 0 || value >= BY_VALUE.length) {
            throw new IllegalArgumentException("log level " + value + " out of range 0.."
                    + (BY_VALUE.length - 1));
        }
        return BY_VALUE[value];
    }

    /**
     * The level {@code steps} positions more verbose (negative: quieter), clamped to
     * {@link #OFF}..{@link #DEBUG}, as repeated {@code -v}/{@code -q} options do.
     */
    public LogLevel shifted(int steps) {
        long target = (long) value + steps;
        return BY_VALUE[(int) Math.max(0, Math.min(BY_VALUE.length - 1, target))];
    }

    /** All spellings, for error messages. */
    static String allNames() {
        StringBuilder names = new StringBuilder();
        for (LogLevel level : BY_VALUE) {
            if (names.length() > 0) {
                names.append(", ");
            }
            names.append(level.configName);
        }
        return names.toString();
    }
}
