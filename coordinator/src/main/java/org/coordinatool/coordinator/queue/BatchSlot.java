package org.coordinatool.coordinator.queue;

import org.coordinatool.coordinator.core.Client;

/**
 * One archive batching slot of a client: while reserved it holds one tag (the data of the archives
 * it accepts), the archives routed to it, and the number of running archives charged to it.
 * Deadlines are monotonic nanoseconds; {@link #NO_DEADLINE} means none.
 */
public final class BatchSlot {

    public static final long NO_DEADLINE = Long.MAX_VALUE;

    private final Client owner;
    private final int index;
    private final RequestQueue queue;
    private String hint;
    private long expireIdle = NO_DEADLINE;
    private long expireMax = NO_DEADLINE;
    private int running;

    public BatchSlot(Client owner, int index, RequestQueue queue) {
        this.owner = owner;
        this.index = index;
        this.queue = queue;
    }

    public Client owner() {
        return owner;
    }

    public int index() {
        return index;
    }

    public RequestQueue queue() {
        return queue;
    }

    /** The tag this slot holds, null while free. */
    public String hint() {
        return hint;
    }

    public long expireIdle() {
        return expireIdle;
    }

    public long expireMax() {
        return expireMax;
    }

    public void reserve(String newHint, long idleDeadline, long maxDeadline) {
        hint = newHint;
        expireIdle = idleDeadline;
        expireMax = maxDeadline;
    }

    public void refresh(long idleDeadline) {
        expireIdle = idleDeadline;
    }

    /** Archives currently running and charged to this slot. */
    public int running() {
        return running;
    }

    public void charge() {
        running++;
    }

    public void uncharge() {
        running--;
    }
}
