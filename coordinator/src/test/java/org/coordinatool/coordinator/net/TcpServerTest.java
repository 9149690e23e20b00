package org.coordinatool.coordinator.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.coordinatool.config.ConnectionLimits;
import org.coordinatool.coordinator.core.ClientConnection;
import org.coordinatool.coordinator.protocol.Command;
import org.coordinatool.coordinator.protocol.Reply;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.hsm.Fid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The protocol over real sockets: spec §2.7 byte for byte, and every kind of bad input. */
class TcpServerTest {

    static final Fid FID = new Fid(8589955619L, 7374, 0);
    static final WireItem ITEM = new WireItem(20, FID, FID, 0, -1, 1635591151L, 0, 1, 0,
            "tag=n1".getBytes(StandardCharsets.UTF_8), 1735689600123456789L, null);
    static final String ITEM_JSON = "{\"hai_action\": 20, \"hai_fid\": {\"f_seq\": 8589955619, \"f_oid\": 7374, \"f_ver\": 0}, "
            + "\"hai_dfid\": {\"f_seq\": 8589955619, \"f_oid\": 7374, \"f_ver\": 0}, "
            + "\"hai_extent_offset\": 0, \"hai_extent_length\": -1, \"hai_cookie\": 1635591151, "
            + "\"hai_gid\": 0, \"hal_archive_id\": 1, \"hal_flags\": 0, \"hai_data\": \"tag=n1\", "
            + "\"timestamp\": 1735689600123456789}";
    static final String RECV = "{\"command\": \"recv\", \"max_archive\": 3, \"max_restore\": 3, \"max_remove\": 3, \"max_bytes\": 1048576}";
    static final String DONE = "{\"command\": \"done\", \"hai_cookie\": 1635591151, "
            + "\"hai_dfid\": {\"f_seq\": 8589955619, \"f_oid\": 7374, \"f_ver\": 0}, \"status\": 0}";
    static final String STATUS = "{\"command\": \"status\", \"verbose\": 4}";

    static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofMillis(ConnectionLimits.DEFAULTS.frameTimeoutMs());

    final ScriptedEvents events = new ScriptedEvents();
    final DefaultEventLoop stateLoop = new DefaultEventLoop(new DefaultThreadFactory("state-loop"));
    final List<TcpServer> servers = new ArrayList<>();
    final List<WireClient> clients = new ArrayList<>();

    InetSocketAddress start(int maxFrameBytes, Duration stallTimeout) throws Exception {
        TcpServer server = new TcpServer(new TcpServer.Options("127.0.0.1", "0", maxFrameBytes,
                new ConnectionLimits(1024, 1024, stallTimeout.toMillis())), TcpServer.Protection.NONE,
                new SimpleMeterRegistry(), stateLoop, events);
        servers.add(server);
        return server.start();
    }

    InetSocketAddress start() throws Exception {
        return start(1 << 20, DEFAULT_STALL_TIMEOUT);
    }

    /** A server answering with the spec's example replies, and a peer connected to it. */
    WireClient specPeer() throws Exception {
        events.script = TcpServerTest::specReplies;
        return connect(start());
    }

    WireClient connect(InetSocketAddress address) throws Exception {
        WireClient c = new WireClient(address);
        clients.add(c);
        events.next("connected");
        return c;
    }

