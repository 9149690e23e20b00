package org.coordinatool.config;

import java.math.BigInteger;

/**
 * C-style integer literals as {@code strtol(s, &end, 0)} reads them: optional leading
 * whitespace, optional sign, then decimal, {@code 0x}/{@code 0X} hexadecimal or leading-{@code 0}
 * octal digits. Values are kept exact (no overflow) so range errors report the written value.
 */
final class IntegerLiteral {

    /** The number read from the start of a text and the index just after its last digit. */
    record Prefix(BigInteger value, int end) {
    }

    private IntegerLiteral() {
    }

    /** Reads the longest literal at the start of {@code text}; fails if there is none. */
    static Prefix parsePrefix(String text) throws InvalidValueException {
        int length = text.length();
        int i = CText.skipSpaces(text, 0);
        boolean negative = false;
        if (i < length && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            negative = text.charAt(i) == '-';
            i++;
        }
        int radix = 10;
        if (i + 2 < length && text.charAt(i) == '0'
                && (text.charAt(i + 1) == 'x' || text.charAt(i + 1) == 'X')
                && isAsciiDigit(text.charAt(i + 2), 16)) {
            radix = 16;
            i += 2;
        } else if (i < length && text.charAt(i) == '0') {
            radix = 8;
        }
        int digitsStart = i;
        while (i < length && isAsciiDigit(text.charAt(i), radix)) {
            i++;
        }
        if (i == digitsStart) {
            throw new InvalidValueException("'" + text + "' is not a number");
        }
        BigInteger magnitude = new BigInteger(text.substring(digitsStart, i), radix);
        return new Prefix(negative ? magnitude.negate() : magnitude, i);
    }

    /** Parses a whole literal and checks {@code min <= value <= max}. */
    static long parse(String text, long min, long max) throws InvalidValueException {
        Prefix prefix = parsePrefix(text);
        if (prefix.end() != text.length()) {
            throw new InvalidValueException("'" + text + "' is not a number (unexpected '"
                    + text.substring(prefix.end()) + "')");
        }
        return checkRange(prefix.value(), min, max);
    }

    static long checkRange(BigInteger value, long min, long max) throws InvalidValueException {
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new InvalidValueException("value " + value + " out of range " + min + ".." + max);
        }
        return value.longValueExact();
    }

    private static boolean isAsciiDigit(char c, int radix) {
        return c < 128 && Character.digit(c, radix) >= 0;
    }
}
