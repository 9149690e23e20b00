package org.coordinatool.tests.support;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A scripted coordinatool agent (or admin client) speaking the JSON protocol over TCP, as the
 * original preload library does: each message one JSON object, written compact with nothing after
 * it, replies read from a stream of concatenated objects. Replies are sorted by their
 * {@code command}, because a {@code recv} reply may arrive before or after the replies to later
 * requests.
 */
public final class ProtocolAgent implements AutoCloseable {

    public static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final Socket socket;
    private final OutputStream out;
    private final Map<String, BlockingQueue<JsonNode>> replies = new ConcurrentHashMap<>();
    private final Thread reader;
    private volatile String endOfStream;

    private ProtocolAgent(String name, Socket socket) throws IOException {
        this.name = name;
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.reader = new Thread(this::readLoop, "agent-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Connects to a coordinator on the loopback interface; {@code name} only labels failures. */
    public static ProtocolAgent connect(int port, String name) {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(CoordinatorProcess.HOST, port), 5000);
            return new ProtocolAgent(name, s);
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new UncheckedIOException("agent " + name + " cannot connect to port " + port, e);
        }
    }

    /** Limits of a {@code recv}; negative {@code max_*} means unlimited. */
    public record Limits(int maxArchive, int maxRestore, int maxRemove, long maxBytes) {
        public static final Limits UNLIMITED = new Limits(-1, -1, -1, 1 << 20);

        public static Limits of(int maxArchive, int maxRestore, int maxRemove) {
            return new Limits(maxArchive, maxRestore, maxRemove, 1 << 20);
        }
    }

    /** A {@code recv} reply's hsm_action_list. */
    public record ActionList(int archiveId, long flags, String fsname, List<ReceivedItem> items) {
    }

    public static ObjectNode message(String command) {
        return JSON.createObjectNode().put("command", command);
    }

    /** Writes {@code messages} back to back in a single write, as a pipelining client does. */
    public void send(ObjectNode... messages) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            for (ObjectNode m : messages) {
                buf.write(JSON.writeValueAsBytes(m));
            }
            sendRaw(buf.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("agent " + name + " cannot send", e);
        }
    }

    /** The next reply whose {@code command} is {@code command}, or an assertion failure. */
    public JsonNode awaitReply(String command, Duration timeout) {
        try {
            JsonNode reply = queue(command).poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (reply == null) {
                throw new AssertionError("agent " + name + ": no '" + command + "' reply within " + timeout
                        + (endOfStream == null ? "" : " (" + endOfStream + ")") + "; other replies: " + replies);
            }
            return reply;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Whether a reply of {@code command} has arrived and not been taken yet. */
    public boolean hasReply(String command) {
        return !queue(command).isEmpty();
    }

    /** An {@code ehlo} with an id, accepted archive ids (empty: any) and the items still running here. */
    public static ObjectNode ehloMessage(String id, Collection<Integer> archiveIds, Collection<ReceivedItem> running) {
        ObjectNode m = message("ehlo");
        if (id != null) {
            m.put("id", id);
        }
        if (!archiveIds.isEmpty()) {
            ArrayNode a = m.putArray("archive_ids");
            archiveIds.forEach(a::add);
        }
        if (!running.isEmpty()) {
            ArrayNode list = m.putArray("hai_list");
            running.forEach(item -> list.add(item.json()));
        }
        return m;
    }

    /** Sends {@link #ehloMessage} and returns the reply. */
    public JsonNode ehlo(String id, Collection<Integer> archiveIds, Collection<ReceivedItem> running) {
        send(ehloMessage(id, archiveIds, running));
        return awaitReply("ehlo", REPLY_TIMEOUT);
    }

    /** {@code ehlo} that must succeed. */
    public void hello(String id, Collection<Integer> archiveIds, Collection<ReceivedItem> running) {
        requireSuccess(ehlo(id, archiveIds, running));
    }

    public static ObjectNode recvMessage(Limits limits) {
        return message("recv").put("max_archive", limits.maxArchive()).put("max_restore", limits.maxRestore())
                .put("max_remove", limits.maxRemove()).put("max_bytes", limits.maxBytes());
    }

    /** Asks for work; the reply comes whenever the coordinator has some. */
    public void recv(Limits limits) {
        send(recvMessage(limits));
    }

    /** The next {@code recv} reply, which must carry an action list. */
    public ActionList awaitActionList(Duration timeout) {
        JsonNode reply = awaitReply("recv", timeout);
        JsonNode hal = reply.get("hsm_action_list");
        if (hal == null) {
            throw new AssertionError("agent " + name + ": recv reply without hsm_action_list: " + reply);
        }
        if (hal.path("hal_version").asInt() != 1 || !hal.has("hal_fsname") || !hal.path("list").isArray()) {
            throw new AssertionError("agent " + name + ": malformed hsm_action_list: " + hal);
        }
        List<ReceivedItem> items = new ArrayList<>();
        hal.get("list").forEach(i -> items.add(ReceivedItem.of(i)));
        return new ActionList(hal.path("hal_archive_id").asInt(), hal.path("hal_flags").asLong(),
                hal.get("hal_fsname").asText(), items);
    }

    /** {@code recv} then its reply. */
    public ActionList receive(Limits limits, Duration timeout) {
        recv(limits);
        return awaitActionList(timeout);
    }

    /** Sends {@code done} for {@code item} without waiting for the reply. */
    public void sendDone(ReceivedItem item, int status) {
        send(message("done").put("hai_cookie", item.cookie()).put("status", status)
                .set("hai_dfid", fidNode(item)));
    }

    /** {@code done} that must be acknowledged with success. */
    public void done(ReceivedItem item, int status) {
        sendDone(item, status);
        requireSuccess(awaitReply("done", REPLY_TIMEOUT));
    }

    public JsonNode status(int verbose) {
        send(message("status").put("verbose", verbose));
        return awaitReply("status", REPLY_TIMEOUT);
    }

    public static JsonNode requireSuccess(JsonNode reply) {
        if (reply.path("status").asInt() != 0) {
            throw new AssertionError("request failed: " + reply);
        }
        return reply;
    }

    /** Parses a JSON text with the agent's mapper (for dumps written by tests). */
    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode fidNode(ReceivedItem item) {
        return JSON.createObjectNode().put("f_seq", item.dfid().seq()).put("f_oid", item.dfid().oid())
                .put("f_ver", item.dfid().ver());
    }

    private BlockingQueue<JsonNode> queue(String command) {
        return replies.computeIfAbsent(command, c -> new LinkedBlockingQueue<>());
    }

    private void readLoop() {
        try (JsonParser parser = JSON.getFactory().createParser(socket.getInputStream())) {
            while (true) {
                JsonNode reply = JSON.readTree(parser);
                if (reply == null) {
                    endOfStream = "connection closed by the coordinator";
                    return;
                }
                if (!reply.path("command").isTextual()) {
                    endOfStream = "reply without command: " + reply;
                    return;
                }
                queue(reply.get("command").asText()).add(reply);
            }
        } catch (IOException e) {
            endOfStream = socket.isClosed() ? "closed by the agent" : "read failed: " + e;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
            reader.join(5000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
