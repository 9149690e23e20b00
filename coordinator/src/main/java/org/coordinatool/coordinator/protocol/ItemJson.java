package org.coordinatool.coordinator.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.coordinatool.hsm.Fid;

/**
 * JSON form of fid and hsm_action_item objects, shared by the wire protocol and the Redis store.
 *
 * <p>Numbers are written the way the original writes them (64-bit values as signed 64-bit,
 * 32-bit values as signed 32-bit) and read in either signed or unsigned spelling. {@code hai_data}
 * is a string whose UTF-8 bytes are the data. Data that is not valid UTF-8 cannot be a JSON
 * string, so it is written as {@code hai_data_b64} (standard base64) instead; readers accept
 * either member. {@code hai_len} is never written and ignored when read (it follows from the
 * data). Members the protocol does not define are kept in {@link WireItem#extraJson()} and
 * written back after the known ones.
 *
 * <p>Start-up recovery and Redis re-synchronisation read and write every request, so the common
 * case costs no more than it must: member names are pre-encoded, compared with the name expected
 * next before being looked up, and error texts are only built for errors.
 */
public final class ItemJson {

    public static final String DATA = "hai_data";
    public static final String DATA_B64 = "hai_data_b64";

    // Member numbers; a mandatory member's bit in Fields.seen is 1 << its number.
    private static final int ACTION = 0;
    private static final int FID = 1;
    private static final int DFID = 2;
    private static final int OFFSET = 3;
    private static final int LENGTH = 4;
    private static final int COOKIE = 5;
    private static final int GID = 6;
    private static final int DATA_TEXT = 7;
    private static final int DATA_BASE64 = 8;
    private static final int ARCHIVE_ID = 9;
    private static final int FLAGS = 10;
    private static final int TIMESTAMP = 11;
    private static final int HAI_LEN = 12;
    private static final int OTHER = -1;

    private static final int MANDATORY = (1 << DATA_TEXT) - 1;
    private static final int ANY_DATA = 1 << DATA_TEXT | 1 << DATA_BASE64;
    private static final int KEY = 1 << COOKIE | 1 << DFID;

    /** Member names by number, pre-encoded for the generator and for matching input. */
    private static final SerializedString[] NAMES = names("hai_action", "hai_fid", "hai_dfid",
            "hai_extent_offset", "hai_extent_length", "hai_cookie", "hai_gid", DATA, DATA_B64,
            "hal_archive_id", "hal_flags", "timestamp", "hai_len");

    /** The member order {@link #write} uses, which is the order most input comes in. */
    private static final int[] WRITE_ORDER = {
        ACTION, FID, DFID, OFFSET, LENGTH, COOKIE, GID, ARCHIVE_ID, FLAGS, DATA_TEXT, TIMESTAMP,
    };
    /** By member number: the position in WRITE_ORDER of the member expected after it. */
    private static final int[] AFTER = new int[NAMES.length];

    static {
        for (int i = 0; i < WRITE_ORDER.length; i++) {
            AFTER[WRITE_ORDER[i]] = i + 1;
        }
        AFTER[DATA_BASE64] = AFTER[DATA_TEXT];
        AFTER[HAI_LEN] = WRITE_ORDER.length;
    }

    private static final SerializedString[] FID_NAMES = names("f_seq", "f_oid", "f_ver");

    private ItemJson() {
    }

    // ---------------------------------------------------------------- fid

    public static void writeFid(JsonGenerator g, Fid fid) throws IOException {
        g.writeStartObject();
        g.writeFieldName(FID_NAMES[0]);
        g.writeNumber(fid.seq());
        g.writeFieldName(FID_NAMES[1]);
        g.writeNumber(fid.oid());
        g.writeFieldName(FID_NAMES[2]);
        g.writeNumber(fid.ver());
        g.writeEndObject();
    }

    /**
     * Reads a fid object at the current token: exactly f_seq, f_oid and f_ver, as the original
     * requires. The whole value is consumed even when it is refused.
     */
    public static Fid readFid(JsonParser p, String what) throws IOException, InvalidContentException {
        return readFid(p, what, null);
    }

