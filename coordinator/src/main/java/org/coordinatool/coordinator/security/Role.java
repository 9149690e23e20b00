package org.coordinatool.coordinator.security;

/** What a connection has proved it may do; each role includes the ones before it. */
public enum Role {
    /** Presented no token: anonymous ehlo and the status summary, plus what no token guards. */
    ANONYMOUS,
    /** Presented the agent token: ehlo with an id, recv, done. */
    AGENT,
    /** Presented the admin token: everything. */
    ADMIN;

    public boolean includes(Role other) {
        return compareTo(other) >= 0;
    }
}
