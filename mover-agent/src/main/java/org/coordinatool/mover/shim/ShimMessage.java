package org.coordinatool.mover.shim;

import java.util.List;
import org.coordinatool.mover.ItemKey;

/** A message from the preload shim to the agent (preload-shim/PROTOCOL.md §3). */
public sealed interface ShimMessage {

    /**
     * First message of a control connection.
     *
     * @param archives archive ids as unsigned 32-bit values; empty = every archive
     */
    record Register(int pid, int rfdFlags, List<Long> archives, String mnt, String fsname)
            implements ShimMessage {
        public Register {
            archives = List.copyOf(archives);
        }
    }

    /** The copytool waits for an action list of at most {@code bufferSize} bytes (unsigned 32-bit). */
    record Recv(long bufferSize) implements ShimMessage {
    }

    /** The last action list was not given to the copytool; {@code rc} is a negative errno. */
    record Reject(int rc) implements ShimMessage {
    }

    /** Last message of a control connection; {@code recvPending}: the last RECV was unanswered. */
    record Unregister(boolean recvPending) implements ShimMessage {
    }

    /** Result of the real llapi_hsm_action_begin for an item; informational only. */
    record Begin(ItemKey key, int rc) implements ShimMessage {
    }

    /** The copytool ended an item; {@code status} is 0 or a positive errno, reported in done. */
    record End(ItemKey key, int status) implements ShimMessage {
    }
}
