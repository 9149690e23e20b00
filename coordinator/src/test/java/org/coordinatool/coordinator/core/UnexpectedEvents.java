package org.coordinatool.coordinator.core;

import java.util.List;
import java.util.function.BiConsumer;
import org.coordinatool.coordinator.protocol.Command;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.hsm.HsmActionList;

/**
 * A stand-in for the coordinator in tests of the components around it: every event fails the
 * test unless the subclass handles it, so an event the component must not send cannot go unseen.
 */
public abstract class UnexpectedEvents implements CoordinatorEvents {

    @Override
    public void connected(ClientConnection connection) {
        throw unexpected("connected");
    }

    @Override
    public void received(ClientConnection connection, Command command) {
        throw unexpected("received");
    }

    @Override
    public void disconnected(ClientConnection connection) {
        throw unexpected("disconnected");
    }

    @Override
    public void fromLustre(HsmActionList list) {
        throw unexpected("fromLustre");
    }

    @Override
    public void recovered(List<WireItem> items, List<Assignment> assignments) {
        throw unexpected("recovered");
    }

    @Override
    public void recoveredLate(List<WireItem> items, List<Assignment> assignments) {
        throw unexpected("recoveredLate");
    }

    @Override
    public void forEachRequest(BiConsumer<WireItem, String> visitor) {
        throw unexpected("forEachRequest");
    }

    private UnsupportedOperationException unexpected(String event) {
        return new UnsupportedOperationException(getClass().getSimpleName() + " does not expect "
                + event);
    }
}