    /** {@link #readFid(JsonParser, String)} for member {@code member} (may be null) of what. */
    private static Fid readFid(JsonParser p, String what, String member)
            throws IOException, InvalidContentException {
        JsonValues.requireObject(p, what, member);
        long seq = 0;
        int oid = 0;
        int ver = 0;
        int seen = 0;
        String error = null;
        int next = 0;
        while (true) {
            boolean expected = nextName(p, next < FID_NAMES.length ? FID_NAMES[next] : null);
            if (!expected && p.currentToken() != JsonToken.FIELD_NAME) {
                break;
            }
            String name = p.currentName();
            int index = expected ? next : fidMember(name);
            next = index + 1;
            p.nextToken();
            try {
                switch (index) {
                    case 0 -> seq = JsonValues.readLong64(p, what, member, name);
                    case 1 -> oid = JsonValues.readInt32(p, what, member, name);
                    case 2 -> ver = JsonValues.readInt32(p, what, member, name);
                    default -> {
                        p.skipChildren();
                        throw new InvalidContentException(JsonValues.path(what, member, null)
                                + ": unexpected member \"" + name + "\"");
                    }
                }
                seen |= 1 << index;
            } catch (InvalidContentException e) {
                error = error == null ? e.getMessage() : error;
            }
        }
        if (error != null) {
            throw new InvalidContentException(error);
        }
        if (seen != 7) {
            String missing = (seen & 1) == 0 ? "f_seq" : (seen & 2) == 0 ? "f_oid" : "f_ver";
            throw new InvalidContentException(JsonValues.path(what, member, null) + ": missing "
                    + missing);
        }
        return new Fid(seq, oid, ver);
    }

    private static int fidMember(String name) {
        return switch (name) {
            case "f_seq" -> 0;
            case "f_oid" -> 1;
            case "f_ver" -> 2;
            default -> -1;
        };
    }

    // ---------------------------------------------------------------- item

    /** Writes the item in the member order of the original server; timestamp omitted when 0. */
    public static void write(JsonGenerator g, WireItem item) throws IOException {
        g.writeStartObject();
        g.writeFieldName(NAMES[ACTION]);
        g.writeNumber(item.action());
        g.writeFieldName(NAMES[FID]);
        writeFid(g, item.fid());
        g.writeFieldName(NAMES[DFID]);
        writeFid(g, item.dfid());
        g.writeFieldName(NAMES[OFFSET]);
        g.writeNumber(item.extentOffset());
        g.writeFieldName(NAMES[LENGTH]);
        g.writeNumber(item.extentLength());
        g.writeFieldName(NAMES[COOKIE]);
        g.writeNumber(item.cookie());
        g.writeFieldName(NAMES[GID]);
        g.writeNumber(item.gid());
        g.writeFieldName(NAMES[ARCHIVE_ID]);
        g.writeNumber(item.archiveId());
        g.writeFieldName(NAMES[FLAGS]);
        g.writeNumber(item.flags());
        writeData(g, item.data());
        if (item.timestamp() != 0) {
            g.writeFieldName(NAMES[TIMESTAMP]);
            g.writeNumber(item.timestamp());
        }
        if (item.extraJson() != null) {
            writeExtra(g, item.extraJson());
        }
        g.writeEndObject();
    }

    /**
     * Writes opaque bytes as a {@code hai_data} string member when they are valid UTF-8, else as
     * {@code hai_data_b64}.
     */
    static void writeData(JsonGenerator g, byte[] data) throws IOException {
        if (Utf8.isValid(data)) {
            g.writeFieldName(NAMES[DATA_TEXT]);
            g.writeUTF8String(data, 0, data.length);
        } else {
            g.writeFieldName(NAMES[DATA_BASE64]);
            g.writeString(Base64.getEncoder().encodeToString(data));
        }
    }

