package org.coordinatool.coordinator.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.coordinatool.coordinator.protocol.Command;
import org.coordinatool.coordinator.protocol.Reply;
import org.junit.jupiter.api.Test;

/** A command the network layer refused is answered in turn and changes nothing. */
class DeniedTest {

    private final Harness h = Harness.builder().build();

    @Test
    void aDeniedCommandIsAnsweredWithItsStatusAndChangesNothing() {
        RecordingConnection peer = h.admin();
        h.send(peer, new Command.Denied("lock", 13, "Permission denied: lock needs the admin token"));
        assertEquals(new Reply.Simple("lock", 13, "Permission denied: lock needs the admin token"), peer.last());
        assertEquals(0, h.status(4).locked());
    }
}
