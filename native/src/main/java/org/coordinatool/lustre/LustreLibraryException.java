package org.coordinatool.lustre;

import java.util.List;

/** liblustreapi could not be loaded; {@link #attempts()} says what was tried and why each failed. */
public final class LustreLibraryException extends RuntimeException {

    private final List<String> attempts;

    LustreLibraryException(String message, List<String> attempts) {
        super(message);
        this.attempts = List.copyOf(attempts);
    }

    /** One "name: reason" entry per library name or path tried, in order. */
    public List<String> attempts() {
        return attempts;
    }
}
