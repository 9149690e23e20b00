package org.coordinatool.coordinator.schedule;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.coordinatool.coordinator.core.Client;
import org.coordinatool.coordinator.queue.ActionType;
import org.coordinatool.coordinator.queue.BatchSlot;
import org.coordinatool.coordinator.queue.Request;
import org.coordinatool.coordinator.queue.RequestQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Archive batching: each agent has a few slots, each holding one tag (the archive data up to its
 * first NUL) for a time slice, and only receives archives whose tag one of its slots holds. A slot
 * stays reserved while it has waiting work or got work within the idle time, and at most for the
 * maximum time. Slots are only taken on agents whose archive ids accept the request.
 *
 * <p>Reserved slots of connected clients are indexed by tag, so routing an archive to the slot
 * already holding its tag does not scan the clients.
 */
public final class Batching {

    private static final Logger LOG = LoggerFactory.getLogger(Batching.class);
    private static final Comparator<BatchSlot> CLIENT_ORDER =
            Comparator.comparingLong((BatchSlot s) -> -s.owner().connectSeq()).thenComparingInt(BatchSlot::index);

    private final long idleNanos;
    private final long maxNanos;
    private final int slotsPerClient;
    private final ClientDirectory clients;
    private final LongConsumer deadlineCreated;
    private final Map<String, List<BatchSlot>> byHint = new HashMap<>();

    /**
     * @param idleNanos       idle time; 0 disables batching, and so do 0 slots per client
     * @param maxNanos        maximum time a slot keeps a tag; 0 = no maximum
     * @param deadlineCreated told every new slot deadline (monotonic), so the timer can be armed
     */
    public Batching(long idleNanos, long maxNanos, int slotsPerClient, ClientDirectory clients,
                    LongConsumer deadlineCreated) {
        this.idleNanos = idleNanos;
        this.maxNanos = maxNanos;
        this.slotsPerClient = idleNanos > 0 ? slotsPerClient : 0;
        this.clients = clients;
        this.deadlineCreated = deadlineCreated;
    }

    /** Batching needs an idle time and at least one slot per client. */
    public boolean enabled() {
        return idleNanos > 0 && slotsPerClient > 0;
    }

    public int slotsPerClient() {
        return slotsPerClient;
    }

    /**
     * Whether a slot still holds its tag: not past its maximum time, and either within its idle
     * time or still having waiting work.
     */
    public boolean stillReserved(BatchSlot s, long now) {
        if (s.expireMax() <= now) {
            return false;
        }
        return s.expireIdle() > now || !s.queue().isEmpty();
    }

