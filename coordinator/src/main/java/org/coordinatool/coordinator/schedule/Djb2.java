package org.coordinatool.coordinator.schedule;

/**
 * The djb2 string hash as the original computes it: 64-bit unsigned arithmetic starting from 5381,
 * {@code h = h * 33 + b} with each byte taken as a signed char, so results match across servers.
 */
public final class Djb2 {

    private Djb2() {
    }

    public static long hash(byte[] value) {
        long h = 5381;
        for (byte b : value) {
            h = h * 33 + b;
        }
        return h;
    }

    /** The hash as an unsigned number modulo {@code n} (n &gt; 0). */
    public static long mod(long hash, long n) {
        return Long.remainderUnsigned(hash, n);
    }
}
