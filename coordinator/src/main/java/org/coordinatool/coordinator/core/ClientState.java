package org.coordinatool.coordinator.core;

/** Life cycle of a client record. */
public enum ClientState {
    /** Connected, no successful ehlo yet. */
    INIT("init"),
    /** Handshake done, no recv outstanding. */
    READY("ready"),
    /** A recv is outstanding: the client is on the waiting list. */
    WAITING("waiting"),
    /** No connection: within its grace period, or a placeholder named by routing or recovery. */
    DISCONNECTED("disconnected");

    private final String wireName;

    ClientState(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
