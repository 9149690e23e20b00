package org.coordinatool.hsm;

/**
 * Scans C integer literals the way glibc's {@code strtoull} does, because Lustre's text formats
 * (FIDs, debugfs listings) are produced by printf and read back by strtoull: the same literal
 * must mean the same number here.
 */
final class CIntegers {

    /**
     * One scan: {@code value} holds the low 64 bits (ULLONG_MAX on overflow, like strtoull),
     * {@code end} is the index of the first character not consumed ({@code from} when no
     * digit was found, as strtoull sets its end pointer back to the start).
     */
    record Scan(long value, int end, boolean hasDigits, boolean overflow) {
    }

    private CIntegers() {
    }

    /**
     * strtoull semantics for base 0 (0x hex, leading-0 octal, decimal) and base 16 (optional 0x):
     * leading C whitespace and one sign are accepted, a minus negates modulo 2^64.
     */
    static Scan strtoull(CharSequence s, int from, int base) {
        if (base != 0 && base != 16) {
            throw new IllegalArgumentException("unsupported base " + base);
        }
        int n = s.length();
        int i = from;
        while (i < n && isCSpace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        int radix = base;
        if (i + 2 < n && s.charAt(i) == '0' && (s.charAt(i + 1) | 0x20) == 'x' && digit(s.charAt(i + 2), 16) >= 0) {
            radix = 16;
            i += 2;
        } else if (base == 0) {
            radix = i < n && s.charAt(i) == '0' ? 8 : 10;
        }
        int digitsStart = i;
        long value = 0;
        boolean overflow = false;
        for (; i < n; i++) {
            int d = digit(s.charAt(i), radix);
            if (d < 0) {
                break;
            }
            if (!overflow) {
                if (Long.compareUnsigned(value, Long.divideUnsigned(-1L - d, radix)) > 0) {
                    overflow = true;
                } else {
                    value = value * radix + d;
                }
            }
        }
        if (i == digitsStart) {
            return new Scan(0, from, false, false);
        }
        if (overflow) {
            return new Scan(-1L, i, true, true);
        }
        return new Scan(negative ? -value : value, i, true, false);
    }

    /** Value of an ASCII digit or letter in {@code radix}, -1 otherwise (never Unicode digits). */
    static int digit(char c, int radix) {
        int d;
        if (c >= '0' && c <= '9') {
            d = c - '0';
        } else if (c >= 'a' && c <= 'z') {
            d = c - 'a' + 10;
        } else if (c >= 'A' && c <= 'Z') {
            d = c - 'A' + 10;
        } else {
            return -1;
        }
        return d < radix ? d : -1;
    }

    static boolean isCSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }
}
