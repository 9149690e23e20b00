package org.coordinatool.coordinator.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.coordinatool.hsm.Fid;
import org.coordinatool.hsm.FidFormatException;

/**
 * The JSON form of the {@code find} extension: the command names a file by {@code "fid"} (a FID
 * string, with or without brackets) or by {@code "path"} (absolute, resolved by the server); the
 * reply lists the file's requests under {@code "requests"}.
 */
public final class FindJson {

    static final String FID = "fid";
    static final String PATH = "path";
    static final String REQUESTS = "requests";

    private FindJson() {
    }

    /**
     * A FID as {@code [0x200000401:0x1:0x0]} or {@code 0x200000401:0x1:0x0}, with nothing around it.
     *
     * @throws InvalidContentException with the reason when the text is not such a FID
     */
    public static Fid parseFid(String text) throws InvalidContentException {
        try {
            Fid.Prefix p = Fid.parsePrefix(text, 0);
            if (p.bracketed() && !p.closed()) {
                throw new InvalidContentException("invalid FID \"" + text + "\": missing ']'");
            }
            if (p.end() != text.length() || Character.isWhitespace(text.charAt(0))) {
                throw new InvalidContentException("invalid FID \"" + text + "\": unexpected text around the FID");
            }
            return p.fid();
        } catch (FidFormatException e) {
            throw new InvalidContentException(e.getMessage());
        }
    }

    /** The command from its members as read (null when absent), or why they do not form one. */
    static Command command(String fidText, String path) {
        if (fidText != null && path != null) {
            return invalid("give \"fid\" or \"path\", not both");
        }
        if (fidText == null && path == null) {
            return invalid("missing \"fid\" or \"path\"");
        }
        if (path != null) {
            if (!path.startsWith("/")) {
                return invalid("path must be absolute, got \"" + path + "\"");
            }
            if (path.indexOf('\0') >= 0) {
                return invalid("path contains a NUL character");
            }
            return new Command.Find(null, path);
        }
        try {
            return new Command.Find(parseFid(fidText), null);
        } catch (InvalidContentException e) {
            return invalid("fid: " + e.getMessage());
        }
    }

    private static Command invalid(String reason) {
        return new Command.Invalid("find", "find: " + reason);
    }

    static void writeCommand(JsonGenerator g, Command.Find f) throws IOException {
        g.writeStringField("command", f.name());
        if (f.fid() != null) {
            g.writeStringField(FID, f.fid().format());
        } else {
            g.writeStringField(PATH, f.path());
        }
    }

    /** The reply's members; zero numbers, null strings and false are left out as in every reply. */
    static void writeReply(JsonGenerator g, Reply.FindResult r) throws IOException {
        g.writeStringField("command", r.command());
        g.writeStringField(FID, r.fid().format());
        g.writeArrayFieldStart(REQUESTS);
        for (Reply.Found f : r.requests()) {
            g.writeStartObject();
            g.writeStringField("action", f.action());
            g.writeNumberField("hai_cookie", f.cookie());
            writeNonZero(g, "hal_archive_id", f.archiveId());
            g.writeStringField("state", f.state());
            if (f.queue() != null) {
                g.writeStringField("queue", f.queue());
            }
            if (f.clientId() != null) {
                g.writeStringField("client_id", f.clientId());
            }
            if ("batch".equals(f.queue())) {
                g.writeNumberField("batch_slot", f.slot());
            }
            writeNonZero(g, "position", f.position());
            writeNonZero(g, "queue_length", f.queueLength());
            writeNonZero(g, "since", f.sinceEpochNanos());
            if (f.cancelPending()) {
                g.writeBooleanField("cancel_pending", true);
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeNonZero(JsonGenerator g, String name, long value) throws IOException {
        if (value != 0) {
            g.writeNumberField(name, value);
        }
    }

    static List<Reply.Found> readRequests(JsonParser p, String what) throws IOException, InvalidContentException {
        JsonValues.requireArray(p, what);
        List<Reply.Found> found = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            found.add(readFound(p, what + "[" + found.size() + "]"));
        }
        return found;
    }

    private static Reply.Found readFound(JsonParser p, String what) throws IOException, InvalidContentException {
        JsonValues.requireObject(p, what);
        String action = null;
        long cookie = 0;
        int archiveId = 0;
        String state = null;
        String queue = null;
        String clientId = null;
        int slot = 0;
        long position = 0;
        long length = 0;
        long since = 0;
        boolean cancelPending = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "action" -> action = JsonValues.readString(p, what + "." + name);
                case "hai_cookie" -> cookie = JsonValues.readLong64(p, what, name, null);
                case "hal_archive_id" -> archiveId = JsonValues.readInt32(p, what, name, null);
                case "state" -> state = JsonValues.readString(p, what + "." + name);
                case "queue" -> queue = JsonValues.readString(p, what + "." + name);
                case "client_id" -> clientId = JsonValues.readString(p, what + "." + name);
                case "batch_slot" -> slot = JsonValues.readInt32(p, what, name, null);
                case "position" -> position = JsonValues.readLong64(p, what, name, null);
                case "queue_length" -> length = JsonValues.readLong64(p, what, name, null);
                case "since" -> since = JsonValues.readLong64(p, what, name, null);
                case "cancel_pending" -> {
                    JsonToken t = p.currentToken();
                    if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
                        throw JsonValues.mismatch(p, what + "." + name, "a boolean");
                    }
                    cancelPending = t == JsonToken.VALUE_TRUE;
                }
                default -> p.skipChildren();
            }
        }
        if (action == null || state == null) {
            throw new InvalidContentException(what + ": missing action or state");
        }
        return new Reply.Found(action, cookie, archiveId, state, queue, clientId, slot, position, length, since,
                cancelPending);
    }
}
