package org.coordinatool.mover;

import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.hsm.Fid;

/**
 * The identity of a request: Lustre only guarantees cookies to be unique per MDT, so the
 * coordinator keys requests by cookie and data FID together, and so does the agent.
 */
public record ItemKey(long cookie, Fid dfid) {

    public static ItemKey of(WireItem item) {
        return new ItemKey(item.cookie(), item.dfid());
    }

    @Override
    public String toString() {
        return dfid + " cookie 0x" + Long.toHexString(cookie);
    }
}
