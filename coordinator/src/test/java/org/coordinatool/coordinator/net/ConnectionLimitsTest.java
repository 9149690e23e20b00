package org.coordinatool.coordinator.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.coordinatool.config.ConnectionLimits;
import org.coordinatool.coordinator.Await;
import org.coordinatool.coordinator.security.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each limit turns one peer away or holds it back, counts it, and leaves the other connections
 * alone.
 */
class ConnectionLimitsTest {

    /** What an anonymous peer gets from a server with tokens: the same summary every time. */
    static final String STATUS_REPLY = "{\"command\": \"status\", \"clients\": []}";

    ProtectedServer server;

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    void start(ConnectionLimits limits) throws Exception {
        server = new ProtectedServer(Optional.empty(), Optional.of(TestTokens.AGENT), Optional.of(TestTokens.ADMIN),
                limits);
    }

    /** A connection the server has taken in: it answers a status. */
    WireClient served() throws IOException {
        WireClient c = new WireClient(server.address);
        c.send(TcpServerTest.STATUS);
        c.expect(STATUS_REPLY);
        return c;
    }

    @Test
    void connectionsOverTheLimitGetAnErrorAndAreClosed() throws Exception {
        start(new ConnectionLimits(2, 1024, 300_000));
        try (WireClient first = served(); WireClient second = served();
             WireClient third = new WireClient(server.address)) {
            third.expect("{\"command\": \"error\", \"status\": 11, \"error\": \"Too many connections, try again later\"}");
            third.expectClosed();
            assertEquals(1, server.rejected("max_connections"));
            first.send(TcpServerTest.STATUS);
            first.expect(STATUS_REPLY);
            second.close();
            // Its place is free once the server has seen it go.
            Await.until("the closed connection is forgotten", () -> {
                try (WireClient again = new WireClient(server.address)) {
                    again.send(TcpServerTest.STATUS);
                    return again.readObject().equals(STATUS_REPLY);
                } catch (IOException e) {
                    return false;
                }
            });
        }
    }

    @Test
    void anOversizedMessageIsCounted() throws Exception {
        start(ConnectionLimits.DEFAULTS);
        try (WireClient big = new WireClient(server.address); WireClient other = served()) {
            big.send("{\"command\": \"status\", \"pad\": \"" + "x".repeat(2 << 20) + "\"}");
            assertTrue(big.readObject().startsWith("{\"command\": \"error\", \"status\": 90"));
            big.expectClosed();
            assertEquals(1, server.rejected("frame_too_large"));
            other.send(TcpServerTest.STATUS);
            other.expect(STATUS_REPLY);
        }
    }

    @Test
    void aConnectionStalledMidMessageIsClosedAfterTheFrameTimeoutAndCounted() throws Exception {
        start(new ConnectionLimits(1024, 1024, 300));
        try (WireClient stalled = new WireClient(server.address); WireClient other = served()) {
            stalled.send("{\"command\": \"sta");
            stalled.expectClosed();
            assertEquals(1, server.rejected("frame_timeout"));
            other.send(TcpServerTest.STATUS);
            other.expect(STATUS_REPLY);
        }
    }

    @Test
    void aPeerThatDoesNotReadItsRepliesIsNoLongerReadAndOthersAreServed() throws Exception {
        start(new ConnectionLimits(1024, 16, 300_000));
        Socket slow = new Socket();
        slow.setReceiveBufferSize(4096);
        slow.connect(server.address);
        byte[] command = TcpServerTest.STATUS.getBytes(StandardCharsets.UTF_8);
        Thread writer = new Thread(() -> {
            try (OutputStream out = slow.getOutputStream()) {
                while (true) {
                    out.write(command);
                }
            } catch (IOException e) {
                // Closed by the test once the server has stopped reading.
            }
        }, "slow-peer-writer");
        writer.start();
        try {
            Await.until("the server stops reading the slow peer",
                    () -> server.count("coordinatool.connections.throttled", "pending_replies") >= 1);
            try (WireClient other = served()) {
                other.send(TcpServerTest.STATUS);
                other.expect(STATUS_REPLY);
            }
        } finally {
            slow.close();
            writer.join(10_000);
        }
        assertEquals(0, server.rejected("max_connections"));
    }

    @Test
    void aPeerThatCatchesUpIsReadAgainAndLosesNothing() throws Exception {
        start(new ConnectionLimits(1024, 16, 300_000));
        int commands = 20_000;
        try (Socket peer = new Socket()) {
            peer.setReceiveBufferSize(4096);
            peer.connect(new InetSocketAddress(server.address.getAddress(), server.address.getPort()));
            peer.setSoTimeout(30_000);
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = peer.getOutputStream();
                    byte[] command = TcpServerTest.STATUS.getBytes(StandardCharsets.UTF_8);
                    for (int i = 0; i < commands; i++) {
                        out.write(command);
                    }
                    out.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, "peer-writer");
            writer.start();
            Await.until("the server stops reading the peer",
                    () -> server.count("coordinatool.connections.throttled", "pending_replies") >= 1);
            byte[] reply = STATUS_REPLY.getBytes(StandardCharsets.UTF_8);
            byte[] all = peer.getInputStream().readNBytes(reply.length * commands);
            assertEquals(reply.length * commands, all.length);
            writer.join(30_000);
            String text = new String(all, StandardCharsets.UTF_8);
            assertEquals(STATUS_REPLY.repeat(commands), text);
        }
    }
}
