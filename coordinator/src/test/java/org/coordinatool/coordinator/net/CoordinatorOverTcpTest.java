package org.coordinatool.coordinator.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.coordinatool.coordinator.core.RequestTelemetry;
import org.coordinatool.config.ConfigLoader;
import org.coordinatool.config.ConnectionLimits;
import org.coordinatool.config.ServerSettings;
import org.coordinatool.config.Side;
import org.coordinatool.coordinator.core.Clock;
import org.coordinatool.coordinator.core.Coordinator;
import org.coordinatool.coordinator.core.PathResolver;
import org.coordinatool.coordinator.protocol.JsonCodec;
import org.coordinatool.coordinator.protocol.Reply;
import org.coordinatool.coordinator.core.RequestStore;
import org.coordinatool.coordinator.report.ReportWriter;
import org.coordinatool.hsm.Fid;
import org.coordinatool.hsm.HsmAction;
import org.coordinatool.hsm.HsmActionItem;
import org.coordinatool.hsm.HsmActionList;
import org.coordinatool.hsm.HsmExtent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real coordinator behind the real TCP server, driven through raw sockets with the exchanges
 * of spec §2.7, byte for byte (error statuses positive, as decided for this implementation).
 */
class CoordinatorOverTcpTest {

    static final long NOW = 1735689600123456789L;
    static final Fid FID = new Fid(8589955619L, 7374, 0);
    static final String FID_JSON = "{\"f_seq\": 8589955619, \"f_oid\": 7374, \"f_ver\": 0}";

    static String item(long cookie, String fidJson) {
        return "{\"hai_action\": 20, \"hai_fid\": " + fidJson + ", \"hai_dfid\": " + fidJson + ", "
                + "\"hai_extent_offset\": 0, \"hai_extent_length\": -1, \"hai_cookie\": " + cookie + ", "
                + "\"hai_gid\": 0, \"hal_archive_id\": 1, \"hal_flags\": 0, \"hai_data\": \"tag=n1\", "
                + "\"timestamp\": " + NOW + "}";
    }

    static final String EHLO_AGENT = "{\"command\": \"ehlo\", \"fsname\": \"testfs0\", \"archive_ids\": [1], \"id\": \"agent_1\"}";
    static final String RECV = "{\"command\": \"recv\", \"max_archive\": 3, \"max_restore\": 3, \"max_remove\": 3, \"max_bytes\": 1048576}";
    static final String DONE = "{\"command\": \"done\", \"hai_cookie\": 1635591151, \"hai_dfid\": " + FID_JSON + ", \"status\": 0}";

    /** Epoch time frozen so that item timestamps are known; deadlines still use the real monotonic clock. */
    static final Clock FROZEN_EPOCH = new Clock() {
        public long monotonicNanos() {
            return System.nanoTime();
        }

        public long epochNanos() {
            return NOW;
        }
    };

    final DefaultEventLoop stateLoop = new DefaultEventLoop(new DefaultThreadFactory("state-loop"));
    final CompletableFuture<Void> terminated = new CompletableFuture<>();
    /** The files path resolution knows; resolving runs on its own thread, as on a real server. */
    final Map<String, Fid> files = new ConcurrentHashMap<>();
    final ExecutorService resolverThread = Executors.newSingleThreadExecutor();
    final PathResolver paths = (path, done) -> resolverThread.execute(() -> {
        Fid fid = files.get(path);
        PathResolver.Resolution r = fid == null ? PathResolver.Resolution.failed(2, "no such file: " + path)
                : PathResolver.Resolution.of(fid);
        stateLoop.execute(() -> done.accept(r));
    });
    Coordinator coordinator;
    TcpServer server;
    InetSocketAddress address;

    @BeforeEach
    void start() throws Exception {
        ServerSettings settings = new ConfigLoader(Path.of("/nonexistent/coordinatool.conf"), () -> "testhost")
                .load(Side.SERVER, null, Map.of(), Map.of("client_grace_ms", List.of("600000"))).server();
        coordinator = new Coordinator(settings, "testfs0", RequestStore.NONE,
                item -> { }, FROZEN_EPOCH, new EventLoopTimers(stateLoop), new Random(1), ReportWriter.NONE,
                paths, () -> terminated.complete(null), RequestTelemetry.NONE);
        server = new TcpServer(new TcpServer.Options("127.0.0.1", "0", 1 << 20, ConnectionLimits.DEFAULTS),
                TcpServer.Protection.NONE, new SimpleMeterRegistry(), stateLoop, coordinator);
        address = server.start();
    }

    @AfterEach
    void stop() throws Exception {
        stateLoop.submit(coordinator::shutdown).await(5, TimeUnit.SECONDS);
        server.close();
        stateLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        resolverThread.shutdownNow();
    }

    void fromLustre(long... cookies) {
        List<HsmActionItem> items = new java.util.ArrayList<>();
        for (long cookie : cookies) {
            items.add(new HsmActionItem(HsmAction.ARCHIVE, FID, FID, HsmExtent.WHOLE_FILE, cookie, 0,
                    "tag=n1".getBytes(StandardCharsets.UTF_8)));
        }
        stateLoop.execute(() -> coordinator.fromLustre(new HsmActionList(0, 1, "testfs0", items)));
    }

