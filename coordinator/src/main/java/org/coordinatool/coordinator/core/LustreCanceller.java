package org.coordinatool.coordinator.core;

import org.coordinatool.coordinator.protocol.WireItem;

/**
 * Tells Lustre that a request ended with ECANCELED (llapi_hsm_action_begin with is_error, then
 * llapi_hsm_action_end). The call into liblustreapi blocks, so implementations run it off the
 * state loop.
 */
public interface LustreCanceller {
    void reportCancelled(WireItem item);
}
