package org.coordinatool.coordinator;

import ch.qos.logback.core.PropertyDefinerBase;

/**
 * The layout of log lines (logback's {@code LOG_PATTERN}): level, logger and message, one event
 * per line, preceded by the date and time to the millisecond unless standard error goes to the
 * journal, which stamps every line itself.
 */
public final class LogPattern extends PropertyDefinerBase {

    static final String JOURNAL = "%-5level %logger{0}: %msg%n";
    static final String TIMESTAMPED = "%d{yyyy-MM-dd HH:mm:ss.SSS} " + JOURNAL;

    @Override
    public String getPropertyValue() {
        return JournalStream.isStderr(System.getenv()) ? JOURNAL : TIMESTAMPED;
    }
}
