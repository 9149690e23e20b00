package org.coordinatool.coordinator.security;

import java.util.Optional;
import org.coordinatool.coordinator.protocol.Command;
import org.coordinatool.coordinator.protocol.Reply;

/**
 * The role one connection has proved, raised by the tokens of its ehlo requests, and the check
 * of each command against it. Used by one connection's I/O thread, in the order commands arrive,
 * so a token applies to the commands that follow its ehlo.
 */
public final class ConnectionAccess {

    /** errno for a refused command: EACCES ("Permission denied"). */
    public static final int EACCES = 13;

    private final AccessPolicy policy;
    private Role role = Role.ANONYMOUS;

    ConnectionAccess(AccessPolicy policy) {
        this.policy = policy;
    }

    public Role role() {
        return role;
    }

    public Admission admit(Command command) {
        if (command instanceof Command.Ehlo e) {
            return ehlo(e);
        }
        if (command instanceof Command.Recv || command instanceof Command.Done) {
            return require(command, Role.AGENT);
        }
        if (command instanceof Command.Queue || command instanceof Command.Lock || command instanceof Command.Find) {
            return require(command, Role.ADMIN);
        }
        if (command instanceof Command.Status s && !policy.permits(role, Role.ADMIN)) {
            return new Admission.Pass(new Command.Status(s.verbose(), true));
        }
        return new Admission.Pass(command);
    }

    private Admission ehlo(Command.Ehlo e) {
        if (e.token() != null && !policy.tokensConfigured()) {
            // As the original ignores it: agents may get their token before the server requires it.
            return new Admission.Pass(e.withToken(null));
        }
        if (e.token() != null) {
            Optional<Role> proved = policy.roleOf(e.token());
            if (proved.isEmpty()) {
                return new Admission.Refuse(new Reply.Simple(e.name(), EACCES, "Permission denied: invalid token"),
                        true, "invalid_token");
            }
            if (proved.get().includes(role)) {
                role = proved.get();
            }
            e = e.withToken(null);
        }
        boolean agent = e.id() != null && !e.id().isEmpty();
        return agent ? require(e, Role.AGENT) : new Admission.Pass(e);
    }

    private Admission require(Command command, Role needed) {
        if (policy.permits(role, needed)) {
            return new Admission.Pass(command);
        }
        String what = command instanceof Command.Ehlo ? "an ehlo with an id" : command.name();
        String token = needed == Role.AGENT ? "the agent or admin token" : "the admin token";
        return new Admission.Refuse(new Reply.Simple(command.name(), EACCES, "Permission denied: " + what
                + " needs " + token + " (member \"token\" of ehlo)"), false, "permission_denied");
    }
}
