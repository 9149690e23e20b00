package org.coordinatool.coordinator.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.coordinatool.coordinator.protocol.Command;
import org.coordinatool.coordinator.protocol.Reply;
import org.coordinatool.hsm.Fid;
import org.junit.jupiter.api.Test;

/** Which command each role may send, and how tokens raise a connection's role. */
class ConnectionAccessTest {

    static final Command.Ehlo ANONYMOUS_EHLO = new Command.Ehlo(null, null, null, null, List.of());
    static final Command.Ehlo AGENT_EHLO = new Command.Ehlo("mover1", "fs", List.of(1L), null, List.of());
    static final Command RECV = new Command.Recv(1, 1, 1, 1 << 20);
    static final Command DONE = new Command.Done(1L, new Fid(1, 2, 0), 0);
    static final Command QUEUE = new Command.Queue(true, List.of(), List.of(), null);
    static final Command LOCK = new Command.Lock(1);
    static final Command STATUS = new Command.Status(4);
    static final Command FIND = new Command.Find(new Fid(1, 2, 0), null);

    static final AccessPolicy BOTH = new AccessPolicy(Optional.of(Token.of(TestTokens.AGENT)),
            Optional.of(Token.of(TestTokens.ADMIN)));

    private static Command passed(Admission a) {
        return assertInstanceOf(Admission.Pass.class, a).command();
    }

    private static Admission.Refuse refused(Admission a) {
        return assertInstanceOf(Admission.Refuse.class, a);
    }

    @Test
    void withoutTokensEverythingPassesUnchanged() {
        ConnectionAccess access = AccessPolicy.OPEN.newConnection();
        for (Command c : List.of(ANONYMOUS_EHLO, AGENT_EHLO, RECV, DONE, QUEUE, LOCK, STATUS, FIND)) {
            assertEquals(c, passed(access.admit(c)));
        }
        assertFalse(AccessPolicy.OPEN.tokensConfigured());
    }

    @Test
    void anAnonymousConnectionGetsTheStatusSummaryOnly() {
        ConnectionAccess access = BOTH.newConnection();
        assertEquals(ANONYMOUS_EHLO, passed(access.admit(ANONYMOUS_EHLO)));
        assertEquals(new Command.Status(4, true), passed(access.admit(STATUS)));
        for (Command c : List.of(AGENT_EHLO, RECV, DONE, QUEUE, LOCK, FIND)) {
            Admission.Refuse r = refused(access.admit(c));
            assertEquals(ConnectionAccess.EACCES, r.reply().status());
            assertEquals(c.name(), r.reply().command());
            assertFalse(r.close());
            assertEquals("permission_denied", r.reason());
        }
        assertEquals("Permission denied: an ehlo with an id needs the agent or admin token (member \"token\" of ehlo)",
                refused(access.admit(AGENT_EHLO)).reply().error());
        assertEquals("Permission denied: queue needs the admin token (member \"token\" of ehlo)",
                refused(access.admit(QUEUE)).reply().error());
    }

    @Test
    void theAgentTokenOpensAgentCommandsOnly() {
        ConnectionAccess access = BOTH.newConnection();
        Command ehlo = passed(access.admit(AGENT_EHLO.withToken(TestTokens.AGENT)));
        assertEquals(AGENT_EHLO, ehlo, "the token is not passed on");
        assertNull(((Command.Ehlo) ehlo).token());
        assertEquals(Role.AGENT, access.role());
        assertEquals(RECV, passed(access.admit(RECV)));
        assertEquals(DONE, passed(access.admit(DONE)));
        refused(access.admit(QUEUE));
        refused(access.admit(LOCK));
        refused(access.admit(FIND));
        assertEquals(new Command.Status(4, true), passed(access.admit(STATUS)));
    }

    @Test
    void theAdminTokenOpensEverything() {
        ConnectionAccess access = BOTH.newConnection();
        passed(access.admit(ANONYMOUS_EHLO.withToken(TestTokens.ADMIN)));
        assertEquals(Role.ADMIN, access.role());
        for (Command c : List.of(RECV, DONE, QUEUE, LOCK, STATUS, FIND)) {
            assertEquals(c, passed(access.admit(c)));
        }
    }

    @Test
    void aWrongTokenEndsTheConnection() {
        ConnectionAccess access = BOTH.newConnection();
        Admission.Refuse r = refused(access.admit(AGENT_EHLO.withToken("agent-token-0123456789abcdeX")));
        assertTrue(r.close());
        assertEquals("invalid_token", r.reason());
        assertEquals(new Reply.Simple("ehlo", 13, "Permission denied: invalid token"), r.reply());
        assertEquals(Role.ANONYMOUS, access.role());
    }

    @Test
    void aTokenSentToAServerWithoutTokensIsIgnored() {
        ConnectionAccess access = AccessPolicy.OPEN.newConnection();
        assertEquals(AGENT_EHLO, passed(access.admit(AGENT_EHLO.withToken(TestTokens.AGENT))));
        assertEquals(LOCK, passed(access.admit(LOCK)));
    }

    @Test
    void aLaterEhloNeverLowersTheRole() {
        ConnectionAccess access = BOTH.newConnection();
        passed(access.admit(ANONYMOUS_EHLO.withToken(TestTokens.ADMIN)));
        passed(access.admit(AGENT_EHLO.withToken(TestTokens.AGENT)));
        assertEquals(Role.ADMIN, access.role());
    }

    @Test
    void onlyTheConfiguredTokenGuardsItsCommands() {
        AccessPolicy agentOnly = new AccessPolicy(Optional.of(Token.of(TestTokens.AGENT)), Optional.empty());
        ConnectionAccess anonymous = agentOnly.newConnection();
        refused(anonymous.admit(RECV));
        assertEquals(QUEUE, passed(anonymous.admit(QUEUE)));
        assertEquals(STATUS, passed(anonymous.admit(STATUS)));

        AccessPolicy adminOnly = new AccessPolicy(Optional.empty(), Optional.of(Token.of(TestTokens.ADMIN)));
        ConnectionAccess agent = adminOnly.newConnection();
        assertEquals(AGENT_EHLO, passed(agent.admit(AGENT_EHLO)));
        assertEquals(RECV, passed(agent.admit(RECV)));
        refused(agent.admit(LOCK));
        // The agent token of another server is no token here.
        assertTrue(refused(adminOnly.newConnection().admit(ANONYMOUS_EHLO.withToken(TestTokens.AGENT))).close());
    }

    @Test
    void theEhloNeverShowsItsToken() {
        assertFalse(AGENT_EHLO.withToken(TestTokens.AGENT).toString().contains(TestTokens.AGENT));
    }
}
