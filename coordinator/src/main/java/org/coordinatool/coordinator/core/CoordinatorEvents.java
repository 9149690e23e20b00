package org.coordinatool.coordinator.core;

import java.util.List;
import java.util.function.BiConsumer;
import org.coordinatool.coordinator.protocol.Command;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.hsm.Fid;
import org.coordinatool.hsm.HsmActionList;

/**
 * Everything that can happen to the coordinator's state. Every method is called on the single
 * state-owning event loop thread; nothing else touches the state.
 */
public interface CoordinatorEvents {

    void connected(ClientConnection connection);

    void received(ClientConnection connection, Command command);

    void disconnected(ClientConnection connection);

    /** An action list read from Lustre by the receiver thread. */
    void fromLustre(HsmActionList list);

    /** Start-up recovery from the persistent store, before any client connects. */
    void recovered(List<WireItem> items, List<Assignment> assignments);

    /**
     * What the persistent store held from a previous run, read only once the store became
     * reachable after a start without it: clients may be connected and running work by now, so the
     * live state wins and persisted entries only fill its gaps.
     */
    void recoveredLate(List<WireItem> items, List<Assignment> assignments);

    /** Visits every known request with the client it runs on (null when queued). */
    void forEachRequest(BiConsumer<WireItem, String> visitor);

    /** A persisted assignment: the request (cookie, dfid) runs on clientId. */
    record Assignment(long cookie, Fid dfid, String clientId) {
    }
}
