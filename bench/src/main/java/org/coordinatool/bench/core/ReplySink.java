package org.coordinatool.bench.core;

import org.coordinatool.coordinator.core.ClientConnection;
import org.coordinatool.coordinator.protocol.Reply;

/** A client connection that keeps the last reply the coordinator sent it. */
public final class ReplySink implements ClientConnection {

    private final String peer;
    private Reply last;
    private long replies;
    private boolean closed;

    public ReplySink(String peer) {
        this.peer = peer;
    }

    @Override
    public String peerName() {
        return peer;
    }

    @Override
    public void send(Reply reply) {
        last = reply;
        replies++;
    }

    /** Only a shutdown closes connections here; the sink just stops mattering. */
    @Override
    public void close() {
        closed = true;
    }

    public boolean isClosed() {
        return closed;
    }

    /** The last reply and forgets it; null when none came since the previous call. */
    public Reply take() {
        Reply r = last;
        last = null;
        return r;
    }

    public long replies() {
        return replies;
    }
}
