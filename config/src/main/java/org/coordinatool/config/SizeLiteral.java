package org.coordinatool.config;

import java.math.BigInteger;

/**
 * Size-like values: a C-style integer literal ({@link IntegerLiteral}) with an optional single
 * binary suffix {@code k/K} (x1024), {@code m/M} (x1024^2) or {@code g/G} (x1024^3).
 * Characters after the suffix are tolerated (as the original does, e.g. {@code 16MiB}) but
 * reported so a caller can warn; any other trailing character is an error.
 */
final class SizeLiteral {

    /** Marker for "no limit", written {@code -1} (exactly, without suffix). */
    static final long UNLIMITED = -1;

    /** Largest size the original accepts: sizes are unsigned 32-bit there. */
    static final long MAX_SIZE = 0xFFFF_FFFFL;

    /** A parsed size and the characters ignored after its suffix (empty if none). */
    record Size(long bytes, String ignoredTrailer) {
    }

    private SizeLiteral() {
    }

    /**
     * @param unlimitedAllowed whether the literal {@code -1} stands for {@link #UNLIMITED}
     */
    static Size parse(String text, long min, long max, boolean unlimitedAllowed) throws InvalidValueException {
        IntegerLiteral.Prefix prefix = IntegerLiteral.parsePrefix(text);
        String rest = text.substring(prefix.end());
        if (rest.isEmpty()) {
            if (unlimitedAllowed && prefix.value().equals(BigInteger.ONE.negate())) {
                return new Size(UNLIMITED, "");
            }
            return new Size(IntegerLiteral.checkRange(prefix.value(), min, max), "");
        }
        int shift = switch (rest.charAt(0)) {
            case 'k', 'K' -> 10;
            case 'm', 'M' -> 20;
            case 'g', 'G' -> 30;
            default -> throw new InvalidValueException("'" + text + "' is not a size (unexpected '"
                    + rest + "'; suffixes are k, m, g)");
        };
        long bytes = IntegerLiteral.checkRange(prefix.value().shiftLeft(shift), min, max);
        return new Size(bytes, rest.substring(1));
    }
}