    /** Runs a no-op through the state loop: everything queued before it has been handled. */
    void settle() throws Exception {
        stateLoop.submit(() -> { }).await(5, TimeUnit.SECONDS);
    }

    WireClient connect() throws Exception {
        return new WireClient(address);
    }

    @Test
    void agentStartUp() throws Exception {
        try (WireClient agent = connect()) {
            agent.send(EHLO_AGENT);
            agent.expect("{\"command\": \"ehlo\"}");
            agent.send(RECV);
            settle();
            fromLustre(1635591151L);
            agent.expect("{\"hsm_action_list\": {\"hal_version\": 1, \"hal_archive_id\": 1, \"hal_fsname\": \"testfs0\", "
                    + "\"list\": [" + item(1635591151L, FID_JSON) + "]}, \"command\": \"recv\"}");
            agent.send(RECV + DONE);
            agent.expect("{\"command\": \"done\"}");
        }
    }

    @Test
    void adminStatus() throws Exception {
        try (WireClient agent = connect()) {
            agent.send(EHLO_AGENT);
            agent.expect("{\"command\": \"ehlo\"}");
            fromLustre(1635591151L, 1635591152L);
            agent.send(RECV);
            agent.readObject();
            agent.send(DONE);
            agent.expect("{\"command\": \"done\"}");
            // Connected only once the agent is known: two connections opened together may reach
            // the state loop in either order, and the status lists clients newest first.
            try (WireClient admin = connect()) {
                admin.send("{\"command\": \"ehlo\"}");
                admin.expect("{\"command\": \"ehlo\"}");
                admin.send("{\"command\": \"status\", \"verbose\": 4}");
                admin.expect("{\"command\": \"status\", \"running_archive\": 1, \"done_archive\": 1, \"clients_connected\": 1, "
                        + "\"clients\": [{\"client_id\": \"" + admin.localName() + "\", \"status\": \"ready\", \"batches\": [], "
                        + "\"max_restore\": -1, \"max_archive\": -1, \"max_remove\": -1}, "
                        + "{\"client_id\": \"agent_1\", \"current_archive\": 1, \"done_archive\": 1, \"status\": \"ready\", "
                        + "\"batches\": [], \"max_restore\": 3, \"max_archive\": 3, \"max_remove\": 3}]}");
            }
        }
    }

    @Test
    void requeueWithADuplicate() throws Exception {
        String itemA = item(1635591151L, FID_JSON);
        String itemB = item(1635591152L, FID_JSON);
        try (WireClient admin = connect()) {
            admin.send("{\"hsm_action_items\": [ " + itemA + " ], \"command\": \"queue\"}");
            admin.expect("{\"command\": \"queue\", \"enqueued\": 1}");
            admin.send("{\"hsm_action_items\": [ " + itemA + ", " + itemB + " ], \"command\": \"queue\"}");
            admin.expect("{\"command\": \"queue\", \"enqueued\": 1, \"skipped\": 1}");
        }
    }

    @Test
    void errors() throws Exception {
        try (WireClient agent = connect(); WireClient other = connect()) {
            agent.send(EHLO_AGENT);
            agent.expect("{\"command\": \"ehlo\"}");
            other.send("{\"command\": \"recv\", \"max_archive\": -1, \"max_restore\": -1, \"max_remove\": -1, \"max_bytes\": 1048576}");
            other.expect("{\"command\": \"recv\", \"status\": 22, \"error\": \"Client must send EHLO first and not already be in RECV\"}");
            other.send("{\"command\": \"ehlo\", \"id\": \"agent_1\"}");
            other.expect("{\"command\": \"ehlo\", \"status\": 17, \"error\": \"id already used by another client\"}");
            other.send("{\"command\": \"lock\", \"locked\": 7}");
            other.expect("{\"command\": \"lock\", \"status\": 22, \"error\": \"invalid locked value\"}");
        }
    }

    @Test
    void reconnectWithRunningItems() throws Exception {
        Fid second = new Fid(8589955619L, 7375, 0);
        String secondJson = "{\"f_seq\": 8589955619, \"f_oid\": 7375, \"f_ver\": 0}";
        try (WireClient agent = connect()) {
            agent.send(EHLO_AGENT);
            agent.expect("{\"command\": \"ehlo\"}");
            stateLoop.execute(() -> coordinator.fromLustre(new HsmActionList(0, 1, "testfs0", List.of(
                    new HsmActionItem(HsmAction.ARCHIVE, FID, FID, HsmExtent.WHOLE_FILE, 1635591151L, 0,
                            "tag=n1".getBytes(StandardCharsets.UTF_8)),
                    new HsmActionItem(HsmAction.ARCHIVE, second, second, HsmExtent.WHOLE_FILE, 1635591152L, 0,
                            "tag=n1".getBytes(StandardCharsets.UTF_8))))));
            agent.send(RECV);
            agent.readObject();
        }
        try (WireClient agent = connect(); WireClient admin = connect()) {
            agent.send("{\"command\": \"ehlo\", \"fsname\": \"testfs0\", \"hai_list\": [ " + item(1635591151L, FID_JSON)
                    + ", " + item(1635591152L, secondJson) + " ], \"id\": \"agent_1\"}");
            agent.expect("{\"command\": \"ehlo\"}");
            admin.send("{\"command\": \"status\"}");
            String status = admin.readObject();
            assertTrue(status.contains("{\"client_id\": \"agent_1\", \"current_archive\": 2, \"status\": \"ready\""), status);
            agent.send("{\"command\": \"done\", \"hai_cookie\": 1635591152, \"hai_dfid\": " + secondJson + ", \"status\": 0}");
            agent.expect("{\"command\": \"done\"}");
        }
    }

