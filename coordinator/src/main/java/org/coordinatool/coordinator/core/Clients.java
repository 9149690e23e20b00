package org.coordinatool.coordinator.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.coordinatool.coordinator.queue.ActionType;
import org.coordinatool.coordinator.queue.Sequencer;
import org.coordinatool.coordinator.schedule.ClientDirectory;

/**
 * Every client record and the lists they are on: connected (newest first), disconnected (most
 * recently disconnected first, so the oldest grace deadline is at the end) and waiting (most
 * recent recv first), with lookups by connection and by id.
 */
final class Clients implements ClientDirectory {

    private final Sequencer sequencer;
    private final Stats stats;
    private final int slotCount;
    private final boolean tagIndexedArchives;
    private final Clock clock;
    private final MonotonicTime time;
    private final long graceNanos;
    private final LongConsumer deadlineCreated;

    private final ClientList connected = new ClientList();
    private final ClientList disconnected = new ClientList();
    private final ClientList waiting = new ClientList();
    private final Map<ClientConnection, Client> byConnection = new HashMap<>();
    private final Map<String, Client> readyById = new HashMap<>();
    private final Map<String, Client> disconnectedById = new HashMap<>();
    private long connectCounter;
    private List<Client> agentsCache;

    Clients(Sequencer sequencer, Stats stats, int slotCount, boolean tagIndexedArchives, Clock clock,
            MonotonicTime time, long graceNanos, LongConsumer deadlineCreated) {
        this.sequencer = sequencer;
        this.stats = stats;
        this.slotCount = slotCount;
        this.tagIndexedArchives = tagIndexedArchives;
        this.clock = clock;
        this.time = time;
        this.graceNanos = graceNanos;
        this.deadlineCreated = deadlineCreated;
    }

    Client connect(ClientConnection connection) {
        Client c = newClient(connection.peerName(), connection, ClientState.INIT);
        c.connectSeq(++connectCounter);
        connected.addFirst(c.listNode);
        byConnection.put(connection, c);
        return c;
    }

    Client of(ClientConnection connection) {
        return byConnection.get(connection);
    }

    /** Whether a connected client that completed ehlo uses this id. */
    boolean idInUse(String id) {
        return readyById.containsKey(id);
    }

    /** The client completed ehlo under its current id. */
    void ready(Client c) {
        readyById.put(c.id(), c);
        agentsCache = null;
    }

    /** The client became an agent (see {@link Client#isAgent}). */
    void agent(Client c) {
        if (!c.isAgent()) {
            c.markAgent();
            agentsCache = null;
        }
    }

    /**
     * A new connection takes over a disconnected record with the same id: the record gets the
     * connection, the connection's place in the list and what the connection set before ehlo
     * (archive ids, limits); the fresh record is dropped.
     */
    void adopt(Client fresh, Client old) {
        disconnected.remove(old.listNode);
        disconnectedById.remove(old.id());
        connected.replace(fresh.listNode, old.listNode);
        old.connection(fresh.connection());
        old.connectSeq(fresh.connectSeq());
        old.archiveIds(fresh.archiveIds());
        old.limits(fresh.max(ActionType.RESTORE),
                fresh.max(ActionType.ARCHIVE),
                fresh.max(ActionType.REMOVE), fresh.rawMaxBytes());
        old.disconnectedAt(0, 0);
        byConnection.put(old.connection(), old);
        agentsCache = null;
    }

    /** A named client lost its connection: it is remembered for the grace period. */
    void disconnect(Client c) {
        detachConnection(c);
        c.state(ClientState.DISCONNECTED);
        remember(c);
    }

    /** Forgets the client entirely (its work must have been moved away by the caller first). */
    void remove(Client c) {
        if (c.isConnected()) {
            detachConnection(c);
        } else {
            disconnected.remove(c.listNode);
            disconnectedById.remove(c.id(), c);
        }
    }

    private void detachConnection(Client c) {
        byConnection.remove(c.connection());
        connected.remove(c.listNode);
        waiting.remove(c.waitNode);
        readyById.remove(c.id(), c);
        c.connection(null);
        agentsCache = null;
    }

    private void remember(Client c) {
        c.disconnectedAt(time.now(), clock.epochNanos());
        disconnected.addFirst(c.listNode);
        disconnectedById.put(c.id(), c);
        deadlineCreated.accept(graceDeadline(c));
    }

    long graceDeadline(Client c) {
        return c.disconnectedAt() + graceNanos;
    }

    /** The disconnected client whose grace ends first, null if none. */
    Client oldestDisconnected() {
        return disconnected.last();
    }

    void enterWaiting(Client c) {
        c.state(ClientState.WAITING);
        waiting.addFirst(c.waitNode);
    }

    void leaveWaiting(Client c) {
        waiting.remove(c.waitNode);
        c.state(ClientState.READY);
    }

    /** Waiting clients, most recent recv first. */
    List<Client> waitingClients() {
        return waiting.snapshot();
    }

    List<Client> connectedClients() {
        return connected.snapshot();
    }

    List<Client> disconnectedClients() {
        return disconnected.snapshot();
    }

    /** Connected clients, then disconnected ones. */
    List<Client> allClients() {
        List<Client> all = connected.snapshot();
        all.addAll(disconnected.snapshot());
        return all;
    }

    int agentCount() {
        return connectedAgents().size();
    }

    @Override
    public List<Client> connectedAgents() {
        if (agentsCache == null) {
            List<Client> agents = new ArrayList<>();
            for (Client c : connected.snapshot()) {
                if (c.isAgent()) {
                    agents.add(c);
                }
            }
            agentsCache = List.copyOf(agents);
        }
        return agentsCache;
    }

    @Override
    public Client connected(String id) {
        return readyById.get(id);
    }

    @Override
    public Client disconnected(String id) {
        return disconnectedById.get(id);
    }

    @Override
    public Client placeholder(String id) {
        Client c = newClient(id, null, ClientState.DISCONNECTED);
        remember(c);
        return c;
    }

    private Client newClient(String id, ClientConnection connection, ClientState state) {
        return new Client(id, connection, state, sequencer, stats, slotCount, tagIndexedArchives);
    }
}
