package org.coordinatool.coordinator.core;

import org.coordinatool.coordinator.queue.ActionType;

/**
 * What happens to requests, as monitoring sees it. Called on the state loop at every event, so
 * implementations must be cheap: no allocation, no blocking.
 */
public interface RequestTelemetry {

    /** Nothing observed. */
    RequestTelemetry NONE = new RequestTelemetry() {
    };

    /** A new request came in from Lustre or from a {@code queue} command. */
    default void received(ActionType type) {
    }

    /** A queued request was sent to an agent after waiting {@code waitedNanos} in the queues. */
    default void dispatched(ActionType type, long waitedNanos) {
    }

    /** An agent reported a request finished with {@code status} (0: success) after {@code ranNanos}. */
    default void completed(ActionType type, int status, long ranNanos) {
    }

    /** A request was cancelled, queued or running. */
    default void cancelled(ActionType type) {
    }
}
