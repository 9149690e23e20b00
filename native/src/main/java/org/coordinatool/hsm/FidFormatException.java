package org.coordinatool.hsm;

/**
 * A FID text that {@code llapi_fid_parse} would reject: either a syntax error (its -EINVAL) or a
 * field that does not fit (its -ERANGE).
 */
public final class FidFormatException extends IllegalArgumentException {

    private final String input;
    private final int errorIndex;
    private final boolean outOfRange;

    FidFormatException(CharSequence input, int errorIndex, boolean outOfRange, String reason) {
        super("invalid FID \"" + input + "\": " + reason + " (at offset " + errorIndex + ")");
        this.input = input.toString();
        this.errorIndex = errorIndex;
        this.outOfRange = outOfRange;
    }

    public String input() {
        return input;
    }

    /** Offset in {@link #input()} where parsing stopped. */
    public int errorIndex() {
        return errorIndex;
    }

    /** True for a field that is syntactically fine but too large (llapi's -ERANGE). */
    public boolean outOfRange() {
        return outOfRange;
    }
}
