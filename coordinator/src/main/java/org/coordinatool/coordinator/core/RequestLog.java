package org.coordinatool.coordinator.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The logger of request events (received, queued, dispatched, done, cancelled, re-queued), one
 * line each with the request's type, FID and cookie. It has a level of its own because the
 * original logs them at {@code info}, a level above the default {@code normal} (see
 * {@link org.coordinatool.coordinator.Logging}).
 */
public final class RequestLog {

    /** Its name, the last component of which starts its lines. */
    public static final String NAME = "org.coordinatool.coordinator.requests";

    static final Logger LOG = LoggerFactory.getLogger(NAME);

    private RequestLog() {
    }
}
