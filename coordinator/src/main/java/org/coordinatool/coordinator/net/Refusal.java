package org.coordinatool.coordinator.net;

/**
 * The ways the server turns a peer away or holds it back; each has its counter (Micrometer name,
 * exported to Prometheus as {@code <name with underscores>_total}) tagged {@code reason}.
 */
enum Refusal {
    MAX_CONNECTIONS(Refusal.REJECTED, "max_connections"),
    FRAME_TOO_LARGE(Refusal.REJECTED, "frame_too_large"),
    FRAME_TIMEOUT(Refusal.REJECTED, "frame_timeout"),
    TLS_HANDSHAKE(Refusal.REJECTED, "tls_handshake"),
    INVALID_TOKEN(Refusal.REJECTED, "invalid_token"),
    PERMISSION_DENIED("coordinatool.commands.denied", "permission_denied"),
    PENDING_REPLIES("coordinatool.connections.throttled", "pending_replies");

    static final String REJECTED = "coordinatool.connections.rejected";

    final String metric;
    final String reason;

    Refusal(String metric, String reason) {
        this.metric = metric;
        this.reason = reason;
    }

    static Refusal ofReason(String reason) {
        for (Refusal r : values()) {
            if (r.reason.equals(reason)) {
                return r;
            }
        }
        throw new IllegalArgumentException("no refusal named " + reason);
    }
}
