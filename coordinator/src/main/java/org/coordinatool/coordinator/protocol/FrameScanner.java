package org.coordinatool.coordinator.protocol;

/**
 * Finds where each top-level JSON value ends in the protocol's stream, where values follow each
 * other with no delimiter, without parsing them: it tracks nesting outside strings and escapes
 * inside them, which is all that is needed to tell a closing brace from one inside a string.
 */
public final class FrameScanner {

    private int depth;
    private boolean inString;
    private boolean escaped;

    /** True between the first byte of a value and its last. */
    public boolean inValue() {
        return depth > 0;
    }

    /**
     * Feeds the next byte of a value; the first one must be '{' or '['.
     *
     * @return true when this byte ends the value
     */
    public boolean feed(byte c) {
        if (inString) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                inString = false;
            }
        } else if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            return --depth == 0;
        }
        return false;
    }

    public void reset() {
        depth = 0;
        inString = false;
        escaped = false;
    }

    /** Whitespace allowed between values (JSON's four). */
    public static boolean isWhitespace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    /** Whether a value may start with this byte. */
    public static boolean isValueStart(byte c) {
        return c == '{' || c == '[';
    }
}
