package org.coordinatool.coordinator.core;

import java.util.ArrayDeque;
import java.util.Arrays;
import org.coordinatool.coordinator.protocol.Command;
import org.coordinatool.coordinator.queue.ActionType;
import org.coordinatool.coordinator.queue.BatchSlot;
import org.coordinatool.coordinator.queue.RequestQueue;
import org.coordinatool.coordinator.queue.Sequencer;

/**
 * One client of the coordinator: a connection (or, once disconnected, the memory of one during its
 * grace period, or a placeholder for an agent routing or recovery named), with its limits, its
 * counters, its queues and its batch slots.
 */
public final class Client {

    /** recv's max_bytes before the client sent any recv. */
    static final long DEFAULT_MAX_BYTES = 1 << 20;

    private static final int[] ANY_ARCHIVE = new int[0];

    private String id;
    private boolean idSet;
    private boolean agent;
    private ClientConnection connection;
    private ClientState state;
    private int[] archiveIds = ANY_ARCHIVE;
    private long maxRestore = -1;
    private long maxArchive = -1;
    private long maxRemove = -1;
    private long maxBytes = DEFAULT_MAX_BYTES;
    final long[] current = new long[ActionType.COUNTED];
    final long[] done = new long[ActionType.COUNTED];
    final RecentCompletions recentCompletions = new RecentCompletions();
    private final RequestQueue[] waiting = new RequestQueue[ActionType.COUNTED];
    private final RequestQueue active;
    private final RequestQueue cancels;
    private final BatchSlot[] slots;
    private long connectSeq;
    private long disconnectedAt;
    private long disconnectedEpochNanos;
    private boolean resolving;
    private ArrayDeque<Command> held;

    final ClientList.Node listNode = new ClientList.Node(this);
    final ClientList.Node waitNode = new ClientList.Node(this);

    Client(String id, ClientConnection connection, ClientState state, Sequencer sequencer, Stats stats,
           int slotCount, boolean tagIndexedArchives) {
        this.id = id;
        this.connection = connection;
        this.state = state;
        for (ActionType t : ActionType.PRIORITY) {
            waiting[t.ordinal()] = new RequestQueue(sequencer,
                    tagIndexedArchives && t == ActionType.ARCHIVE, stats.waitingMembership);
        }
        active = new RequestQueue(sequencer, false, stats.activeMembership(this));
        cancels = new RequestQueue(sequencer, false, stats.cancelMembership);
        slots = new BatchSlot[slotCount];
        for (int i = 0; i < slotCount; i++) {
            slots[i] = new BatchSlot(this, i, new RequestQueue(sequencer, false, stats.waitingMembership));
        }
    }

    public String id() {
        return id;
    }

    void id(String newId) {
        id = newId;
    }

    /** True once the client named itself in ehlo: only such clients are kept after a disconnect. */
    public boolean idSet() {
        return idSet;
    }

    void markIdSet() {
        idSet = true;
    }

    /**
     * True for clients that take work: they named themselves in ehlo or sent a recv. Only agents
     * count for fairness, batch slots and clients_connected.
     */
    public boolean isAgent() {
        return agent;
    }

    void markAgent() {
        agent = true;
    }

    public ClientConnection connection() {
        return connection;
    }

    void connection(ClientConnection newConnection) {
        connection = newConnection;
    }

    public ClientState state() {
        return state;
    }

    void state(ClientState newState) {
        state = newState;
    }

    public boolean isConnected() {
        return connection != null;
    }

    /** Whether this client takes requests of that archive id; no list means any. */
    public boolean accepts(int archiveId) {
        return archiveIds.length == 0 || Arrays.binarySearch(archiveIds, archiveId) >= 0;
    }

    void archiveIds(int[] sortedIds) {
        archiveIds = sortedIds;
    }

    int[] archiveIds() {
        return archiveIds;
    }

    void limits(long restore, long archive, long remove, long bytes) {
        maxRestore = restore;
        maxArchive = archive;
        maxRemove = remove;
        maxBytes = bytes;
    }

    /** The recv limit for a type; negative means unlimited. */
    public long max(ActionType type) {
        return switch (type) {
            case RESTORE -> maxRestore;
            case ARCHIVE -> maxArchive;
            case REMOVE -> maxRemove;
            case CANCEL -> -1;
        };
    }

    /** max_bytes as the unsigned size it is: a negative value means no limit. */
    public long maxBytes() {
        return maxBytes < 0 ? Long.MAX_VALUE : maxBytes;
    }

    long rawMaxBytes() {
        return maxBytes;
    }

    public long current(ActionType type) {
        return current[type.ordinal()];
    }

    public long done(ActionType type) {
        return done[type.ordinal()];
    }

    /** Requests routed to this client specifically. */
    public RequestQueue waiting(ActionType type) {
        return waiting[type.ordinal()];
    }

    /** Requests sent to this client and not done yet. */
    public RequestQueue active() {
        return active;
    }

    /** Cancel orders to deliver at this client's next scheduling pass. */
    public RequestQueue cancels() {
        return cancels;
    }

    public BatchSlot[] slots() {
        return slots;
    }

    /** Order of connection: a higher value connected more recently. */
    public long connectSeq() {
        return connectSeq;
    }

    void connectSeq(long seq) {
        connectSeq = seq;
    }

    /** Monotonic time of the disconnect (or placeholder creation). */
    long disconnectedAt() {
        return disconnectedAt;
    }

    long disconnectedEpochNanos() {
        return disconnectedEpochNanos;
    }

    void disconnectedAt(long monotonic, long epochNanos) {
        disconnectedAt = monotonic;
        disconnectedEpochNanos = epochNanos;
    }

    /**
     * True while a path this client sent is being resolved: its later commands wait, so that
     * replies keep the order of the requests.
     */
    boolean resolving() {
        return resolving;
    }

    void resolving(boolean value) {
        resolving = value;
    }

    /** Keeps a command for after the resolution; returns how many are kept. */
    int hold(Command command) {
        if (held == null) {
            held = new ArrayDeque<>();
        }
        held.addLast(command);
        return held.size();
    }

    /** The oldest kept command, null when none is left. */
    Command nextHeld() {
        Command next = held == null ? null : held.pollFirst();
        if (held != null && held.isEmpty()) {
            held = null;
        }
        return next;
    }

    /** Forgets the resolution in progress and the commands kept behind it (the connection is gone). */
    void dropHeld() {
        resolving = false;
        held = null;
    }

    @Override
    public String toString() {
        return "client " + id;
    }
}
