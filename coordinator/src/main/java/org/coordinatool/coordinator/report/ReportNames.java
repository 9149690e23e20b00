package org.coordinatool.coordinator.report;

import java.nio.charset.StandardCharsets;

/** Which hint values may name a report file. */
public final class ReportNames {

    public static final int MAX_LENGTH = 64;

    private ReportNames() {
    }

    /**
     * The file name for a hint value, or null when the value is not acceptable: it must be 1 to
     * 64 bytes of ASCII letters, digits, {@code -} and {@code _} (so no path separator, dot, space
     * or NUL can reach the file system).
     */
    public static String validate(byte[] value) {
        if (value.length == 0 || value.length > MAX_LENGTH) {
            return null;
        }
        for (byte b : value) {
            boolean ok = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                    || b == '-' || b == '_';
            if (!ok) {
                return null;
            }
        }
        return new String(value, StandardCharsets.US_ASCII);
    }
}
