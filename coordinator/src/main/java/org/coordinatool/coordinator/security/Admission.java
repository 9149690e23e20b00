package org.coordinatool.coordinator.security;

import org.coordinatool.coordinator.protocol.Command;
import org.coordinatool.coordinator.protocol.Reply;

/** What becomes of one command once the connection's role is checked. */
public sealed interface Admission {

    /** The command goes to the coordinator, possibly narrowed (a token removed, a status reduced). */
    record Pass(Command command) implements Admission {
    }

    /**
     * The command is refused with {@code reply}.
     *
     * @param close  end the connection after the reply (a wrong token: one guess per connection)
     * @param reason short name of the refusal for logs and metrics
     */
    record Refuse(Reply.Simple reply, boolean close, String reason) implements Admission {
    }
}
