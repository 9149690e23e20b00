package org.coordinatool.coordinator.redis;

import java.nio.charset.StandardCharsets;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.hsm.Fid;

/**
 * The Redis field name of a request: 48 lowercase hex digits, the cookie (16), then the dfid's
 * sequence (16), object id (8) and version (8), each zero-padded. The original server writes and
 * parses exactly this shape, so anything else is rejected rather than guessed at.
 */
public final class RequestKeys {

    public static final int LENGTH = 48;

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private RequestKeys() {
    }

    /** The identity of a request as a key names it. */
    public record Id(long cookie, Fid dfid) {

        public static Id of(WireItem item) {
            return new Id(item.cookie(), item.dfid());
        }

        public byte[] encode() {
            return RequestKeys.encode(cookie, dfid);
        }

        public String format() {
            return RequestKeys.format(cookie, dfid);
        }
    }

    public static byte[] encode(WireItem item) {
        return encode(item.cookie(), item.dfid());
    }

    /** The key as ASCII bytes, ready to be sent. */
    public static byte[] encode(long cookie, Fid dfid) {
        byte[] key = new byte[LENGTH];
        putHex(key, 0, cookie, 16);
        putHex(key, 16, dfid.seq(), 16);
        putHex(key, 32, dfid.oidUnsigned(), 8);
        putHex(key, 40, dfid.verUnsigned(), 8);
        return key;
    }

    public static String format(WireItem item) {
        return format(item.cookie(), item.dfid());
    }

    public static String format(long cookie, Fid dfid) {
        return new String(encode(cookie, dfid), StandardCharsets.US_ASCII);
    }

    /** @throws IllegalArgumentException when the text is not exactly a well-formed key */
    public static Id parse(String key) {
        return parse(key.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException when the bytes are not exactly a well-formed key */
    public static Id parse(byte[] key) {
        if (key.length != LENGTH) {
            throw new IllegalArgumentException("request key must be " + LENGTH
                    + " lowercase hex digits, got " + key.length + " bytes");
        }
        long cookie = hex(key, 0, 16);
        long seq = hex(key, 16, 16);
        int oid = (int) hex(key, 32, 8);
        int ver = (int) hex(key, 40, 8);
        return new Id(cookie, new Fid(seq, oid, ver));
    }

    private static void putHex(byte[] out, int at, long value, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            out[at + i] = HEX[(int) (value & 0xf)];
            value >>>= 4;
        }
    }

    private static long hex(byte[] key, int at, int digits) {
        long value = 0;
        for (int i = at; i < at + digits; i++) {
            int b = key[i];
            int digit;
            if (b >= '0' && b <= '9') {
                digit = b - '0';
            } else if (b >= 'a' && b <= 'f') {
                digit = b - 'a' + 10;
            } else {
                String what = b >= 0x20 && b < 0x7f
                        ? "'" + (char) b + "'" : String.format("byte 0x%02x", b & 0xff);
                throw new IllegalArgumentException("request key has " + what + " at position " + i
                        + " where a lowercase hex digit is expected");
            }
            value = value << 4 | digit;
        }
        return value;
    }
}
