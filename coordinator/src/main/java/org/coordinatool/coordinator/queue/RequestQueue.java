package org.coordinatool.coordinator.queue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

/**
 * A FIFO queue of requests, split into one sub-queue per (archive id, flags) so that a scheduling
 * pass finds the oldest request an agent accepts, or the next one sharing the reply's archive id and
 * flags, without walking past requests it cannot take: finding costs O(number of distinct keys) and
 * taking the following ones O(1) each. The global order across sub-queues is kept by insertion
 * sequence numbers ({@link Sequencer}).
 *
 * <p>A tag-indexed queue (archive queues when batching is on) also chains, inside each sub-queue,
 * the requests sharing one batching tag, so that all archives of a tag can be moved to a slot in
 * time proportional to their number.
 *
 * <p>Entering and leaving are reported to a {@link Membership}, which keeps the counters that
 * depend on where requests are (pending, running, per-client current, pending cancels) exact.
 */
public final class RequestQueue {

    /** Told whenever a request enters or leaves the queue. */
    public interface Membership {
        void entered(Request request);

        void left(Request request);
    }

    private static final Comparator<Request> BY_SEQ = Comparator.comparingLong(r -> r.seq);

    private final Sequencer sequencer;
    private final boolean hintIndexed;
    private final Membership membership;
    private final HashMap<QueueKey, SubQueue> subs = new HashMap<>(4);
    private int size;
    private int reported;

