package org.coordinatool.coordinator.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.coordinatool.config.ConnectionLimits;
import org.coordinatool.config.TlsSettings;
import org.coordinatool.coordinator.Await;
import org.coordinatool.coordinator.client.ClientProtection;
import org.coordinatool.coordinator.client.Deadline;
import org.coordinatool.coordinator.client.ServerConnection;
import org.coordinatool.coordinator.client.Transport;
import org.coordinatool.coordinator.protocol.Command;
import org.coordinatool.coordinator.protocol.JsonCodec;
import org.coordinatool.coordinator.protocol.Reply;
import org.coordinatool.coordinator.security.TestCertificates;
import org.coordinatool.coordinator.security.TestTokens;
import org.coordinatool.coordinator.security.TlsContexts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * TLS, mutual TLS and tokens between real clients and the real coordinator: what gets through,
 * what is refused, and that each refusal is counted.
 */
class SecureServerTest {

    static final Command.Ehlo ANONYMOUS = new Command.Ehlo(null, null, null, null, List.of());
    static final Command.Ehlo AGENT = new Command.Ehlo("agent_1", "testfs0", List.of(1L), null, List.of());
    static final String DENIED = "commands.denied";

    @TempDir
    static Path certDir;
    static TestCertificates certs;

    ProtectedServer server;

