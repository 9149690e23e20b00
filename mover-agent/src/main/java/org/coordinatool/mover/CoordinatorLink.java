package org.coordinatool.mover;

import java.io.IOException;
import org.coordinatool.coordinator.client.Backoff;
import org.coordinatool.coordinator.client.ClientProtection;
import org.coordinatool.coordinator.client.Deadline;
import org.coordinatool.coordinator.client.ServerConnection;
import org.coordinatool.coordinator.protocol.Command;
import org.coordinatool.coordinator.protocol.InvalidContentException;
import org.coordinatool.coordinator.protocol.JsonCodec;
import org.coordinatool.coordinator.protocol.Reply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's connection to the coordinator. Connecting (with back-off, until it works) and
 * reading run on threads of their own; everything they learn is handed to the agent on its loop,
 * tagged with the connection's generation so that news from a connection already given up is
 * dropped. All methods are called on the loop.
 */
final class CoordinatorLink {

    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorLink.class);

    /** A connection that breaks sooner than this after its ehlo counts as a failed attempt. */
    private static final long SHORT_LIVED_NANOS = 1_000_000_000L;

    /** Called on the loop. */
    interface Events {
        /** The ehlo for the next attempt. */
        Command.Ehlo nextEhlo();

        void connected();

        void received(Reply reply);

        /** The connection broke; a new one is being opened. */
        void lost(String reason);
    }

    enum State { IDLE, CONNECTING, CONNECTED, CLOSED }

    private final String host;
    private final String port;
    private final ClientProtection protection;
    private final Backoff backoff;
    private final AgentLoop loop;
    private final Events events;
    private State state = State.IDLE;
    private int generation;
    private ServerConnection connection;
    private Thread connector;
    private long connectedAt;
    private int shortLived;

    CoordinatorLink(String host, String port, ClientProtection protection, Backoff backoff, AgentLoop loop,
                    Events events) {
        this.host = host;
        this.port = port;
        this.protection = protection;
        this.backoff = backoff;
        this.loop = loop;
        this.events = events;
    }

    State state() {
        return state;
    }

    boolean connected() {
        return state == State.CONNECTED;
    }

    String address() {
        return host + ":" + port;
    }

    /** Starts connecting, if not already connected or connecting. */
    void connect() {
        if (state == State.IDLE) {
            startConnector();
        }
    }

    /** Drops the current connection (or attempt) and opens a new one. */
    void reconnect() {
        if (state == State.CLOSED) {
            return;
        }
        drop();
        startConnector();
    }

    /** Writes a request; a failure is reported through {@link Events#lost} from the loop. */
    void send(Command command) {
        if (state != State.CONNECTED) {
            throw new IllegalStateException("not connected to the coordinator");
        }
        int gen = generation;
        try {
            connection.send(command);
        } catch (IOException e) {
            loop.execute(() -> broken(gen, "writing to the coordinator failed: " + e.getMessage()));
        }
    }

    void close() {
        drop();
        state = State.CLOSED;
    }

    private void drop() {
        generation++;
        if (connection != null) {
            closeQuietly(connection);
            connection = null;
            if (System.nanoTime() - connectedAt < SHORT_LIVED_NANOS) {
                shortLived++;
            } else {
                shortLived = 0;
            }
        }
        if (connector != null) {
            connector.interrupt();
            connector = null;
        }
        state = State.IDLE;
    }

    private void startConnector() {
        state = State.CONNECTING;
        int gen = generation;
        long pause = shortLived == 0 ? 0 : backoff.delayMillis(shortLived);
        connector = new Thread(() -> connectLoop(gen, pause), "coordinator-connect");
        connector.setDaemon(true);
        connector.start();
    }

    private void connectLoop(int gen, long firstPause) {
        long pause = firstPause;
        try {
            while (true) {
                Thread.sleep(pause);
                try {
                    ServerConnection c = ServerConnection.open(host, port, protection, () -> loop.call(() -> {
                        if (gen != generation) {
                            throw new IllegalStateException("connection attempt abandoned");
                        }
                        return events.nextEhlo();
                    }), backoff, Deadline.NONE);
                    loop.execute(() -> opened(gen, c));
                    return;
                } catch (IOException e) {
                    pause = backoff.maxMillis();
                    LOG.error("cannot connect to the coordinator at {}: {}; retrying in {} ms", address(),
                            e.getMessage(), pause);
                }
            }
        } catch (InterruptedException e) {
            LOG.debug("connection attempt to {} abandoned", address());
        }
    }

    private void opened(int gen, ServerConnection c) {
        if (gen != generation || state != State.CONNECTING) {
            closeQuietly(c);
            return;
        }
        connection = c;
        connector = null;
        connectedAt = System.nanoTime();
        state = State.CONNECTED;
        Thread reader = new Thread(() -> readLoop(gen, c), "coordinator-read");
        reader.setDaemon(true);
        reader.start();
        events.connected();
    }

    private void readLoop(int gen, ServerConnection c) {
        try {
            while (true) {
                Reply reply = JsonCodec.decodeReply(c.read());
                loop.execute(() -> {
                    if (gen == generation) {
                        events.received(reply);
                    }
                });
            }
        } catch (IOException e) {
            loop.execute(() -> broken(gen, e.getMessage()));
        } catch (InvalidContentException e) {
            loop.execute(() -> broken(gen, "unreadable reply: " + e.getMessage()));
        }
    }

    private void broken(int gen, String reason) {
        if (gen != generation || state != State.CONNECTED) {
            return;
        }
        drop();
        events.lost(reason);
        if (state == State.IDLE) {
            startConnector();
        }
    }

    private static void closeQuietly(ServerConnection c) {
        try {
            c.close();
        } catch (IOException e) {
            LOG.debug("closing the coordinator connection: {}", e.getMessage());
        }
    }
}
