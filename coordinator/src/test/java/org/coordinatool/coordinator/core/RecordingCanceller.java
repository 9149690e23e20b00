package org.coordinatool.coordinator.core;

import java.util.ArrayList;
import java.util.List;
import org.coordinatool.coordinator.protocol.WireItem;

final class RecordingCanceller implements LustreCanceller {
    final List<WireItem> cancelled = new ArrayList<>();

    @Override
    public void reportCancelled(WireItem item) {
        cancelled.add(item);
    }
}
