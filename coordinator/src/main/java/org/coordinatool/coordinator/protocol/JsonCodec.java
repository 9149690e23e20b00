package org.coordinatool.coordinator.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.coordinatool.hsm.Fid;

/**
 * Encoding and decoding of whole protocol messages (spec §2.4): commands sent by clients and the
 * server's replies. Server replies follow the omission rules: integers equal to 0, null or empty
 * strings and false booleans are left out, except inside the fixed-shape item and fid objects.
 * Client requests are written with all their members, as the original clients do.
 */
public final class JsonCodec {

    /** Default limits of a recv request whose members are missing (spec §2.4.2). */
    public static final long DEFAULT_MAX_COUNT = -1;
    public static final long DEFAULT_MAX_BYTES = 1048576;
    /** Default verbosity of a status request: the "normal" log level. */
    public static final int DEFAULT_STATUS_VERBOSE = 4;

    private JsonCodec() {
    }

    // ================================================================ commands (server side)

    /**
     * Decodes one message. Never throws: invalid JSON, a non-object, a missing or unknown
     * command and members of the wrong type all become {@link Command.Invalid}, carrying the
     * command name when it could be read before the problem.
     */
    public static Command decodeCommand(byte[] data, int offset, int length) {
        CommandFields f = new CommandFields();
        try (JsonParser p = JsonStyle.parser(data, offset, length)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                p.skipChildren();
                return new Command.Invalid(null, "a message must be a JSON object, got "
                        + JsonValues.describe(first));
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                try {
                    f.read(p, name);
                } catch (InvalidContentException e) {
                    f.errors.putIfAbsent(name, e.getMessage());
                }
            }
            if (p.nextToken() != null) {
                return new Command.Invalid(f.command, "unexpected data after the JSON object");
            }
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at byte " + e.getLocation().getByteOffset();
            return new Command.Invalid(f.command, "invalid JSON: " + e.getOriginalMessage() + where);
        } catch (IOException e) {
            throw new UncheckedIOException("reading JSON from memory", e);
        }
        return f.toCommand();
    }

    public static Command decodeCommand(byte[] data) {
        return decodeCommand(data, 0, data.length);
    }

    /** Members of any command, gathered in one streaming pass since "command" may come last. */
    private static final class CommandFields {
        String command;
        String commandError;
        final Map<String, String> errors = new LinkedHashMap<>();
        String id;
        String token;
        String fsname;
        String halFsname;
        List<Long> archiveIds;
        List<WireItem> haiList;
        final List<String> invalidClaims = new ArrayList<>();
        long maxArchive = DEFAULT_MAX_COUNT;
        long maxRestore = DEFAULT_MAX_COUNT;
        long maxRemove = DEFAULT_MAX_COUNT;
        long maxBytes = DEFAULT_MAX_BYTES;
        Long cookie;
        Fid dfid;
        int status;
        List<WireItem> items;
        final List<String> invalidItems = new ArrayList<>();
        int verbose = DEFAULT_STATUS_VERBOSE;
        long locked;
        String fid;
        String path;

        void read(JsonParser p, String name) throws IOException, InvalidContentException {
            switch (name) {
                case "command" -> {
                    if (p.currentToken() == JsonToken.VALUE_STRING) {
                        command = p.getText();
                    } else {
                        commandError = JsonValues.mismatch(p, "command", "a string").getMessage();
                    }
                }
                case "id" -> id = JsonValues.readString(p, name);
                case "token" -> token = JsonValues.readString(p, name);
                case "fsname" -> fsname = JsonValues.readString(p, name);
                case "hal_fsname" -> halFsname = JsonValues.readString(p, name);
                case "archive_ids" -> archiveIds = readArchiveIds(p);
                case "hai_list" -> haiList = readItems(p, name, true, invalidClaims);
                case "max_archive" -> maxArchive = JsonValues.readInt32(p, name);
                case "max_restore" -> maxRestore = JsonValues.readInt32(p, name);
                case "max_remove" -> maxRemove = JsonValues.readInt32(p, name);
                case "max_bytes" -> maxBytes = JsonValues.readLong64(p, name);
                case "hai_cookie" -> cookie = readOptional(() -> JsonValues.readLong64(p, name));
                case "hai_dfid" -> dfid = readOptional(() -> ItemJson.readFid(p, name));
                case "status" -> status = JsonValues.readInt32(p, name);
                case "hsm_action_items" -> items = readItems(p, name, false, invalidItems);
                case "verbose" -> verbose = JsonValues.readInt32(p, name);
                case "locked" -> locked = JsonValues.readLong64(p, name);
                case FindJson.FID -> fid = JsonValues.readString(p, name);
                case FindJson.PATH -> path = JsonValues.readString(p, name);
                default -> p.skipChildren();
            }
        }

        /** done's key members: a malformed value reads as absent, the core then refuses it. */
        private static <T> T readOptional(ValueReader<T> reader) throws IOException {
            try {
                return reader.read();
            } catch (InvalidContentException e) {
                return null;
            }
        }

        private static List<Long> readArchiveIds(JsonParser p) throws IOException, InvalidContentException {
            JsonValues.requireArray(p, "archive_ids");
            List<Long> ids = new ArrayList<>();
            String error = null;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                try {
                    ids.add(JsonValues.readLong64(p, "archive_ids[" + ids.size() + "]"));
                } catch (InvalidContentException e) {
                    error = error == null ? e.getMessage() : error;
                    ids.add(0L);
                }
            }
            if (error != null) {
                throw new InvalidContentException(error);
            }
            return ids;
        }

        private static List<WireItem> readItems(JsonParser p, String name, boolean claims,
                                                List<String> invalid)
                throws IOException, InvalidContentException {
            JsonValues.requireArray(p, name);
            List<WireItem> items = new ArrayList<>();
            int index = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                String what = name + "[" + index++ + "]";
                try {
                    items.add(claims ? ItemJson.readClaim(p, what) : ItemJson.read(p, what));
                } catch (InvalidContentException e) {
                    invalid.add(e.getMessage());
                }
            }
            return items;
        }

        Command toCommand() {
            if (commandError != null) {
                return new Command.Invalid(null, commandError);
            }
            if (command == null) {
                return new Command.Invalid(null, "missing \"command\" member");
            }
            return switch (command) {
                case "ehlo" -> check(new Command.Ehlo(id, fsname, archiveIds, haiList,
                        List.copyOf(invalidClaims), token), "id", "fsname", "archive_ids", "hai_list", "token");
                case "recv" -> check(new Command.Recv(maxArchive, maxRestore, maxRemove, maxBytes),
                        "max_archive", "max_restore", "max_remove", "max_bytes");
                case "done" -> check(new Command.Done(cookie, dfid, status), "status");
                case "queue" -> check(new Command.Queue(items != null,
                        items == null ? List.of() : items, List.copyOf(invalidItems),
                        fsname != null ? fsname : halFsname), "hsm_action_items", "fsname", "hal_fsname");
                case "status" -> check(new Command.Status(verbose), "verbose");
                case "lock" -> check(new Command.Lock(locked), "locked");
                case "find" -> {
                    Command invalid = check(null, FindJson.FID, FindJson.PATH);
                    yield invalid != null ? invalid : FindJson.command(fid, path);
                }
                default -> new Command.Invalid(command, "unknown command \"" + command + "\"");
            };
        }

        private Command check(Command valid, String... members) {
            for (String m : members) {
                String error = errors.get(m);
                if (error != null) {
                    return new Command.Invalid(command, command + ": " + error);
                }
            }
            return valid;
        }
    }

    @FunctionalInterface
    private interface ValueReader<T> {
        T read() throws IOException, InvalidContentException;
    }

    // ================================================================ replies (server side)

    /** Writes one reply in the original server's layout, with nothing after the object. */
    public static void encodeReply(Reply reply, OutputStream out) throws IOException {
        try (JsonGenerator g = JsonStyle.WIRE.generator(out)) {
            writeReply(g, reply);
        }
    }

    public static byte[] encodeReply(Reply reply) {
        return JsonStyle.WIRE.toBytes(g -> writeReply(g, reply));
    }

    private static void writeReply(JsonGenerator g, Reply reply) throws IOException {
        g.writeStartObject();
        if (reply instanceof Reply.Simple s) {
            g.writeStringField("command", s.command());
            writeStatus(g, s.status(), s.error());
        } else if (reply instanceof Reply.QueueResult q) {
            g.writeStringField("command", q.command());
            writeNonZero(g, "enqueued", q.enqueued());
            writeNonZero(g, "skipped", q.skipped());
            writeStatus(g, q.status(), q.error());
        } else if (reply instanceof Reply.ActionList a) {
            g.writeFieldName("hsm_action_list");
            g.writeStartObject();
            g.writeNumberField("hal_version", 1);
            g.writeNumberField("hal_archive_id", a.archiveId());
            writeNonZero(g, "hal_flags", a.flags());
            writeNonEmpty(g, "hal_fsname", a.fsname());
            g.writeArrayFieldStart("list");
            for (WireItem item : a.items()) {
                ItemJson.write(g, item);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeStringField("command", a.command());
        } else if (reply instanceof Reply.FindResult f) {
            FindJson.writeReply(g, f);
        } else {
            writeStatusReport(g, (Reply.StatusReport) reply);
        }
        g.writeEndObject();
    }

    private static void writeStatusReport(JsonGenerator g, Reply.StatusReport r) throws IOException {
        g.writeStringField("command", r.command());
        Reply.Counters c = r.counters();
        writeNonZero(g, "running_restore", c.runningRestore());
        writeNonZero(g, "running_archive", c.runningArchive());
        writeNonZero(g, "running_remove", c.runningRemove());
        writeNonZero(g, "pending_restore", c.pendingRestore());
        writeNonZero(g, "pending_archive", c.pendingArchive());
        writeNonZero(g, "pending_remove", c.pendingRemove());
        writeNonZero(g, "pending_cancel", c.pendingCancel());
        writeNonZero(g, "done_restore", c.doneRestore());
        writeNonZero(g, "done_archive", c.doneArchive());
        writeNonZero(g, "done_remove", c.doneRemove());
        writeNonZero(g, "done_cancel", c.doneCancel());
        writeNonZero(g, "clients_connected", r.clientsConnected());
        writeNonZero(g, "locked", r.locked());
        g.writeArrayFieldStart("clients");
        for (Reply.ClientReport client : r.clients()) {
            writeClient(g, client);
        }
        g.writeEndArray();
        Reply.QueueDump q = r.globalQueues();
        if (q != null) {
            writeDump(g, "waiting_restore", q.waitingRestore());
            writeDump(g, "waiting_remove", q.waitingRemove());
            writeDump(g, "waiting_archive", q.waitingArchive());
        }
    }

    private static void writeClient(JsonGenerator g, Reply.ClientReport c) throws IOException {
        g.writeStartObject();
        writeNonEmpty(g, "client_id", c.clientId());
        writeNonZero(g, "current_restore", c.currentRestore());
        writeNonZero(g, "current_archive", c.currentArchive());
        writeNonZero(g, "current_remove", c.currentRemove());
        writeNonZero(g, "done_restore", c.doneRestore());
        writeNonZero(g, "done_archive", c.doneArchive());
        writeNonZero(g, "done_remove", c.doneRemove());
        writeNonEmpty(g, "status", c.state());
        Reply.ClientQueueDump q = c.queues();
        if (q != null) {
            writeDump(g, "active_requests", q.activeRequests());
            writeDump(g, "waiting_restore", q.waitingRestore());
            writeDump(g, "waiting_remove", q.waitingRemove());
            writeDump(g, "waiting_archive", q.waitingArchive());
            writeDump(g, "cancels", q.cancels());
        }
        g.writeArrayFieldStart("batches");
        for (Reply.BatchReport b : c.batches()) {
            g.writeStartObject();
            writeNonEmpty(g, "hint", b.hint());
            writeNonZero(g, "current_count", b.currentCount());
            writeNonZero(g, "expire_idle_s", b.expireIdleS());
            writeNonZero(g, "expire_max_s", b.expireMaxS());
            if (b.waitingArchive() != null) {
                writeDump(g, "waiting_archive", b.waitingArchive());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        writeNonZero(g, "disconnected_timestamp", c.disconnectedTimestamp());
        if (c.limits() != null) {
            // Written even when 0 (no work of that type), which an absent member could not tell.
            g.writeNumberField("max_restore", c.limits().maxRestore());
            g.writeNumberField("max_archive", c.limits().maxArchive());
            g.writeNumberField("max_remove", c.limits().maxRemove());
        }
        g.writeEndObject();
    }

    private static void writeDump(JsonGenerator g, String name, List<Reply.DumpEntry> entries)
            throws IOException {
        g.writeArrayFieldStart(name);
        for (Reply.DumpEntry e : entries) {
            g.writeStartObject();
            g.writeFieldName("hai_fid");
            ItemJson.writeFid(g, e.dfid());
            g.writeNumberField("hai_cookie", e.cookie());
            ItemJson.writeData(g, upToNul(e.data()));
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static byte[] upToNul(byte[] data) {
        for (int i = 0; i < data.length; i++) {
            if (data[i] == 0) {
                return java.util.Arrays.copyOf(data, i);
            }
        }
        return data;
    }

    private static void writeStatus(JsonGenerator g, int status, String error) throws IOException {
        writeNonZero(g, "status", status);
        writeNonEmpty(g, "error", error);
    }

    private static void writeNonZero(JsonGenerator g, String name, long value) throws IOException {
        if (value != 0) {
            g.writeNumberField(name, value);
        }
    }

    private static void writeNonEmpty(JsonGenerator g, String name, String value) throws IOException {
        if (value != null && !value.isEmpty()) {
            g.writeStringField(name, value);
        }
    }

    // ================================================================ commands (client side)

    /** Encodes a request the way the original clients lay it out. */
    public static byte[] encodeCommand(Command command) {
        return JsonStyle.WIRE.toBytes(g -> writeCommand(g, command));
    }

    private static void writeCommand(JsonGenerator g, Command command) throws IOException {
        g.writeStartObject();
        if (command instanceof Command.Ehlo e) {
            g.writeStringField("command", e.name());
            writeNonEmpty(g, "fsname", e.fsname());
            if (e.haiList() != null && !e.haiList().isEmpty()) {
                g.writeArrayFieldStart("hai_list");
                for (WireItem item : e.haiList()) {
                    ItemJson.write(g, item);
                }
                g.writeEndArray();
            }
            if (e.archiveIds() != null && !e.archiveIds().isEmpty()) {
                g.writeArrayFieldStart("archive_ids");
                for (long id : e.archiveIds()) {
                    g.writeNumber(id);
                }
                g.writeEndArray();
            }
            writeNonEmpty(g, "id", e.id());
            writeNonEmpty(g, "token", e.token());
        } else if (command instanceof Command.Recv r) {
            g.writeStringField("command", r.name());
            g.writeNumberField("max_archive", r.maxArchive());
            g.writeNumberField("max_restore", r.maxRestore());
            g.writeNumberField("max_remove", r.maxRemove());
            g.writeNumberField("max_bytes", r.maxBytes());
        } else if (command instanceof Command.Done d) {
            g.writeStringField("command", d.name());
            g.writeNumberField("hai_cookie", d.cookie());
            g.writeFieldName("hai_dfid");
            ItemJson.writeFid(g, d.dfid());
            g.writeNumberField("status", d.status());
        } else if (command instanceof Command.Queue q) {
            writeNonEmpty(g, "fsname", q.fsname());
            g.writeArrayFieldStart("hsm_action_items");
            for (WireItem item : q.items()) {
                ItemJson.write(g, item);
            }
            g.writeEndArray();
            g.writeStringField("command", q.name());
        } else if (command instanceof Command.Status st) {
            g.writeStringField("command", st.name());
            g.writeNumberField("verbose", st.verbose());
        } else if (command instanceof Command.Lock l) {
            g.writeStringField("command", l.name());
            g.writeNumberField("locked", l.locked());
        } else if (command instanceof Command.Find f) {
            FindJson.writeCommand(g, f);
        } else {
            throw new IllegalArgumentException("an invalid command cannot be sent: "
                    + ((Command.Invalid) command).error());
        }
        g.writeEndObject();
    }

    // ================================================================ replies (client side)

    /**
     * Re-lays out one JSON document in {@code style}, members in their original order and
     * numbers as written.
     *
     * @throws InvalidContentException when the document is not valid JSON
     */
    public static String relayout(byte[] json, JsonStyle style) throws InvalidContentException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length * 2);
        try (JsonParser p = JsonStyle.parser(json, 0, json.length);
             JsonGenerator g = style.generator(out)) {
            p.nextToken();
            ItemJson.copyValue(p, g);
        } catch (JsonProcessingException e) {
            throw new InvalidContentException("invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("reading JSON from memory", e);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Decodes a server reply. Members it does not know are ignored; an error status on a status
     * or recv reply gives a {@link Reply.Simple}.
     *
     * @throws InvalidContentException on invalid JSON or content that does not fit a reply
     */
    public static Reply decodeReply(byte[] data, int offset, int length) throws InvalidContentException {
        try (JsonParser p = JsonStyle.parser(data, offset, length)) {
            p.nextToken();
            JsonValues.requireObject(p, "reply");
            ReplyFields f = new ReplyFields();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                f.read(p, name);
            }
            if (p.nextToken() != null) {
                throw new InvalidContentException("reply: unexpected data after the object");
            }
            return f.toReply();
        } catch (JsonProcessingException e) {
            throw new InvalidContentException("reply: invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("reading JSON from memory", e);
        }
    }

    public static Reply decodeReply(byte[] data) throws InvalidContentException {
        return decodeReply(data, 0, data.length);
    }

    /** Members of any reply. */
    private static final class ReplyFields {
        String command;
        int status;
        String error;
        long enqueued;
        long skipped;
        Reply.ActionList actionList;
        final long[] counters = new long[COUNTER_NAMES.length];
        long clientsConnected;
        int locked;
        List<Reply.ClientReport> clients = List.of();
        Map<String, List<Reply.DumpEntry>> dumps;
        String fid;
        List<Reply.Found> found;

        void read(JsonParser p, String name) throws IOException, InvalidContentException {
            switch (name) {
                case "command" -> command = JsonValues.readString(p, name);
                case "status" -> status = JsonValues.readInt32(p, name);
                case "error" -> error = JsonValues.readString(p, name);
                case "enqueued" -> enqueued = JsonValues.readLong64(p, name);
                case "skipped" -> skipped = JsonValues.readLong64(p, name);
                case "hsm_action_list" -> actionList = readActionList(p);
                case "clients_connected" -> clientsConnected = JsonValues.readLong64(p, name);
                case "locked" -> locked = JsonValues.readInt32(p, name);
                case "clients" -> clients = readClients(p);
                case FindJson.FID -> fid = JsonValues.readString(p, name);
                case FindJson.REQUESTS -> found = FindJson.readRequests(p, name);
                case "waiting_restore", "waiting_remove", "waiting_archive" -> {
                    if (dumps == null) {
                        dumps = new LinkedHashMap<>();
                    }
                    dumps.put(name, readDump(p, name));
                }
                default -> {
                    int counter = COUNTER_INDEX.getOrDefault(name, -1);
                    if (counter >= 0) {
                        counters[counter] = JsonValues.readLong64(p, name);
                    } else {
                        p.skipChildren();
                    }
                }
            }
        }

        Reply toReply() throws InvalidContentException {
            if (command == null) {
                throw new InvalidContentException("reply: missing \"command\" member");
            }
            if (status != 0) {
                return command.equals("queue")
                        ? new Reply.QueueResult(enqueued, skipped, status, error)
                        : new Reply.Simple(command, status, error);
            }
            return switch (command) {
                case "queue" -> new Reply.QueueResult(enqueued, skipped, status, error);
                case "recv" -> actionList != null ? actionList : new Reply.Simple(command, status, error);
                case "status" -> new Reply.StatusReport(new Reply.Counters(counters[0], counters[1],
                        counters[2], counters[3], counters[4], counters[5], counters[6],
                        counters[7], counters[8], counters[9], counters[10]),
                        clientsConnected, locked, clients, dumps == null ? null
                        : new Reply.QueueDump(dump(dumps, "waiting_restore"),
                                dump(dumps, "waiting_remove"), dump(dumps, "waiting_archive")));
                case "find" -> {
                    if (fid == null || found == null) {
                        throw new InvalidContentException("find reply: missing fid or requests");
                    }
                    yield new Reply.FindResult(FindJson.parseFid(fid), found);
                }
                default -> new Reply.Simple(command, status, error);
            };
        }
    }

    private static final String[] COUNTER_NAMES = {
        "running_restore", "running_archive", "running_remove",
        "pending_restore", "pending_archive", "pending_remove", "pending_cancel",
        "done_restore", "done_archive", "done_remove", "done_cancel",
    };
    private static final Map<String, Integer> COUNTER_INDEX = new java.util.HashMap<>();

    static {
        for (int i = 0; i < COUNTER_NAMES.length; i++) {
            COUNTER_INDEX.put(COUNTER_NAMES[i], i);
        }
    }

    private static List<Reply.DumpEntry> dump(Map<String, List<Reply.DumpEntry>> dumps, String name) {
        return dumps.getOrDefault(name, List.of());
    }

    private static Reply.ActionList readActionList(JsonParser p) throws IOException, InvalidContentException {
        JsonValues.requireObject(p, "hsm_action_list");
        int archiveId = 0;
        long flags = 0;
        String fsname = null;
        List<WireItem> items = null;
        int version = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            String what = "hsm_action_list." + name;
            switch (name) {
                case "hal_version" -> version = JsonValues.readInt32(p, what);
                case "hal_archive_id" -> archiveId = JsonValues.readInt32(p, what);
                case "hal_flags" -> flags = JsonValues.readLong64(p, what);
                case "hal_fsname" -> fsname = JsonValues.readString(p, what);
                case "list" -> {
                    JsonValues.requireArray(p, what);
                    items = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        items.add(ItemJson.read(p, what + "[" + items.size() + "]"));
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (version != 1) {
            throw new InvalidContentException("hsm_action_list: unsupported hal_version " + version);
        }
        if (items == null) {
            throw new InvalidContentException("hsm_action_list: missing list");
        }
        return new Reply.ActionList(archiveId, flags, fsname, items);
    }

    private static List<Reply.ClientReport> readClients(JsonParser p) throws IOException, InvalidContentException {
        JsonValues.requireArray(p, "clients");
        List<Reply.ClientReport> clients = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            clients.add(readClient(p, "clients[" + clients.size() + "]"));
        }
        return clients;
    }

    private static Reply.ClientReport readClient(JsonParser p, String what)
            throws IOException, InvalidContentException {
        JsonValues.requireObject(p, what);
        String id = null;
        String state = null;
        long[] v = new long[6];
        long[] max = {-1, -1, -1};
        boolean limits = false;
        long disconnected = 0;
        List<Reply.BatchReport> batches = List.of();
        Map<String, List<Reply.DumpEntry>> dumps = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            String member = what + "." + name;
            switch (name) {
                case "client_id" -> id = JsonValues.readString(p, member);
                case "status" -> state = JsonValues.readString(p, member);
                case "current_restore" -> v[0] = JsonValues.readLong64(p, member);
                case "current_archive" -> v[1] = JsonValues.readLong64(p, member);
                case "current_remove" -> v[2] = JsonValues.readLong64(p, member);
                case "done_restore" -> v[3] = JsonValues.readLong64(p, member);
                case "done_archive" -> v[4] = JsonValues.readLong64(p, member);
                case "done_remove" -> v[5] = JsonValues.readLong64(p, member);
                case "disconnected_timestamp" -> disconnected = JsonValues.readLong64(p, member);
                case "max_restore", "max_archive", "max_remove" -> {
                    max[name.equals("max_restore") ? 0 : name.equals("max_archive") ? 1 : 2] =
                            JsonValues.readLong64(p, member);
                    limits = true;
                }
                case "batches" -> batches = readBatches(p, member);
                case "active_requests", "waiting_restore", "waiting_remove", "waiting_archive",
                        "cancels" -> {
                    if (dumps == null) {
                        dumps = new LinkedHashMap<>();
                    }
                    dumps.put(name, readDump(p, member));
                }
                default -> p.skipChildren();
            }
        }
        Reply.ClientQueueDump queues = dumps == null ? null : new Reply.ClientQueueDump(
                dump(dumps, "active_requests"), dump(dumps, "waiting_restore"),
                dump(dumps, "waiting_remove"), dump(dumps, "waiting_archive"), dump(dumps, "cancels"));
        return new Reply.ClientReport(id, v[0], v[1], v[2], v[3], v[4], v[5], state, batches,
                disconnected, queues, limits ? new Reply.Limits(max[0], max[1], max[2]) : null);
    }

    private static List<Reply.BatchReport> readBatches(JsonParser p, String what)
            throws IOException, InvalidContentException {
        JsonValues.requireArray(p, what);
        List<Reply.BatchReport> batches = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            String base = what + "[" + batches.size() + "]";
            JsonValues.requireObject(p, base);
            String hint = null;
            long count = 0;
            long idle = 0;
            long max = 0;
            List<Reply.DumpEntry> waiting = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                String member = base + "." + name;
                switch (name) {
                    case "hint" -> hint = JsonValues.readString(p, member);
                    case "current_count" -> count = JsonValues.readLong64(p, member);
                    case "expire_idle_s" -> idle = JsonValues.readLong64(p, member);
                    case "expire_max_s" -> max = JsonValues.readLong64(p, member);
                    case "waiting_archive" -> waiting = readDump(p, member);
                    default -> p.skipChildren();
                }
            }
            batches.add(new Reply.BatchReport(hint, count, idle, max, waiting));
        }
        return batches;
    }

    private static List<Reply.DumpEntry> readDump(JsonParser p, String what)
            throws IOException, InvalidContentException {
        JsonValues.requireArray(p, what);
        List<Reply.DumpEntry> entries = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            String base = what + "[" + entries.size() + "]";
            JsonValues.requireObject(p, base);
            Fid fid = null;
            long cookie = 0;
            byte[] data = new byte[0];
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                String member = base + "." + name;
                switch (name) {
                    case "hai_fid" -> fid = ItemJson.readFid(p, member);
                    case "hai_cookie" -> cookie = JsonValues.readLong64(p, member);
                    case ItemJson.DATA, ItemJson.DATA_B64 -> data = ItemJson.readData(p, name, member);
                    default -> p.skipChildren();
                }
            }
            if (fid == null) {
                throw new InvalidContentException(base + ": missing hai_fid");
            }
            entries.add(new Reply.DumpEntry(fid, cookie, data));
        }
        return entries;
    }
}