    @AfterEach
    void stop() throws Exception {
        for (WireClient c : clients) {
            c.close();
        }
        servers.forEach(TcpServer::close);
        stateLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    /** Replies as the coordinator would for the spec's exchanges. */
    static List<Reply> specReplies(Command c) {
        if (c instanceof Command.Ehlo e) {
            return List.of("agent_dup".equals(e.id())
                    ? new Reply.Simple("ehlo", 17, "id already used by another client")
                    : Reply.Simple.ok("ehlo"));
        } else if (c instanceof Command.Done) {
            return List.of(Reply.Simple.ok("done"));
        } else if (c instanceof Command.Lock l) {
            return List.of(l.locked() > 2 ? new Reply.Simple("lock", 22, "invalid locked value") : Reply.Simple.ok("lock"));
        } else if (c instanceof Command.Queue) {
            return List.of(new Reply.QueueResult(1, 1, 0, null));
        } else if (c instanceof Command.Status) {
            return List.of(new Reply.StatusReport(new Reply.Counters(0, 3, 0, 0, 7, 0, 0, 0, 12, 0, 0), 2, 0, List.of(
                    new Reply.ClientReport("localhost:40522", 0, 0, 0, 0, 0, 0, "ready", List.of(), 0, null, null),
                    new Reply.ClientReport("agent_1", 0, 3, 0, 0, 12, 0, "ready", List.of(), 0, null, null)), null));
        }
        return List.of();
    }

    // ------------------------------------------------------------------ spec §2.7

    @Test
    void agentStartUpExchange() throws Exception {
        WireClient agent = specPeer();
        agent.send("{\"command\": \"ehlo\", \"fsname\": \"testfs0\", \"archive_ids\": [1], \"id\": \"agent_1\"}");
        assertEquals(new Command.Ehlo("agent_1", "testfs0", List.of(1L), null, List.of()), events.nextCommand());
        agent.expect("{\"command\": \"ehlo\"}");

        agent.send(RECV);
        ScriptedEvents.Event recv = events.next("received");
        assertEquals(new Command.Recv(3, 3, 3, 1048576), recv.command());
        assertEquals("state-loop", recv.thread().substring(0, "state-loop".length()));
        // Work arrives later: the reply is the next thing on the wire, nothing came before it.
        stateLoop.execute(() -> recv.connection().send(new Reply.ActionList(1, 0, "testfs0", List.of(ITEM))));
        agent.expect("{\"hsm_action_list\": {\"hal_version\": 1, \"hal_archive_id\": 1, \"hal_fsname\": \"testfs0\", "
                + "\"list\": [" + ITEM_JSON + "]}, \"command\": \"recv\"}");

        agent.send(RECV + DONE);
        assertEquals(new Command.Recv(3, 3, 3, 1048576), events.nextCommand());
        assertEquals(new Command.Done(1635591151L, FID, 0), events.nextCommand());
        agent.expect("{\"command\": \"done\"}");
        agent.send(STATUS);
        events.nextCommand();
        assertTrue(agent.readObject().startsWith("{\"command\": \"status\", "), "no stray byte after the done reply");
    }

    @Test
    void adminStatusExchange() throws Exception {
        WireClient admin = specPeer();
        admin.send("{\"command\": \"ehlo\"}");
        assertEquals(new Command.Ehlo(null, null, null, null, List.of()), events.nextCommand());
        admin.expect("{\"command\": \"ehlo\"}");
        admin.send(STATUS);
        assertEquals(new Command.Status(4), events.nextCommand());
        admin.expect("{\"command\": \"status\", \"running_archive\": 3, \"pending_archive\": 7, \"done_archive\": 12, "
                + "\"clients_connected\": 2, \"clients\": ["
                + "{\"client_id\": \"localhost:40522\", \"status\": \"ready\", \"batches\": []}, "
                + "{\"client_id\": \"agent_1\", \"current_archive\": 3, \"done_archive\": 12, \"status\": \"ready\", "
                + "\"batches\": []}]}");
    }

    @Test
    void requeueExchange() throws Exception {
        WireClient admin = specPeer();
        String itemB = ITEM_JSON.replace("7374", "7375");
        admin.send("{\"hsm_action_items\": [ " + ITEM_JSON + ", " + itemB + " ], \"command\": \"queue\"}");
        Command.Queue q = assertInstanceOf(Command.Queue.class, events.nextCommand());
        assertEquals(2, q.items().size());
        assertEquals(ITEM, q.items().get(0));
        assertEquals(new Fid(8589955619L, 7375, 0), q.items().get(1).dfid());
        admin.expect("{\"command\": \"queue\", \"enqueued\": 1, \"skipped\": 1}");
    }

    @Test
    void errorExchanges() throws Exception {
        events.script = TcpServerTest::specReplies;
        InetSocketAddress address = start();
        WireClient c = connect(address);
        c.send("{\"command\": \"recv\", \"max_archive\": -1, \"max_restore\": -1, \"max_remove\": -1, \"max_bytes\": 1048576}");
        ScriptedEvents.Event recv = events.next("received");
        stateLoop.execute(() -> recv.connection().send(
                new Reply.Simple("recv", 22, "Client must send EHLO first and not already be in RECV")));
        c.expect("{\"command\": \"recv\", \"status\": 22, \"error\": \"Client must send EHLO first and not already be in RECV\"}");
        c.send("{\"command\": \"ehlo\", \"id\": \"agent_dup\"}");
        events.nextCommand();
        c.expect("{\"command\": \"ehlo\", \"status\": 17, \"error\": \"id already used by another client\"}");
        c.send("{\"command\": \"lock\", \"locked\": 7}");
        assertEquals(new Command.Lock(7), events.nextCommand());
        c.expect("{\"command\": \"lock\", \"status\": 22, \"error\": \"invalid locked value\"}");
    }

    @Test
    void reconnectExchange() throws Exception {
        WireClient agent = specPeer();
        String itemY = ITEM_JSON.replace("1635591151", "1635591152");
        agent.send("{\"command\": \"ehlo\", \"fsname\": \"testfs0\", \"hai_list\": [ " + ITEM_JSON + ", " + itemY
                + " ], \"id\": \"agent_1\"}");
        Command.Ehlo e = assertInstanceOf(Command.Ehlo.class, events.nextCommand());
        assertEquals("agent_1", e.id());
        assertEquals("testfs0", e.fsname());
        assertEquals(2, e.haiList().size());
        assertEquals(ITEM, e.haiList().get(0));
        assertEquals(1635591152L, e.haiList().get(1).cookie());
        agent.expect("{\"command\": \"ehlo\"}");
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void malformedJsonInsideAMessageIsAnsweredAndTheConnectionStaysUsable() throws Exception {
        WireClient c = specPeer();
        c.send("{\"command\": \"status\", \"verbose\": tru}");
        String reply = c.readObject();
        assertTrue(reply.startsWith("{\"command\": \"status\", \"status\": 22, \"error\": \"invalid JSON: Unrecognized token 'tru'"),
                reply);
        c.send(STATUS);
        assertEquals(new Command.Status(4), events.nextCommand());
        assertTrue(c.readObject().contains("\"running_archive\": 3"));
    }

    @Test
    void wrongTypesUnknownCommandsAndMissingCommandGetEinval() throws Exception {
        WireClient c = specPeer();
        c.send("{\"command\": \"recv\", \"max_bytes\": \"1M\"}");
        c.expect("{\"command\": \"recv\", \"status\": 22, \"error\": \"recv: max_bytes: expected an integer, got a string\"}");
        c.send("{\"command\": \"fly\"}");
        c.expect("{\"command\": \"fly\", \"status\": 22, \"error\": \"unknown command \\\"fly\\\"\"}");
        c.send("{\"verbose\": 4}");
        c.expect("{\"command\": \"error\", \"status\": 22, \"error\": \"missing \\\"command\\\" member\"}");
        c.send("{\"command\": 4}");
        c.expect("{\"command\": \"error\", \"status\": 22, \"error\": \"command: expected a string, got an integer\"}");
        c.send("[1, 2]");
        c.expect("{\"command\": \"error\", \"status\": 22, \"error\": \"a message must be a JSON object, got an array\"}");
        c.send("{\"command\": \"done\", \"status\": \"ok\"}");
        c.expect("{\"command\": \"done\", \"status\": 22, \"error\": \"done: status: expected an integer, got a string\"}");
        c.send("{\"command\": \"lock\", \"locked\": 1}");
        c.expect("{\"command\": \"lock\"}");
        // Only the valid command is recorded; the refused ones were answered as the coordinator does.
        assertEquals(new Command.Lock(1), events.nextCommand());
        assertNull(events.events.poll());
    }

    @Test
    void repliesKeepRequestOrderAcrossRefusedMessages() throws Exception {
        WireClient c = specPeer();
        c.send("{\"command\": \"lock\", \"locked\": 1}{\"command\": \"nope\"}\n\t {\"command\": \"done\"}");
        c.expect("{\"command\": \"lock\"}");
        c.expect("{\"command\": \"nope\", \"status\": 22, \"error\": \"unknown command \\\"nope\\\"\"}");
        c.expect("{\"command\": \"done\"}");
    }

    @Test
    void aFloodOfPipelinedCommandsIsAnsweredInFull() throws Exception {
        WireClient c = specPeer();
        String lock = "{\"command\": \"lock\", \"locked\": 1}";
        c.send(lock.repeat(1000));
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            expected.append("{\"command\": \"lock\"}");
        }
        c.expect(expected.toString());
        c.send(DONE);
        c.expect("{\"command\": \"done\"}");
    }

    @Test
    void framesStringsEndingInAnEscapedBackslash() throws Exception {
        WireClient c = specPeer();
        c.send("{\"command\": \"ehlo\", \"id\": \"a\\\\\"}{\"command\": \"lock\", \"locked\": 0}");
        assertEquals(new Command.Ehlo("a\\", null, null, null, List.of()), events.nextCommand());
        assertEquals(new Command.Lock(0), events.nextCommand());
        c.expect("{\"command\": \"ehlo\"}{\"command\": \"lock\"}");
    }

    @Test
    void aMessageArrivingByteByByteIsDecoded() throws Exception {
        WireClient c = specPeer();
        for (byte b : DONE.getBytes(StandardCharsets.UTF_8)) {
            c.send(new byte[] {b});
        }
        assertEquals(new Command.Done(1635591151L, FID, 0), events.nextCommand());
        c.expect("{\"command\": \"done\"}");
    }

    @Test
    void aBrokenStreamGetsAnErrorThenIsClosed() throws Exception {
        events.script = TcpServerTest::specReplies;
        InetSocketAddress address = start();
        WireClient c = connect(address);
        c.send("{\"command\": \"lock\", \"locked\": 1}}{\"command\": \"lock\", \"locked\": 1}");
        assertEquals(new Command.Lock(1), events.nextCommand());
        c.expect("{\"command\": \"lock\"}");
        String error = c.readObject();
        assertTrue(error.startsWith("{\"command\": \"error\", \"status\": 22, \"error\": \"invalid JSON: a message must start with '{', got '}'"),
                error);
        c.expectClosed();
        events.next("disconnected");
        assertNull(events.events.poll(), "nothing after the break reached the coordinator");
        WireClient other = connect(address);
        other.send(DONE);
        other.expect("{\"command\": \"done\"}");
    }

    @Test
    void anOversizedMessageGetsEmsgsizeThenIsClosed() throws Exception {
        events.script = TcpServerTest::specReplies;
        InetSocketAddress address = start(1024, DEFAULT_STALL_TIMEOUT);
        WireClient big = connect(address);
        WireClient small = connect(address);
        String exactlyMax = "{\"command\": \"lock\", \"locked\": 1, \"pad\": \"" + "x".repeat(1024 - 43) + "\"}";
        assertEquals(1024, exactlyMax.length());
        big.send(exactlyMax);
        assertEquals(new Command.Lock(1), events.nextCommand());
        big.expect("{\"command\": \"lock\"}");
        big.send("{\"command\": \"lock\", \"locked\": 1, \"pad\": \"" + "x".repeat(5000) + "\"}");
        big.expect("{\"command\": \"error\", \"status\": 90, \"error\": \"message larger than 1024 bytes\"}");
        big.expectClosed();
        events.next("disconnected");
        small.send(DONE);
        small.expect("{\"command\": \"done\"}");
    }

    @Test
    void aClientStalledMidMessageDoesNotBlockOthersAndIsClosedAfterTheTimeout() throws Exception {
        events.script = TcpServerTest::specReplies;
        InetSocketAddress address = start(1 << 20, Duration.ofSeconds(1));
        WireClient idle = connect(address);
        WireClient stalled = connect(address);
        stalled.send("{\"command\": \"status\", \"verb");
        WireClient other = connect(address);
        other.send(DONE);
        assertEquals(new Command.Done(1635591151L, FID, 0), events.nextCommand());
        other.expect("{\"command\": \"done\"}");

        long start = System.nanoTime();
        stalled.expectClosed();
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(500), "closed too early");
        ScriptedEvents.Event gone = events.next("disconnected");
        assertEquals(stalled.localName(), gone.connection().peerName());
        // A connection idle between messages for longer than the timeout is left alone.
        idle.send(DONE);
        events.nextCommand();
        idle.expect("{\"command\": \"done\"}");
    }

    @Test
    void aClientLeavingDuringABigReplyIsJustADisconnect() throws Exception {
        byte[] data = "d".repeat(1000).getBytes(StandardCharsets.UTF_8);
        List<WireItem> many = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            many.add(ITEM.withData(data));
        }
        events.script = c -> c instanceof Command.Recv
                ? List.of(new Reply.ActionList(1, 0, "testfs0", many)) : specReplies(c);
        InetSocketAddress address = start();
        WireClient leaving = connect(address);
        leaving.socket().setReceiveBufferSize(4096);
        leaving.send(RECV);
        ClientConnection conn = events.next("received").connection();
        leaving.socket().setSoLinger(true, 0);
        leaving.close();
        ScriptedEvents.Event gone = events.next("disconnected");
        assertEquals(conn, gone.connection());
        WireClient other = connect(address);
        other.send(DONE);
        other.expect("{\"command\": \"done\"}");
    }

    @Test
    void peerNameIsTheNumericAddressAndPort() throws Exception {
        InetSocketAddress address = start();
        WireClient c = new WireClient(address);
        clients.add(c);
        ClientConnection conn = events.next("connected").connection();
        assertEquals(c.localName(), conn.peerName());
        assertNotEquals(0, c.socket().getLocalPort());
    }
}
