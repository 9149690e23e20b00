package org.coordinatool.coordinator.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
 */
public final class ItemJson {

    public static final String DATA = "hai_data";
    public static final String DATA_B64 = "hai_data_b64";

    private static final int ACTION = 1;
    private static final int FID = 1 << 1;
    private static final int DFID = 1 << 2;
    private static final int OFFSET = 1 << 3;
    private static final int LENGTH = 1 << 4;
    private static final int COOKIE = 1 << 5;
    private static final int GID = 1 << 6;
    private static final int DATA_TEXT = 1 << 7;
    private static final int DATA_BASE64 = 1 << 8;
    private static final int MANDATORY = ACTION | FID | DFID | OFFSET | LENGTH | COOKIE | GID;
    private static final String[] MANDATORY_NAMES = {
        "hai_action", "hai_fid", "hai_dfid", "hai_extent_offset", "hai_extent_length",
        "hai_cookie", "hai_gid",
    };

    private ItemJson() {
    }

    // ---------------------------------------------------------------- fid

    public static void writeFid(JsonGenerator g, Fid fid) throws IOException {
        g.writeStartObject();
        g.writeNumberField("f_seq", fid.seq());
        g.writeNumberField("f_oid", fid.oid());
        g.writeNumberField("f_ver", fid.ver());
        g.writeEndObject();
    }

    /**
     * Reads a fid object at the current token: exactly f_seq, f_oid and f_ver, as the original
     * requires. The whole value is consumed even when it is refused.
     */
    public static Fid readFid(JsonParser p, String what) throws IOException, InvalidContentException {
        JsonValues.requireObject(p, what);
        long seq = 0;
        int oid = 0;
        int ver = 0;
        int seen = 0;
        String error = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            try {
                switch (name) {
                    case "f_seq" -> {
                        seq = JsonValues.readLong64(p, what + ".f_seq");
                        seen |= 1;
                    }
                    case "f_oid" -> {
                        oid = JsonValues.readInt32(p, what + ".f_oid");
                        seen |= 2;
                    }
                    case "f_ver" -> {
                        ver = JsonValues.readInt32(p, what + ".f_ver");
                        seen |= 4;
                    }
                    default -> {
                        p.skipChildren();
                        throw new InvalidContentException(
                                what + ": unexpected member \"" + name + "\"");
                    }
                }
            } catch (InvalidContentException e) {
                error = error == null ? e.getMessage() : error;
            }
        }
        if (error != null) {
            throw new InvalidContentException(error);
        }
        if (seen != 7) {
            String missing = (seen & 1) == 0 ? "f_seq" : (seen & 2) == 0 ? "f_oid" : "f_ver";
            throw new InvalidContentException(what + ": missing " + missing);
        }
        return new Fid(seq, oid, ver);
    }

    // ---------------------------------------------------------------- item

    /** Writes the item in the member order of the original server; timestamp omitted when 0. */
    public static void write(JsonGenerator g, WireItem item) throws IOException {
        g.writeStartObject();
        g.writeNumberField("hai_action", item.action());
        g.writeFieldName("hai_fid");
        writeFid(g, item.fid());
        g.writeFieldName("hai_dfid");
        writeFid(g, item.dfid());
        g.writeNumberField("hai_extent_offset", item.extentOffset());
        g.writeNumberField("hai_extent_length", item.extentLength());
        g.writeNumberField("hai_cookie", item.cookie());
        g.writeNumberField("hai_gid", item.gid());
        g.writeNumberField("hal_archive_id", item.archiveId());
        g.writeNumberField("hal_flags", item.flags());
        writeData(g, DATA, DATA_B64, item.data());
        if (item.timestamp() != 0) {
            g.writeNumberField("timestamp", item.timestamp());
        }
        if (item.extraJson() != null) {
            writeExtra(g, item.extraJson());
        }
        g.writeEndObject();
    }

    /**
     * Writes opaque bytes as a JSON string member when they are valid UTF-8, else as a base64
     * member under {@code b64Name}.
     */
    static void writeData(JsonGenerator g, String name, String b64Name, byte[] data)
            throws IOException {
        if (Utf8.isValid(data)) {
            g.writeFieldName(name);
            g.writeUTF8String(data, 0, data.length);
        } else {
            g.writeStringField(b64Name, Base64.getEncoder().encodeToString(data));
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
            if ((f.seen & (COOKIE | DFID)) != (COOKIE | DFID)) {
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
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + item.data().length);
        try (JsonGenerator g = style.generator(out)) {
            write(g, item);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory", e);
        }
        return out.toByteArray();
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
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            try {
                f.read(p, name, what);
            } catch (InvalidContentException e) {
                f.error = f.error == null ? e.getMessage() : f.error;
            }
        }
        f.finishExtra();
        return f;
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

        void read(JsonParser p, String name, String what) throws IOException, InvalidContentException {
            String member = what + "." + name;
            switch (name) {
                case "hai_action" -> {
                    action = JsonValues.readInt32(p, member);
                    seen |= ACTION;
                }
                case "hai_fid" -> {
                    fid = readFid(p, member);
                    seen |= FID;
                }
                case "hai_dfid" -> {
                    dfid = readFid(p, member);
                    seen |= DFID;
                }
                case "hai_extent_offset" -> {
                    offset = JsonValues.readLong64(p, member);
                    seen |= OFFSET;
                }
                case "hai_extent_length" -> {
                    length = JsonValues.readLong64(p, member);
                    seen |= LENGTH;
                }
                case "hai_cookie" -> {
                    cookie = JsonValues.readLong64(p, member);
                    seen |= COOKIE;
                }
                case "hai_gid" -> {
                    gid = JsonValues.readLong64(p, member);
                    seen |= GID;
                }
                case "hal_archive_id" -> archiveId = JsonValues.readInt32(p, member);
                case "hal_flags" -> flags = JsonValues.readLong64(p, member);
                case "timestamp" -> timestamp = JsonValues.readLong64(p, member);
                case DATA -> {
                    data = readTextData(p, member);
                    seen |= DATA_TEXT;
                }
                case DATA_B64 -> {
                    data = readBase64Data(p, member);
                    seen |= DATA_BASE64;
                }
                case "hai_len" -> p.skipChildren();
                default -> copyExtra(p, name);
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
                for (int i = 0; i < MANDATORY_NAMES.length; i++) {
                    if ((seen & (1 << i)) == 0) {
                        missing.add(MANDATORY_NAMES[i]);
                    }
                }
                if (data == null) {
                    missing.add(DATA);
                }
                throw new InvalidContentException(what + ": missing " + String.join(", ", missing));
            }
            if ((seen & (DATA_TEXT | DATA_BASE64)) == 0) {
                throw new InvalidContentException(what + ": missing " + DATA);
            }
            if ((seen & (DATA_TEXT | DATA_BASE64)) == (DATA_TEXT | DATA_BASE64)) {
                throw new InvalidContentException(
                        what + ": both " + DATA + " and " + DATA_B64 + " are present");
            }
        }

        WireItem toItem() {
            return new WireItem(action, fid, dfid, offset, length, cookie, gid, archiveId, flags,
                    data, timestamp, extraJson);
        }
    }

    private static byte[] readTextData(JsonParser p, String what)
            throws IOException, InvalidContentException {
        String s = JsonValues.readString(p, what);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidContentException(what + ": unpaired surrogate \\u"
                        + Integer.toHexString(c) + " at character " + i);
            }
        }
        return s.getBytes(StandardCharsets.UTF_8);
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
        return name.equals(DATA_B64) ? readBase64Data(p, what) : readTextData(p, what);
    }
}
