package org.coordinatool.coordinator.core;

import org.coordinatool.coordinator.protocol.Reply;

/**
 * The coordinator's view of one client socket. Implementations must be callable from the state
 * loop without blocking: {@link #send} queues the reply for writing.
 */
public interface ClientConnection {

    /** Peer address as host:port, used as the id of anonymous clients. */
    String peerName();

    void send(Reply reply);

    /** Closes the socket; the coordinator is told through its disconnect event afterwards. */
    void close();
}
