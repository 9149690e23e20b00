package org.coordinatool.mover.shim;

import org.coordinatool.mover.ItemKey;

/** What the shim tells the agent, delivered in order on the agent's executor. */
public interface ShimListener {

    void registered(ShimConnection connection, ShimMessage.Register register);

    void recv(ShimConnection connection, long bufferSize);

    void rejected(ShimConnection connection, int rc);

    void unregistered(ShimConnection connection, boolean recvPending);

    /** A control connection ended without UNREGISTER (closed by the shim, broken, or a protocol error). */
    void controlLost(ShimConnection connection);

    void begun(ItemKey key, int rc);

    void ended(ItemKey key, int status);
}
