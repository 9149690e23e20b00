package org.coordinatool.coordinator.security;

import java.util.Objects;
import java.util.Optional;

/**
 * Which token guards which commands. The agent token guards what only agents do (an ehlo with
 * an id, recv, done); the admin token guards what changes the queue or the dispatching (queue,
 * lock) and what shows clients and requests (find, and the detail of status: anyone gets the
 * global counters). The admin
 * token also opens everything the agent token opens. Commands whose token is not configured are
 * open to every connection, as in the original.
 */
public final class AccessPolicy {

    /** No token: the original's behaviour. */
    public static final AccessPolicy OPEN = new AccessPolicy(Optional.empty(), Optional.empty());

    private final Optional<Token> agentToken;
    private final Optional<Token> adminToken;

    public AccessPolicy(Optional<Token> agentToken, Optional<Token> adminToken) {
        this.agentToken = Objects.requireNonNull(agentToken, "agentToken");
        this.adminToken = Objects.requireNonNull(adminToken, "adminToken");
    }

    /** The role a presented token proves, or empty when it is neither token. */
    Optional<Role> roleOf(String presented) {
        // Both comparisons always run, so the time taken does not tell which token was close.
        boolean admin = adminToken.map(t -> t.matches(presented)).orElse(false);
        boolean agent = agentToken.map(t -> t.matches(presented)).orElse(false);
        return admin ? Optional.of(Role.ADMIN) : agent ? Optional.of(Role.AGENT) : Optional.empty();
    }

    /** Whether a connection with {@code role} may do what {@code needed} guards. */
    boolean permits(Role role, Role needed) {
        Optional<Token> guard = switch (needed) {
            case ANONYMOUS -> Optional.empty();
            case AGENT -> agentToken;
            case ADMIN -> adminToken;
        };
        return guard.isEmpty() || role.includes(needed);
    }

    public boolean tokensConfigured() {
        return agentToken.isPresent() || adminToken.isPresent();
    }

    /** The access state of a new connection. */
    public ConnectionAccess newConnection() {
        return new ConnectionAccess(this);
    }
}
