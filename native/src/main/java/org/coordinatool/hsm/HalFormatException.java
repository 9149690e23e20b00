package org.coordinatool.hsm;

/**
 * A binary HAL that does not hold together (what lhsmtool_posix answers with -EPROTO): truncated
 * header, unterminated fsname, an item crossing the end of the message, an impossible count.
 */
public final class HalFormatException extends IllegalArgumentException {

    private final long offset;

    HalFormatException(long offset, String message) {
        super(message + " (at offset " + offset + ")");
        this.offset = offset;
    }

    /** Offset in the message where the inconsistency was found. */
    public long offset() {
        return offset;
    }
}
