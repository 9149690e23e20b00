package org.coordinatool.coordinator.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * Any message decodes to a command without an exception, an invalid one saying why; a valid
 * command sent again the way the clients write it decodes to the same command, up to what the
 * encoding leaves out (empty members, items that did not decode).
 */
class JsonCodecCommandFuzzTest {

    @FuzzTest
    void decode(byte[] message) {
        Command command = JsonCodec.decodeCommand(message);
        assertNotNull(command.name());
        if (command instanceof Command.Invalid invalid) {
            assertFalse(invalid.error().isEmpty());
            return;
        }
        if (command instanceof Command.Done done && (done.cookie() == null || done.dfid() == null)) {
            return; // refused by the core; a client has no such done to send
        }
        byte[] sent = JsonCodec.encodeCommand(command);
        Command received = JsonCodec.decodeCommand(sent);
        assertEquals(asSent(command), received);
        assertArrayEquals(sent, JsonCodec.encodeCommand(received));
    }

    /** The command as it reads once encoded: what the encoding omits becomes absent. */
    private static Command asSent(Command command) {
        if (command instanceof Command.Ehlo e) {
            return new Command.Ehlo(emptyToNull(e.id()), emptyToNull(e.fsname()), emptyToNull(e.archiveIds()),
                    emptyToNull(e.haiList()), List.of());
        }
        if (command instanceof Command.Queue q) {
            return new Command.Queue(true, q.items(), List.of(), emptyToNull(q.fsname()));
        }
        return command;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static <T> List<T> emptyToNull(List<T> list) {
        return list == null || list.isEmpty() ? null : list;
    }
}
