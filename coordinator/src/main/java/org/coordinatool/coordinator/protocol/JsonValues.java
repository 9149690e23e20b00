package org.coordinatool.coordinator.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigInteger;

/**
 * Typed reads of the current JSON value. On a type or range error the value (including a whole
 * object or array) is consumed before {@link InvalidContentException} is thrown, so the caller's
 * position in the message stays consistent.
 *
 * <p>The value's place in the message is given in parts ({@code what}, then optionally a member
 * and a member of that), joined with dots only when an error needs the text: reading a valid
 * message builds no strings.
 */
final class JsonValues {

    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    private JsonValues() {
    }

    /**
     * A 64-bit value in either spelling: signed (-2^63..2^63-1) as the original writes it, or
     * unsigned (up to 2^64-1); the low 64 bits are kept.
     */
    static long readLong64(JsonParser p, String what) throws IOException, InvalidContentException {
        return readLong64(p, what, null, null);
    }

    static long readLong64(JsonParser p, String what, String member, String sub)
            throws IOException, InvalidContentException {
        requireInteger(p, what, member, sub);
        if (p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            return p.getLongValue();
        }
        BigInteger v = p.getBigIntegerValue();
        if (v.signum() < 0 || v.compareTo(TWO_64) >= 0) {
            throw new InvalidContentException(path(what, member, sub)
                    + ": integer out of 64-bit range");
        }
        return v.longValue();
    }

    /** A 32-bit value in either spelling (-2^31..2^32-1); the low 32 bits are kept. */
    static int readInt32(JsonParser p, String what) throws IOException, InvalidContentException {
        return readInt32(p, what, null, null);
    }

    static int readInt32(JsonParser p, String what, String member, String sub)
            throws IOException, InvalidContentException {
        requireInteger(p, what, member, sub);
        if (p.getNumberType() == JsonParser.NumberType.INT) {
            return p.getIntValue();
        }
        if (p.getNumberType() == JsonParser.NumberType.LONG) {
            long v = p.getLongValue();
            if (v >= Integer.MIN_VALUE && v <= 0xffff_ffffL) {
                return (int) v;
            }
        }
        throw new InvalidContentException(path(what, member, sub)
                + ": integer out of 32-bit range");
    }

    /** A string; JSON null is refused like any other non-string. */
    static String readString(JsonParser p, String what) throws IOException, InvalidContentException {
        requireString(p, what, null);
        return p.getText();
    }

    static void requireString(JsonParser p, String what, String member)
            throws IOException, InvalidContentException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw mismatch(p, path(what, member, null), "a string");
        }
    }

    static void requireObject(JsonParser p, String what) throws IOException, InvalidContentException {
        requireObject(p, what, null);
    }

    static void requireObject(JsonParser p, String what, String member)
            throws IOException, InvalidContentException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw mismatch(p, path(what, member, null), "an object");
        }
    }

    static void requireArray(JsonParser p, String what) throws IOException, InvalidContentException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw mismatch(p, what, "an array");
        }
    }

    private static void requireInteger(JsonParser p, String what, String member, String sub)
            throws IOException, InvalidContentException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw mismatch(p, path(what, member, sub), "an integer");
        }
    }

    /** The dotted place of a value; member and sub may be null. */
    static String path(String what, String member, String sub) {
        if (member == null) {
            return what;
        }
        return sub == null ? what + "." + member : what + "." + member + "." + sub;
    }

    /** Consumes the current value and builds the "expected X, got Y" error. */
    static InvalidContentException mismatch(JsonParser p, String what, String expected)
            throws IOException {
        JsonToken t = p.currentToken();
        p.skipChildren();
        return new InvalidContentException(what + ": expected " + expected + ", got " + describe(t));
    }

    static String describe(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a non-integer number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.asString() == null ? t.name() : t.asString();
        };
    }
}