    @BeforeAll
    static void certificates() {
        certs = TestCertificates.create(certDir);
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    static TlsSettings serverTls(boolean mutual) {
        return new TlsSettings(true, Optional.of(certs.server().certificate()), Optional.of(certs.server().key()),
                mutual ? Optional.of(certs.ca()) : Optional.empty());
    }

    static ClientProtection tlsClient(Path ca, TestCertificates.Pair certificate, String token) throws IOException {
        TlsSettings tls = new TlsSettings(true, Optional.ofNullable(certificate).map(TestCertificates.Pair::certificate),
                Optional.ofNullable(certificate).map(TestCertificates.Pair::key), Optional.of(ca));
        return new ClientProtection(Transport.tls(TlsContexts.client(tls)), Optional.ofNullable(token));
    }

    void start(Optional<TlsSettings> tls, boolean tokens) throws Exception {
        server = new ProtectedServer(tls, tokens ? Optional.of(TestTokens.AGENT) : Optional.empty(),
                tokens ? Optional.of(TestTokens.ADMIN) : Optional.empty(), ConnectionLimits.DEFAULTS);
    }

    /** Generous: a first handshake on a busy machine can take seconds. */
    ServerConnection open(String host, ClientProtection protection, Command.Ehlo ehlo) throws Exception {
        return ServerConnection.open(host, server.port(), protection, ehlo, Deadline.after(Duration.ofSeconds(30)));
    }

    /** A single attempt: the retry after 5 s would come after the deadline. */
    IOException openFails(String host, ClientProtection protection, Command.Ehlo ehlo) {
        return assertThrows(IOException.class, () -> ServerConnection.open(host, server.port(), protection, ehlo,
                Deadline.after(Duration.ofSeconds(4))));
    }

    static Reply.StatusReport status(ServerConnection c) throws Exception {
        c.send(new Command.Status(4));
        return assertInstanceOf(Reply.StatusReport.class, JsonCodec.decodeReply(c.read()));
    }

    static List<String> clientIds(Reply.StatusReport status) {
        return status.clients().stream().map(Reply.ClientReport::clientId).toList();
    }

    @Test
    void agentsAndAdministratorsWorkOverTlsWithTheirTokens() throws Exception {
        start(Optional.of(serverTls(false)), true);
        try (ServerConnection agent = open("127.0.0.1", tlsClient(certs.ca(), null, TestTokens.AGENT), AGENT);
             ServerConnection admin = open("localhost", tlsClient(certs.ca(), null, TestTokens.ADMIN), ANONYMOUS);
             ServerConnection anonymous = open("127.0.0.1", tlsClient(certs.ca(), null, null), ANONYMOUS)) {
            agent.send(new Command.Recv(1, 1, 1, 1 << 20));
            Reply.StatusReport full = status(admin);
            assertTrue(clientIds(full).contains("agent_1"), clientIds(full).toString());
            Reply.StatusReport summary = status(anonymous);
            assertEquals(List.of(), summary.clients());
            assertEquals(full.counters(), summary.counters());
            assertEquals(1, summary.clientsConnected());
        }
        assertEquals(0, server.rejected("tls_handshake"));
    }

    @Test
    void aPlainClientIsRefusedByATlsServerAndOthersAreUnaffected() throws Exception {
        start(Optional.of(serverTls(false)), false);
        try (ServerConnection before = open("127.0.0.1", tlsClient(certs.ca(), null, null), ANONYMOUS);
             WireClient plain = new WireClient(server.address)) {
            plain.send("{\"command\": \"ehlo\"}");
            plain.expectClosed();
            assertEquals(1, server.rejected("tls_handshake"));
            assertEquals(0, status(before).locked());
            try (ServerConnection after = open("127.0.0.1", tlsClient(certs.ca(), null, null), ANONYMOUS)) {
                assertEquals(0, status(after).locked());
            }
        }
    }

    @Test
    void aClientRefusesAServerItsCaDidNotSign() throws Exception {
        start(Optional.of(serverTls(false)), false);
        IOException e = openFails("127.0.0.1", tlsClient(certs.otherCa(), null, null), ANONYMOUS);
        assertTrue(e.getMessage().startsWith("cannot connect to 127.0.0.1:" + server.port() + ": TLS with 127.0.0.1"),
                e.getMessage());
    }

    @Test
    void mutualTlsTakesOnlyClientCertificatesItsCaSigned() throws Exception {
        start(Optional.of(serverTls(true)), false);
        try (ServerConnection c = open("127.0.0.1", tlsClient(certs.ca(), certs.client(), null), AGENT)) {
            assertEquals(List.of("agent_1"), clientIds(status(c)));
        }
        openFails("127.0.0.1", tlsClient(certs.ca(), null, null), ANONYMOUS);
        openFails("127.0.0.1", tlsClient(certs.ca(), certs.stranger(), null), ANONYMOUS);
        Await.until("both handshakes are counted", () -> server.rejected("tls_handshake") == 2);
    }

    @Test
    void aWrongTokenIsRefusedAndEndsTheConnection() throws Exception {
        start(Optional.empty(), true);
        try (WireClient c = new WireClient(server.address)) {
            c.send("{\"command\": \"ehlo\", \"id\": \"agent_1\", \"token\": \"agent-token-0123456789abcdeX\"}");
            c.expect("{\"command\": \"ehlo\", \"status\": 13, \"error\": \"Permission denied: invalid token\"}");
            c.expectClosed();
        }
        assertEquals(1, server.rejected("invalid_token"));
        IOException e = openFails("127.0.0.1", new ClientProtection(Transport.PLAIN, Optional.of("x".repeat(20))), AGENT);
        assertTrue(e.getMessage().startsWith("the server refused the ehlo: ehlo reply with status 13"
                + " (Permission denied: invalid token)"), e.getMessage());
    }

    @Test
    void withoutTokenAgentAndAdminCommandsAreDeniedAndTheConnectionStaysUsable() throws Exception {
        start(Optional.empty(), true);
        try (WireClient c = new WireClient(server.address)) {
            c.send("{\"command\": \"ehlo\", \"id\": \"agent_1\"}");
            c.expect("{\"command\": \"ehlo\", \"status\": 13, \"error\": \"Permission denied: an ehlo with an id"
                    + " needs the agent or admin token (member \\\"token\\\" of ehlo)\"}");
            c.send(TcpServerTest.RECV + TcpServerTest.DONE);
            c.expect("{\"command\": \"recv\", \"status\": 13, \"error\": \"Permission denied: recv needs the agent or"
                    + " admin token (member \\\"token\\\" of ehlo)\"}");
            c.expect("{\"command\": \"done\", \"status\": 13, \"error\": \"Permission denied: done needs the agent or"
                    + " admin token (member \\\"token\\\" of ehlo)\"}");
            c.send("{\"command\": \"lock\", \"locked\": 2}{\"command\": \"queue\", \"hsm_action_items\": []}");
            c.expect("{\"command\": \"lock\", \"status\": 13, \"error\": \"Permission denied: lock needs the admin"
                    + " token (member \\\"token\\\" of ehlo)\"}");
            c.expect("{\"command\": \"queue\", \"status\": 13, \"error\": \"Permission denied: queue needs the admin"
                    + " token (member \\\"token\\\" of ehlo)\"}");
            c.send(TcpServerTest.STATUS);
            c.expect("{\"command\": \"status\", \"clients\": []}");
            assertEquals(5, server.count("coordinatool." + DENIED, "permission_denied"));

            // The same connection, once it presents the agent token.
            c.send("{\"command\": \"ehlo\", \"id\": \"agent_1\", \"token\": \"" + TestTokens.AGENT + "\"}");
            c.expect("{\"command\": \"ehlo\"}");
            c.send("{\"command\": \"lock\", \"locked\": 1}");
            c.expect("{\"command\": \"lock\", \"status\": 13, \"error\": \"Permission denied: lock needs the admin"
                    + " token (member \\\"token\\\" of ehlo)\"}");
        }
        try (ServerConnection admin = open("127.0.0.1", new ClientProtection(Transport.PLAIN,
                Optional.of(TestTokens.ADMIN)), ANONYMOUS)) {
            admin.send(new Command.Lock(1));
            assertEquals(new Reply.Simple("lock", 0, null), JsonCodec.decodeReply(admin.read()));
            assertEquals(1, status(admin).locked());
        }
    }

    @Test
    void aServerWithoutTokensAnswersAsTheOriginalAndIgnoresTokens() throws Exception {
        start(Optional.empty(), false);
        try (WireClient c = new WireClient(new InetSocketAddress("127.0.0.1", server.address.getPort()))) {
            c.send("{\"command\": \"ehlo\", \"id\": \"agent_1\", \"token\": \"unknown here\"}"
                    + "{\"command\": \"lock\", \"locked\": 1}");
            c.expect("{\"command\": \"ehlo\"}");
            c.expect("{\"command\": \"lock\"}");
        }
    }

    @Test
    void tokensNeverReachTheLogEvenAtDebugLevel() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger("org.coordinatool");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.DEBUG);
        String wrong = "wrong-token-0123456789";
        try {
            start(Optional.empty(), true);
            try (WireClient c = new WireClient(server.address)) {
                c.send("{\"command\": \"ehlo\", \"archive_ids\": [0], \"token\": \"" + TestTokens.AGENT + "\"}");
                c.expect("{\"command\": \"ehlo\", \"status\": 22, \"error\": \"Bad archive id in list\"}");
                c.send("{\"command\": \"ehlo\", \"archive_ids\": \"1\", \"token\": \"" + TestTokens.AGENT + "\"}");
                assertTrue(c.readObject().contains("\"status\": 22"));
                c.send("{\"command\": \"ehlo\", \"id\": \"a\", \"token\": \"" + TestTokens.AGENT + "\"}");
                c.expect("{\"command\": \"ehlo\"}");
                c.send("{\"command\": \"ehlo\", \"token\": \"" + wrong + "\"}");
                c.readObject();
                c.expectClosed();
            }
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(null);
        }
        assertTrue(appender.list.stream().anyMatch(e -> e.getFormattedMessage().contains("received Ehlo[id=a")),
                "the ehlo was logged, redacted");
        for (ILoggingEvent e : appender.list) {
            for (String secret : List.of(TestTokens.AGENT, TestTokens.ADMIN, wrong)) {
                assertTrue(!e.getFormattedMessage().contains(secret), e.getFormattedMessage());
            }
        }
    }
}
