package org.coordinatool.config;

import com.typesafe.config.Config;

/**
 * What one peer may hold of the server's resources.
 *
 * @param maxConnections    open connections accepted at once
 * @param maxPendingReplies replies a connection may leave unread before its commands stop being read
 * @param frameTimeoutMs    how long a connection may stay silent in the middle of a message
 */
public record ConnectionLimits(int maxConnections, int maxPendingReplies, long frameTimeoutMs) {

    /** The built-in defaults, those of {@code reference.conf}. */
    public static final ConnectionLimits DEFAULTS = new ConnectionLimits(1024, 1024, 300_000);

    public ConnectionLimits {
        if (maxConnections < 1 || maxPendingReplies < 1 || frameTimeoutMs < 1) {
            throw new IllegalArgumentException("connection limits must be positive");
        }
    }

    static ConnectionLimits from(Config config) {
        return new ConnectionLimits(config.getInt(ConfigKey.MAX_CONNECTIONS.path()),
                config.getInt(ConfigKey.MAX_PENDING_REPLIES.path()),
                config.getLong(ConfigKey.FRAME_TIMEOUT_MS.path()));
    }
}