    private static void writeExtra(JsonGenerator g, String extraJson) throws IOException {
        byte[] wrapped = ("{" + extraJson + "}").getBytes(StandardCharsets.UTF_8);
        try (JsonParser p = JsonStyle.parser(wrapped, 0, wrapped.length)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                g.writeFieldName(p.currentName());
                p.nextToken();
                copyValue(p, g);
            }
        }
    }

    /** Copies the current value, numbers with their exact text, structures recursively. */
    static void copyValue(JsonParser p, JsonGenerator g) throws IOException {
        int depth = 0;
        while (true) {
            JsonToken t = p.currentToken();
            g.copyCurrentEventExact(p);
            if (t.isStructStart()) {
                depth++;
            } else if (t.isStructEnd()) {
                depth--;
            }
            if (depth == 0) {
                return;
            }
            p.nextToken();
        }
    }

    /**
     * Reads an item object at the current token and consumes it entirely. All mandatory members
     * of the protocol must be present (hai_action, hai_fid, hai_dfid, hai_extent_offset,
     * hai_extent_length, hai_cookie, hai_gid, and hai_data or hai_data_b64).
     */
    public static WireItem read(JsonParser p, String what) throws IOException, InvalidContentException {
        Fields f = readFields(p, what);
        f.requireComplete(what);
        return f.toItem();
    }

    /**
     * Like {@link #read} but also accepts an item that only identifies a request: when the item
     * is incomplete or partly invalid yet carries a valid hai_cookie and hai_dfid, the result has
     * action 0, fid = dfid, empty data and zero elsewhere. Used for the {@code hai_list} of
     * {@code ehlo}, where a known request only needs its key.
     */
    static WireItem readClaim(JsonParser p, String what) throws IOException, InvalidContentException {
        Fields f = readFields(p, what);
        try {
            f.requireComplete(what);
            return f.toItem();
        } catch (InvalidContentException e) {
            if ((f.seen & KEY) != KEY) {
                throw e;
            }
            return new WireItem(0, f.dfid, f.dfid, 0, 0, f.cookie, 0, 0, 0, new byte[0], 0, null);
        }
    }

    /** The compact form stored in Redis. */
    public static String toCompactJson(WireItem item) {
        return new String(toBytes(item, JsonStyle.COMPACT), StandardCharsets.UTF_8);
    }

    public static byte[] toBytes(WireItem item, JsonStyle style) {
        return style.toBytes(g -> write(g, item));
    }

    /** Parses one complete item document (any spacing); nothing may follow the object. */
    public static WireItem parse(String json) throws InvalidContentException {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    public static WireItem parse(byte[] json) throws InvalidContentException {
        try (JsonParser p = JsonStyle.parser(json, 0, json.length)) {
            p.nextToken();
            WireItem item = read(p, "item");
            if (p.nextToken() != null) {
                throw new InvalidContentException("item: unexpected data after the object");
            }
            return item;
        } catch (JsonProcessingException e) {
            throw new InvalidContentException("item: invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("reading JSON from memory", e);
        }
    }

    private static Fields readFields(JsonParser p, String what)
            throws IOException, InvalidContentException {
        JsonValues.requireObject(p, what);
        Fields f = new Fields();
        int next = 0;
        while (true) {
            boolean expected = nextName(p,
                    next < WRITE_ORDER.length ? NAMES[WRITE_ORDER[next]] : null);
            if (!expected && p.currentToken() != JsonToken.FIELD_NAME) {
                break;
            }
            String name = p.currentName();
            int member = expected ? WRITE_ORDER[next] : member(name);
            if (member != OTHER) {
                next = AFTER[member];
            }
            p.nextToken();
            try {
                f.read(p, member, name, what);
            } catch (InvalidContentException e) {
                f.error = f.error == null ? e.getMessage() : f.error;
            }
        }
        f.finishExtra();
        return f;
    }

    /**
     * Moves to the next member name, trying {@code expected} (when not null) first: comparing
     * the input with it byte for byte costs less than looking the name up.
     *
     * @return whether the name is {@code expected}; if not, the current token is another name or
     *         the end of the object
     */
    private static boolean nextName(JsonParser p, SerializedString expected) throws IOException {
        if (expected != null) {
            return p.nextFieldName(expected);
        }
        p.nextToken();
        return false;
    }

    /** The number of a member that did not come where expected, or OTHER. */
    private static int member(String name) {
        return switch (name) {
            case "hai_action" -> ACTION;
            case "hai_fid" -> FID;
            case "hai_dfid" -> DFID;
            case "hai_extent_offset" -> OFFSET;
            case "hai_extent_length" -> LENGTH;
            case "hai_cookie" -> COOKIE;
            case "hai_gid" -> GID;
            case DATA -> DATA_TEXT;
            case DATA_B64 -> DATA_BASE64;
            case "hal_archive_id" -> ARCHIVE_ID;
            case "hal_flags" -> FLAGS;
            case "timestamp" -> TIMESTAMP;
            case "hai_len" -> HAI_LEN;
            default -> OTHER;
        };
    }

    /** Values collected while streaming through one item object. */
    private static final class Fields {
        int seen;
        int action;
        Fid fid;
        Fid dfid;
        long offset;
        long length;
        long cookie;
        long gid;
        int archiveId;
        long flags;
        long timestamp;
        byte[] data;
        String error;
        ByteArrayOutputStream extraOut;
        JsonGenerator extra;
        String extraJson;

        void read(JsonParser p, int member, String name, String what)
                throws IOException, InvalidContentException {
            switch (member) {
                case ACTION -> action = JsonValues.readInt32(p, what, name, null);
                case FID -> fid = readFid(p, what, name);
                case DFID -> dfid = readFid(p, what, name);
                case OFFSET -> offset = JsonValues.readLong64(p, what, name, null);
                case LENGTH -> length = JsonValues.readLong64(p, what, name, null);
                case COOKIE -> cookie = JsonValues.readLong64(p, what, name, null);
                case GID -> gid = JsonValues.readLong64(p, what, name, null);
                case DATA_TEXT -> data = readTextData(p, what, name);
                case DATA_BASE64 -> data = readBase64Data(p, JsonValues.path(what, name, null));
                case ARCHIVE_ID -> archiveId = JsonValues.readInt32(p, what, name, null);
                case FLAGS -> flags = JsonValues.readLong64(p, what, name, null);
                case TIMESTAMP -> timestamp = JsonValues.readLong64(p, what, name, null);
                case HAI_LEN -> p.skipChildren();
                default -> copyExtra(p, name);
            }
            if (member >= 0 && member <= DATA_BASE64) {
                seen |= 1 << member;
            }
        }

        private void copyExtra(JsonParser p, String name) throws IOException {
            if (extra == null) {
                extraOut = new ByteArrayOutputStream();
                extra = JsonStyle.COMPACT.generator(extraOut);
                extra.writeStartObject();
            }
            extra.writeFieldName(name);
            copyValue(p, extra);
        }

        void finishExtra() throws IOException {
            if (extra != null) {
                extra.writeEndObject();
                extra.close();
                String wrapped = extraOut.toString(StandardCharsets.UTF_8);
                extraJson = wrapped.substring(1, wrapped.length() - 1);
            }
        }

        void requireComplete(String what) throws InvalidContentException {
            if (error != null) {
                throw new InvalidContentException(error);
            }
            if ((seen & MANDATORY) != MANDATORY) {
                List<String> missing = new ArrayList<>();
                for (int i = 0; i < DATA_TEXT; i++) {
                    if ((seen & (1 << i)) == 0) {
                        missing.add(NAMES[i].getValue());
                    }
                }
                if (data == null) {
                    missing.add(DATA);
                }
                throw new InvalidContentException(what + ": missing " + String.join(", ", missing));
            }
            if ((seen & ANY_DATA) == 0) {
                throw new InvalidContentException(what + ": missing " + DATA);
            }
            if ((seen & ANY_DATA) == ANY_DATA) {
                throw new InvalidContentException(
                        what + ": both " + DATA + " and " + DATA_B64 + " are present");
            }
        }

        WireItem toItem() {
            // Nearly every request names the same file as fid and dfid: one shared (immutable)
            // object for both keeps each of the millions of waiting requests smaller.
            Fid sharedDfid = dfid.equals(fid) ? fid : dfid;
            return new WireItem(action, fid, sharedDfid, offset, length, cookie, gid, archiveId, flags,
                    data, timestamp, extraJson);
        }
    }

    /**
     * The UTF-8 bytes of a string value, encoded straight from the parser's characters. A
     * surrogate escape without its pair has no UTF-8 form and is refused.
     */
    private static byte[] readTextData(JsonParser p, String what, String member)
            throws IOException, InvalidContentException {
        JsonValues.requireString(p, what, member);
        char[] chars = p.getTextCharacters();
        int start = p.getTextOffset();
        int end = start + p.getTextLength();
        int size = 0;
        for (int i = start; i < end; i++) {
            char c = chars[i];
            if (c < 0x80) {
                size++;
            } else if (c < 0x800) {
                size += 2;
            } else if (!Character.isSurrogate(c)) {
                size += 3;
            } else if (Character.isHighSurrogate(c) && i + 1 < end
                    && Character.isLowSurrogate(chars[i + 1])) {
                size += 4;
                i++;
            } else {
                throw new InvalidContentException(JsonValues.path(what, member, null)
                        + ": unpaired surrogate \\u" + Integer.toHexString(c) + " at character "
                        + (i - start));
            }
        }
        byte[] out = new byte[size];
        int o = 0;
        for (int i = start; i < end; i++) {
            char c = chars[i];
            if (c < 0x80) {
                out[o++] = (byte) c;
            } else if (c < 0x800) {
                out[o++] = (byte) (0xc0 | c >> 6);
                out[o++] = (byte) (0x80 | c & 0x3f);
            } else if (!Character.isSurrogate(c)) {
                out[o++] = (byte) (0xe0 | c >> 12);
                out[o++] = (byte) (0x80 | c >> 6 & 0x3f);
                out[o++] = (byte) (0x80 | c & 0x3f);
            } else {
                int cp = Character.toCodePoint(c, chars[++i]);
                out[o++] = (byte) (0xf0 | cp >> 18);
                out[o++] = (byte) (0x80 | cp >> 12 & 0x3f);
                out[o++] = (byte) (0x80 | cp >> 6 & 0x3f);
                out[o++] = (byte) (0x80 | cp & 0x3f);
            }
        }
        return out;
    }

    private static byte[] readBase64Data(JsonParser p, String what)
            throws IOException, InvalidContentException {
        String s = JsonValues.readString(p, what);
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new InvalidContentException(what + ": invalid base64: " + e.getMessage());
        }
    }

    /** Text data read for other objects with an opaque data string (status dumps). */
    static byte[] readData(JsonParser p, String name, String what)
            throws IOException, InvalidContentException {
        return name.equals(DATA_B64) ? readBase64Data(p, what) : readTextData(p, what, null);
    }

    private static SerializedString[] names(String... names) {
        SerializedString[] out = new SerializedString[names.length];
        for (int i = 0; i < names.length; i++) {
            out[i] = new SerializedString(names[i]);
        }
        return out;
    }
}