    @Test
    void missingFieldsAreRefusedByTheCoordinator() throws Exception {
        try (WireClient c = connect()) {
            c.send("{\"command\": \"queue\"}");
            c.expect("{\"command\": \"queue\", \"status\": 22, \"error\": \"No hsm_action_items set\"}");
            c.send("{\"command\": \"done\", \"status\": 0}");
            c.expect("{\"command\": \"done\", \"status\": 22, \"error\": \"cookie or fid not set -- old client?\"}");
            c.send("{\"command\": \"queue\", \"hsm_action_items\": [{\"hai_action\": 20}]}");
            c.expect("{\"command\": \"queue\", \"status\": 22, \"error\": \"Error while parsing hsm action items\"}");
        }
    }

    @Test
    void lockAndQuitTerminatesOnceNothingRuns() throws Exception {
        try (WireClient admin = connect()) {
            admin.send("{\"command\": \"lock\", \"locked\": 2}");
            admin.expect("{\"command\": \"lock\"}");
            terminated.get(10, TimeUnit.SECONDS);
        }
        assertEquals(true, terminated.isDone());
    }

    Reply.FindResult findReply(WireClient c) throws Exception {
        return (Reply.FindResult) JsonCodec.decodeReply(c.readObject().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void findByFidAndByPathAnswersInRequestOrder() throws Exception {
        files.put("/mnt/lustre/x", FID);
        try (WireClient agent = connect(); WireClient admin = connect()) {
            agent.send(EHLO_AGENT);
            agent.expect("{\"command\": \"ehlo\"}");
            fromLustre(1635591151L, 1635591152L);
            settle();
            admin.send("{\"command\": \"find\", \"fid\": \"0x200005223:0x1cce:0x0\"}");
            Reply.FindResult byFid = findReply(admin);
            assertEquals(FID, byFid.fid());
            assertEquals(List.of("global 1/2", "global 2/2"), byFid.requests().stream()
                    .map(f -> f.queue() + " " + f.position() + "/" + f.queueLength()).toList());

            agent.send("{\"command\": \"recv\", \"max_archive\": 1, \"max_restore\": 0, \"max_remove\": 0, "
                    + "\"max_bytes\": 1048576}");
            agent.readObject();
            // The path is resolved on another thread; the status sent right after it is answered after it.
            admin.send("{\"command\": \"find\", \"path\": \"/mnt/lustre/x\"}{\"command\": \"status\"}");
            Reply.FindResult byPath = findReply(admin);
            assertEquals(List.of("1635591151 running agent_1", "1635591152 queued null"), byPath.requests().stream()
                    .map(f -> f.cookie() + " " + f.state() + " " + f.clientId()).toList());
            assertTrue(admin.readObject().startsWith("{\"command\": \"status\""));

            admin.send("{\"command\": \"find\", \"path\": \"/mnt/lustre/none\"}{\"command\": \"nope\"}");
            admin.expect("{\"command\": \"find\", \"status\": 2, \"error\": \"no such file: /mnt/lustre/none\"}");
            admin.expect("{\"command\": \"nope\", \"status\": 22, \"error\": \"unknown command \\\"nope\\\"\"}");
            admin.send("{\"command\": \"find\", \"fid\": \"[0x200005223:0x1cce:0x1]\"}");
            admin.expect("{\"command\": \"find\", \"fid\": \"[0x200005223:0x1cce:0x1]\", \"requests\": []}");
        }
    }

    @Test
    void malformedFindIsRefusedAndTheConnectionStaysOpen() throws Exception {
        try (WireClient admin = connect()) {
            admin.send("{\"command\": \"find\"}");
            admin.expect("{\"command\": \"find\", \"status\": 22, \"error\": \"find: missing \\\"fid\\\" or \\\"path\\\"\"}");
            admin.send("{\"command\": \"find\", \"fid\": \"[0x1:0x2]\"}");
            String reply = admin.readObject();
            assertTrue(reply.startsWith("{\"command\": \"find\", \"status\": 22, \"error\": \"find: fid: invalid FID"), reply);
            admin.send("{\"command\": \"find\", \"path\": 7}");
            admin.expect("{\"command\": \"find\", \"status\": 22, \"error\": \"find: path: expected a string, got an integer\"}");
            admin.send("{\"command\": \"status\"}");
            assertTrue(admin.readObject().startsWith("{\"command\": \"status\""));
        }
    }
}