    private void reserve(BatchSlot s, String hint, long now) {
        unindex(s);
        long max = maxNanos == 0 ? BatchSlot.NO_DEADLINE : now + maxNanos;
        s.reserve(hint, now + idleNanos, max);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: slot {} takes a tag at monotonic {} ns: {}", s.owner().id(), s.index(), now, hint);
        }
        index(s);
        deadlineCreated.accept(s.expireIdle());
        if (max != BatchSlot.NO_DEADLINE) {
            deadlineCreated.accept(max);
        }
    }

    /** The slot got work: its idle time starts again. */
    public void refresh(BatchSlot s, long now) {
        s.refresh(now + idleNanos);
        deadlineCreated.accept(s.expireIdle());
    }

    /**
     * Routing step 1: a slot of a connected agent already holding the request's tag, still
     * reserved (its idle time is pushed back), or expired on an agent with no archive of its own
     * waiting (the slot is taken again for the tag).
     */
    public BatchSlot activeSlot(Request r, long now) {
        String hint = r.hint();
        if (hint.isEmpty()) {
            return null;
        }
        List<BatchSlot> holding = byHint.get(hint);
        if (holding == null) {
            return null;
        }
        List<BatchSlot> ordered = holding;
        if (holding.size() > 1) {
            ordered = new ArrayList<>(holding);
            ordered.sort(CLIENT_ORDER);
        }
        for (BatchSlot s : ordered) {
            Client c = s.owner();
            if (!c.isAgent() || !c.accepts(r.archiveId())) {
                continue;
            }
            if (stillReserved(s, now)) {
                refresh(s, now);
                return s;
            }
            if (c.waiting(ActionType.ARCHIVE).isEmpty()) {
                reserve(s, hint, now);
                return s;
            }
        }
        return null;
    }

    /**
     * Routing step 3: a slot for a tag no slot holds. Slot index 0 of every agent is tried before
     * index 1, so agents holding fewer tags are picked first: first a free slot or an expired one
     * with nothing waiting, then an expired one whose waiting archives go back to the front of its
     * client's own queue.
     */
    public BatchSlot newSlot(Request r, long now) {
        List<Client> agents = clients.connectedAgents();
        for (int i = 0; i < slotsPerClient; i++) {
            for (Client c : agents) {
                BatchSlot s = c.slots()[i];
                if (c.accepts(r.archiveId())
                        && (s.hint() == null || (s.queue().isEmpty() && !stillReserved(s, now)))) {
                    reserve(s, r.hint(), now);
                    return s;
                }
            }
        }
        for (int i = 0; i < slotsPerClient; i++) {
            for (Client c : agents) {
                BatchSlot s = c.slots()[i];
                if (c.accepts(r.archiveId()) && !stillReserved(s, now)) {
                    s.queue().moveAllToFront(c.waiting(ActionType.ARCHIVE));
                    reserve(s, r.hint(), now);
                    return s;
                }
            }
        }
        return null;
    }

    /**
     * A slot on a client chosen by host mapping: the one holding the tag, else a free or expired
     * one (whose leftovers go back to the client's own queue). Null when the client has no slot
     * to offer or does not accept the archive id; the request then waits in the client's queue.
     */
    public BatchSlot slotOnClient(Client c, Request r, long now) {
        if (!c.accepts(r.archiveId())) {
            return null;
        }
        String hint = r.hint();
        for (BatchSlot s : c.slots()) {
            if (hint.equals(s.hint())) {
                if (stillReserved(s, now)) {
                    refresh(s, now);
                } else {
                    reserve(s, hint, now);
                }
                return s;
            }
        }
        for (BatchSlot s : c.slots()) {
            if (s.hint() == null || !stillReserved(s, now)) {
                s.queue().moveAllToFront(c.waiting(ActionType.ARCHIVE));
                reserve(s, hint, now);
                return s;
            }
        }
        return null;
    }

    /**
     * Step A of a scheduling pass: every slot of the client that is free or expired takes the tag
     * of the oldest archive the client accepts (its own queue first, then the global one), with
     * all the archives of that tag from the queue(s) it was found in. An expired slot's leftovers
     * go back to the front of the client's own queue.
     */
    public void reschedule(Client c, RequestQueue globalArchives, long now) {
        RequestQueue own = c.waiting(ActionType.ARCHIVE);
        for (BatchSlot s : c.slots()) {
            if (s.hint() != null && stillReserved(s, now)) {
                continue;
            }
            Request candidate = own.first(c::accepts);
            boolean fromOwn = candidate != null;
            if (!fromOwn) {
                candidate = globalArchives.first(c::accepts);
                if (candidate == null) {
                    return;
                }
            }
            String hint = candidate.hint();
            s.queue().moveAllToFront(own);
            reserve(s, hint, now);
            if (fromOwn) {
                own.moveTagged(hint, c::accepts, s.queue());
            }
            globalArchives.moveTagged(hint, c::accepts, s.queue());
        }
    }

    /** The client is connected again (or for the first time): its reserved slots can be found by tag. */
    public void clientConnected(Client c) {
        for (BatchSlot s : c.slots()) {
            index(s);
        }
    }

    /** The client lost its connection or is gone: routing must not find its slots any more. */
    public void clientDisconnected(Client c) {
        for (BatchSlot s : c.slots()) {
            unindex(s);
        }
    }

    /** The earliest slot deadline after {@code now} among these clients, {@link Long#MAX_VALUE} if none. */
    public long nextDeadline(Iterable<Client> all, long now) {
        long next = Long.MAX_VALUE;
        for (Client c : all) {
            for (BatchSlot s : c.slots()) {
                if (s.hint() == null) {
                    continue;
                }
                if (s.expireMax() > now) {
                    next = Math.min(next, s.expireMax());
                }
                if (s.expireIdle() > now && s.queue().isEmpty()) {
                    next = Math.min(next, s.expireIdle());
                }
            }
        }
        return next;
    }

    private void index(BatchSlot s) {
        if (s.hint() != null && s.owner().isConnected()) {
            List<BatchSlot> holding = byHint.computeIfAbsent(s.hint(), h -> new ArrayList<>(2));
            if (!holding.contains(s)) {
                holding.add(s);
            }
        }
    }

    private void unindex(BatchSlot s) {
        if (s.hint() == null) {
            return;
        }
        List<BatchSlot> holding = byHint.get(s.hint());
        if (holding != null && holding.remove(s) && holding.isEmpty()) {
            byHint.remove(s.hint());
        }
    }
}
