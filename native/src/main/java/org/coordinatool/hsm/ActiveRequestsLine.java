package org.coordinatool.hsm;

import java.util.Objects;

/**
 * What one line of an {@code active_requests} listing turned out to be. Line numbers start at 1.
 * A malformed line does not stop the parse, so callers can report it and keep the others.
 */
public sealed interface ActiveRequestsLine {

    int lineNumber();

    record Parsed(int lineNumber, ActiveRequest request) implements ActiveRequestsLine {
        public Parsed {
            Objects.requireNonNull(request, "request");
        }
    }

    record Skipped(int lineNumber, SkipReason reason) implements ActiveRequestsLine {
        public Skipped {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** {@code text} is the offending line (cut short when it was over-long). */
    record Malformed(int lineNumber, String text, String error) implements ActiveRequestsLine {
        public Malformed {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(error, "error");
        }

        /** "line N: what is wrong", ready for a diagnostic. */
        public String describe() {
            return "line " + lineNumber + ": " + error;
        }
    }

    enum SkipReason {
        /** The {@code mdt.<fsname>-MDTxxxx.hsm.active_requests=} line {@code lctl get_param} prints. */
        HEADER,
        /** Empty or whitespace only. */
        BLANK
    }
}
