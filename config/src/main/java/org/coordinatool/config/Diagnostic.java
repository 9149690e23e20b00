package org.coordinatool.config;

import java.util.Objects;

/** A non-fatal remark made while loading the configuration ({@link LogLevel#WARN} or {@link LogLevel#INFO}). */
public record Diagnostic(LogLevel level, String message) {
    public Diagnostic {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(message, "message");
    }
}
