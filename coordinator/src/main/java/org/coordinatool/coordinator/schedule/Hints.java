package org.coordinatool.coordinator.schedule;

/**
 * Finding and replacing {@code key=value} hints inside hsm data, where hints are separated by
 * commas only. The whole data is searched, NUL bytes included.
 */
public final class Hints {

    private Hints() {
    }

    /** Where a hint's value lies in the data. */
    public record Match(int offset, int length) {

        public byte[] value(byte[] data) {
            byte[] v = new byte[length];
            System.arraycopy(data, offset, v, 0, length);
            return v;
        }
    }

    /**
     * Finds the value of {@code needle} (e.g. {@code cr=}): the first occurrence that starts the
     * data or follows a comma; the value runs to the next comma or the end of the data.
     *
     * @return null when there is no such occurrence
     */
    public static Match parse(byte[] data, byte[] needle) {
        for (int at = indexOf(data, data.length, needle, 0); at >= 0; at = indexOf(data, data.length, needle, at + 1)) {
            if (at == 0 || data[at - 1] == ',') {
                int start = at + needle.length;
                int end = start;
                while (end < data.length && data[end] != ',') {
                    end++;
                }
                return new Match(start, end - start);
            }
        }
        return null;
    }

    /** {@code data} with the matched value replaced by {@code replacement}. */
    public static byte[] replace(byte[] data, Match match, byte[] replacement) {
        byte[] out = new byte[data.length - match.length() + replacement.length];
        System.arraycopy(data, 0, out, 0, match.offset());
        System.arraycopy(replacement, 0, out, match.offset(), replacement.length);
        int after = match.offset() + match.length();
        System.arraycopy(data, after, out, match.offset() + replacement.length, data.length - after);
        return out;
    }

    /** Whether {@code needle} occurs in the data seen as a C string (up to its first NUL). */
    public static boolean containsInCString(byte[] data, byte[] needle) {
        int limit = 0;
        while (limit < data.length && data[limit] != 0) {
            limit++;
        }
        return indexOf(data, limit, needle, 0) >= 0;
    }

    private static int indexOf(byte[] data, int limit, byte[] needle, int from) {
        int last = limit - needle.length;
        outer:
        for (int i = from; i <= last; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