    public RequestQueue(Sequencer sequencer, boolean hintIndexed, Membership membership) {
        this.sequencer = sequencer;
        this.hintIndexed = hintIndexed;
        this.membership = membership;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** How many requests in this queue have a report entry. */
    public int reportedCount() {
        return reported;
    }

    public void addLast(Request r) {
        SubQueue sub = enter(r, sequencer.nextTail());
        r.prev = sub.tail;
        if (sub.tail == null) {
            sub.head = r;
        } else {
            sub.tail.next = r;
        }
        sub.tail = r;
        if (hintIndexed) {
            HintChain chain = chain(sub, r);
            r.chainPrev = chain.tail;
            if (chain.tail == null) {
                chain.head = r;
            } else {
                chain.tail.chainNext = r;
            }
            chain.tail = r;
        }
        membership.entered(r);
    }

    public void addFirst(Request r) {
        SubQueue sub = enter(r, sequencer.nextFront());
        r.next = sub.head;
        if (sub.head == null) {
            sub.tail = r;
        } else {
            sub.head.prev = r;
        }
        sub.head = r;
        if (hintIndexed) {
            HintChain chain = chain(sub, r);
            r.chainNext = chain.head;
            if (chain.head == null) {
                chain.tail = r;
            } else {
                chain.head.chainPrev = r;
            }
            chain.head = r;
        }
        membership.entered(r);
    }

    /**
     * The chain of the request's tag, which it joins; the request then holds the chain's copy of
     * the tag, so the requests of one tag share one string instead of holding one each.
     */
    private static HintChain chain(SubQueue sub, Request r) {
        HintChain chain = sub.chains.computeIfAbsent(r.hint(), HintChain::new);
        r.chain = chain;
        r.shareHint(chain.hint);
        return chain;
    }

    private SubQueue enter(Request r, long seq) {
        if (r.queue != null) {
            throw new IllegalStateException(r + " is already queued");
        }
        SubQueue sub = subs.computeIfAbsent(QueueKey.of(r), k -> new SubQueue(k, hintIndexed));
        r.queue = this;
        r.sub = sub;
        r.seq = seq;
        sub.size++;
        size++;
        if (r.report() != null) {
            reported++;
        }
        return sub;
    }

    public void remove(Request r) {
        if (r.queue != this) {
            throw new IllegalStateException(r + " is not in this queue");
        }
        SubQueue sub = r.sub;
        if (r.prev == null) {
            sub.head = r.next;
        } else {
            r.prev.next = r.next;
        }
        if (r.next == null) {
            sub.tail = r.prev;
        } else {
            r.next.prev = r.prev;
        }
        if (--sub.size == 0) {
            subs.remove(sub.key);
        }
        HintChain chain = r.chain;
        if (chain != null) {
            if (r.chainPrev == null) {
                chain.head = r.chainNext;
            } else {
                r.chainPrev.chainNext = r.chainNext;
            }
            if (r.chainNext == null) {
                chain.tail = r.chainPrev;
            } else {
                r.chainNext.chainPrev = r.chainPrev;
            }
            if (chain.head == null) {
                sub.chains.remove(chain.hint);
            }
        }
        r.queue = null;
        r.sub = null;
        r.prev = null;
        r.next = null;
        r.chain = null;
        r.chainPrev = null;
        r.chainNext = null;
        size--;
        if (r.report() != null) {
            reported--;
        }
        membership.left(r);
    }

    /** The oldest request, null when empty. */
    public Request first() {
        return first(archiveId -> true);
    }

    /** The oldest request whose archive id is accepted; O(number of distinct keys). */
    public Request first(IntPredicate archiveAccepted) {
        Request best = null;
        for (SubQueue sub : subs.values()) {
            if (archiveAccepted.test(sub.key.archiveId()) && (best == null || sub.head.seq < best.seq)) {
                best = sub.head;
            }
        }
        return best;
    }

    /** The oldest request with exactly this archive id and these flags; O(1). */
    public Request first(int archiveId, long flags) {
        SubQueue sub = subs.get(new QueueKey(archiveId, flags));
        return sub == null ? null : sub.head;
    }

    /**
     * The 1-based position of a request in queue order. Each sub-queue is walked from both ends at
     * once until the request's place in it is found, so the cost is O(min(requests before it,
     * requests after it)) per sub-queue, at most half the queue.
     */
    public int positionOf(Request r) {
        if (r.queue != this) {
            throw new IllegalStateException(r + " is not in this queue");
        }
        int before = 0;
        for (SubQueue sub : subs.values()) {
            before += countBefore(sub, r.seq);
        }
        return before + 1;
    }

    /** How many requests of the sub-queue come before sequence number {@code seq}. */
    private static int countBefore(SubQueue sub, long seq) {
        Request front = sub.head;
        Request back = sub.tail;
        int fromFront = 0;
        int fromBack = 0;
        while (true) {
            if (front == null || front.seq >= seq) {
                return fromFront;
            }
            if (back == null || back.seq < seq) {
                return sub.size - fromBack;
            }
            front = front.next;
            fromFront++;
            back = back.prev;
            fromBack++;
        }
    }

    /** Visits every request in queue order. The visitor must not modify this queue. */
    public void forEach(Consumer<Request> visitor) {
        if (subs.size() == 1) {
            for (Request r = subs.values().iterator().next().head; r != null; r = r.next) {
                visitor.accept(r);
            }
            return;
        }
        PriorityQueue<Request> heads = new PriorityQueue<>(Math.max(1, subs.size()), BY_SEQ);
        for (SubQueue sub : subs.values()) {
            heads.add(sub.head);
        }
        while (!heads.isEmpty()) {
            Request r = heads.poll();
            visitor.accept(r);
            if (r.next != null) {
                heads.add(r.next);
            }
        }
    }

    /** A snapshot of the queue in order, for callers that move requests while walking them. */
    public List<Request> toList() {
        List<Request> list = new ArrayList<>(size);
        forEach(list::add);
        return list;
    }

    /** Moves every request, in order, in front of everything already in {@code dest}. */
    public void moveAllToFront(RequestQueue dest) {
        List<Request> all = toList();
        for (int i = all.size() - 1; i >= 0; i--) {
            Request r = all.get(i);
            remove(r);
            dest.addFirst(r);
        }
    }

    /**
     * Appends to {@code dest}, in queue order, every request tagged {@code hint} whose archive id
     * is accepted. Only valid on a tag-indexed queue; costs O(distinct keys + requests moved).
     */
    public int moveTagged(String hint, IntPredicate archiveAccepted, RequestQueue dest) {
        if (!hintIndexed) {
            throw new IllegalStateException("queue is not indexed by tag");
        }
        PriorityQueue<Request> heads = new PriorityQueue<>(4, BY_SEQ);
        for (SubQueue sub : subs.values()) {
            if (archiveAccepted.test(sub.key.archiveId())) {
                HintChain chain = sub.chains.get(hint);
                if (chain != null) {
                    heads.add(chain.head);
                }
            }
        }
        int moved = 0;
        while (!heads.isEmpty()) {
            Request r = heads.poll();
            Request following = r.chainNext;
            remove(r);
            dest.addLast(r);
            moved++;
            if (following != null) {
                heads.add(following);
            }
        }
        return moved;
    }
}
