package org.coordinatool.mover.shim;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * One connection from the shim. Its fields are used by the server's selector thread only; other
 * threads hold connections as identities (which registration a message belongs to).
 */
public final class ShimConnection {

    enum Kind { UNKNOWN, CONTROL, NOTICE }

    /** A frame being written, and what to do if it cannot be written entirely. */
    record PendingWrite(ByteBuffer bytes, Runnable onFailure) {
    }

    private final long id;
    final SocketChannel channel;
    final ShimDecoder decoder = new ShimDecoder();
    final ArrayDeque<PendingWrite> writes = new ArrayDeque<>();
    SelectionKey key;
    Kind kind = Kind.UNKNOWN;
    int pid;
    boolean unregistered;
    boolean closeAfterFlush;
    boolean closed;

    ShimConnection(long id, SocketChannel channel) {
        this.id = id;
        this.channel = channel;
    }

    public long id() {
        return id;
    }

    @Override
    public String toString() {
        return pid == 0 ? "shim connection " + id : "copytool pid " + pid + " (shim connection " + id + ")";
    }
}
