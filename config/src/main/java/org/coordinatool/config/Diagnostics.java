package org.coordinatool.config;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the remarks of one load and logs each as it is made, so that a caller that set its
 * log level from {@link ConfigLoader#earlyLogLevel} sees file diagnostics filtered accordingly.
 */
final class Diagnostics {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

    /** Remarks about one value, prefixed with its origin and key. */
    interface ValueNotes {
        void warn(String detail);

        void info(String detail);
    }

    private final List<Diagnostic> collected = new ArrayList<>();

    void warn(String message) {
        collected.add(new Diagnostic(LogLevel.WARN, message));
        LOG.warn("{}", message);
    }

    void info(String message) {
        collected.add(new Diagnostic(LogLevel.INFO, message));
        LOG.info("{}", message);
    }

    ValueNotes about(Origin origin, String key) {
        String prefix = origin.describe() + ": " + key + ": ";
        return new ValueNotes() {
            @Override
            public void warn(String detail) {
                Diagnostics.this.warn(prefix + detail);
            }

            @Override
            public void info(String detail) {
                Diagnostics.this.info(prefix + detail);
            }
        };
    }

    List<Diagnostic> all() {
        return List.copyOf(collected);
    }
}
