package org.coordinatool.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.coordinatool.config.ConnectionLimits;
import org.coordinatool.coordinator.net.ScriptedEvents;
import org.coordinatool.coordinator.net.TcpServer;
import org.coordinatool.coordinator.protocol.Command;
import org.coordinatool.coordinator.protocol.Reply;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.hsm.Fid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client's main against a real TCP server whose replies are scripted. */
class CoordinatoolClientTest {

    static final String ACTIVE_REQUESTS = """
            mdt.testfs0-MDT0000.hsm.active_requests=
            fid=[0x200005223:0x1cce:0x0] dfid=[0x200005223:0x1cce:0x0] compound/cookie=0x0/0x617d23ef action=ARCHIVE archive#=1 flags=0x0 extent=0x0-0xffffffffffffffff gid=0x0 data=[] canceled=0 uuid=0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0 done=0
            fid=[0x200005223:0x1cdf:0x0] dfid=[0x200005223:0x1cdf:0x0] compound/cookie=0x0/0x617d2400 action=ARCHIVE archive#=1 flags=0x0 extent=0x0-0xffffffffffffffff gid=0x0 data=[] canceled=0 uuid=0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0 done=0
            fid=[0x200000401:0x2a:0x0] dfid=[0x200000401:0x2a:0x0] compound/cookie=0x5/0x617d9001 action=RESTORE archive#=2 flags=0x0 extent=0x0-0xffffffffffffffff gid=0x0 data=[63723D666F6F] canceled=0 uuid=x done=0
            """;

    static final Reply.StatusReport STATUS = new Reply.StatusReport(
            new Reply.Counters(0, 3, 0, 0, 7, 0, 0, 0, 12, 0, 0), 2, 1, List.of(
            new Reply.ClientReport("localhost:40522", 0, 0, 0, 0, 0, 0, "ready", List.of(), 0, null, null),
            new Reply.ClientReport("agent_1", 0, 3, 0, 0, 12, 0, "waiting", List.of(), 0, null, null)), null);

    final ScriptedEvents events = new ScriptedEvents();
    final DefaultEventLoop stateLoop = new DefaultEventLoop(new DefaultThreadFactory("state-loop"));
    TcpServer server;
    InetSocketAddress address;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        server = new TcpServer(new TcpServer.Options("127.0.0.1", "0", 1 << 20, ConnectionLimits.DEFAULTS),
                TcpServer.Protection.NONE, new SimpleMeterRegistry(), stateLoop, events);
        address = server.start();
        events.script = c -> c instanceof Command.Ehlo ? List.of(Reply.Simple.ok("ehlo")) : List.of();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        stateLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    int run(String stdin, boolean terminal, String... args) {
        List<String> all = new ArrayList<>(List.of("-H", "127.0.0.1", "-p", Integer.toString(address.getPort()),
                "--timeout", "20"));
        all.addAll(List.of(args));
        return CoordinatoolClient.run(all.toArray(String[]::new), Map.of(),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                terminal);
    }

    int run(String... args) {
        return run("", false, args);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    void script(java.util.function.Function<Command, List<Reply>> replies) {
        events.script = c -> c instanceof Command.Ehlo ? List.of(Reply.Simple.ok("ehlo")) : replies.apply(c);
    }

    /** The ehlo of the next connection, past the previous run's disconnect. */
    Command.Ehlo ehlo() throws Exception {
        ScriptedEvents.Event e;
        do {
            e = events.events.poll(10, TimeUnit.SECONDS);
        } while (e != null && e.kind().equals("disconnected"));
        assertEquals("connected", e == null ? null : e.kind());
        return assertInstanceOf(Command.Ehlo.class, events.nextCommand());
    }

    // ------------------------------------------------------------------ status

    @Test
    void statusPrintsTables() throws Exception {
        script(c -> List.of(STATUS));
        assertEquals(0, run());
        assertEquals(new Command.Ehlo(null, null, null, null, List.of()), ehlo());
        assertEquals(new Command.Status(4), events.nextCommand());
        assertEquals("""
                requests   restore  archive   remove   cancel
                running          0        3        0
                pending          0        7        0        0
                done             0       12        0        0

                connections: 2, dispatching: locked

                client           status   restore  archive  remove  done r/a/m  batches
                localhost:40522  ready          0        0       0  0/0/0       -
                agent_1          waiting        0        3       0  0/12/0      -
                """, out());
    }

    @Test
    void statusAsJsonAndVerbosityFollowsTheLogLevel() throws Exception {
        script(c -> List.of(new Reply.StatusReport(new Reply.Counters(0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0), 1, 0,
                List.of(new Reply.ClientReport("a", 0, 1, 0, 0, 0, 0, "ready", List.of(), 0, null, null)), null)));
        assertEquals(0, run("--json", "-vv"));
        ehlo();
        assertEquals(new Command.Status(6), events.nextCommand());
        assertEquals("""
                {
                  "command": "status",
                  "running_archive": 1,
                  "clients_connected": 1,
                  "clients": [
                    {
                      "client_id": "a",
                      "current_archive": 1,
                      "status": "ready",
                      "batches": []
                    }
                  ]
                }
                """, out());
        out.reset();
        assertEquals(0, run("-q", "--json"));
        ehlo();
        assertEquals(new Command.Status(3), events.nextCommand());
    }

    @Test
    void anErrorReplyFailsTheStatus() throws Exception {
        script(c -> List.of(new Reply.Simple("status", 22, "bad")));
        assertEquals(1, run());
        assertTrue(err().contains("status failed: status reply with status 22 (bad)"), err());
    }

    @Test
    void ehloCarriesTheIdAndArchivesOnlyWhenGiven() throws Exception {
        script(c -> List.of(STATUS));
        assertEquals(0, run("-I", "agent_9", "-A", "1", "-A", "0", "-i", "0"));
        assertEquals(new Command.Ehlo("agent_9", null, List.of(1L, 0L), null, List.of()), ehlo());
        assertEquals(new Command.Status(4), events.nextCommand());
        assertEquals("", out());
        assertEquals(1, run("-A", "2147483648"));
        assertTrue(err().contains("archive id 2147483648 out of range 0..2147483647"), err());
    }

    // ------------------------------------------------------------------ lock

    @Test
    void lockModesSendTheirValueLastOneWins() throws Exception {
        script(c -> List.of(Reply.Simple.ok("lock")));
        assertEquals(0, run("--lock"));
        ehlo();
        assertEquals(new Command.Lock(1), events.nextCommand());
        assertEquals(0, run("--lock", "--lock-quit"));
        ehlo();
        assertEquals(new Command.Lock(2), events.nextCommand());
        assertEquals(0, run("--lock-quit", "--unlock"));
        ehlo();
        assertEquals(new Command.Lock(0), events.nextCommand());
        assertEquals("ok\nok\nok\n", out());
    }

    @Test
    void aRefusedLockFails() throws Exception {
        script(c -> List.of(new Reply.Simple("lock", 22, "invalid locked value")));
        assertEquals(1, run("--lock"));
        assertEquals("error locking: invalid locked value (status 22)\n", err());
    }

    // ------------------------------------------------------------------ queue

    @Test
    void queueSendsTheParsedLinesAndReportsBadOnesByNumber() throws Exception {
        script(c -> List.of(new Reply.QueueResult(2, 1, 0, null)));
        String input = ACTIVE_REQUESTS + "\nfid=[0x1:0x2:0x0] action=CANCEL\n";
        assertEquals(0, run(input, false, "-Q", "--fsname", "testfs0"));
        ehlo();
        Command.Queue q = assertInstanceOf(Command.Queue.class, events.nextCommand());
        assertEquals("testfs0", q.fsname());
        assertEquals(3, q.items().size());
        Fid first = new Fid(0x200005223L, 0x1cce, 0);
        assertEquals(new WireItem(20, first, first, 0, -1, 0x617d23efL, 0, 1, 0, new byte[0], 0, null), q.items().get(0));
        WireItem restore = q.items().get(2);
        assertEquals(21, restore.action());
        assertEquals(2, restore.archiveId());
        assertEquals(0x617d9001L, restore.cookie());
        assertArrayEquals("cr=foo".getBytes(StandardCharsets.UTF_8), restore.data());
        assertEquals("enqueued 2, skipped 1, rejected 2\n", out());
        assertTrue(err().contains("coordinatool-client: line 5: empty line; skipped"), err());
        assertTrue(err().contains("coordinatool-client: line 6: "), err());
    }

    @Test
    void queueFailsOnAnErrorStatusOfEitherSign() throws Exception {
        script(c -> List.of(new Reply.QueueResult(2, 0, -22, "Error while parsing hsm action items")));
        assertEquals(1, run(ACTIVE_REQUESTS, false, "-Q"));
        assertTrue(err().contains("queue error: Error while parsing hsm action items (status -22)"), err());
        assertEquals("enqueued 2, skipped 0, rejected 1\n", out());
        script(c -> List.of(new Reply.QueueResult(0, 0, 22, "Bad fsname")));
        assertEquals(1, run(ACTIVE_REQUESTS, false, "-Q"));
        assertTrue(err().contains("queue error: Bad fsname (status 22)"), err());
    }

    @Test
    void queueFailsWhenTheCountsDoNotAddUp() throws Exception {
        script(c -> List.of(new Reply.QueueResult(1, 1, 0, null)));
        assertEquals(1, run(ACTIVE_REQUESTS, false, "-Q"));
        assertTrue(err().contains("didn't process all records (expected 3, got 1+1)"), err());
    }

    @Test
    void queueWithNothingToSendDoesNotConnect() throws Exception {
        assertEquals(0, run("mdt.testfs0-MDT0000.hsm.active_requests=\n", false, "-Q"));
        assertEquals("enqueued 0, skipped 0, rejected 0\n", out());
        assertNull(events.events.poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void largeInputsGoInBatchesWithAProgressBarOnATerminal() throws Exception {
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 2500; i++) {
            input.append(String.format("fid=[0x200000401:0x%x:0x0] dfid=[0x200000401:0x%x:0x0] compound/cookie=0x0/0x%x"
                    + " action=ARCHIVE archive#=1 flags=0x0 extent=0x0-0xffffffffffffffff gid=0x0 data=[]%n", i + 1, i + 1, i + 1));
        }
        script(c -> List.of(new Reply.QueueResult(((Command.Queue) c).items().size(), 0, 0, null)));
        assertEquals(0, run(input.toString(), true, "-Q"));
        ehlo();
        assertEquals(1000, ((Command.Queue) events.nextCommand()).items().size());
        assertEquals(1000, ((Command.Queue) events.nextCommand()).items().size());
        assertEquals(500, ((Command.Queue) events.nextCommand()).items().size());
        assertEquals("enqueued 2500, skipped 0, rejected 0\n", out());
        assertTrue(err().contains("\rqueue [############------------------]  40% 1000/2500"), err());
        assertTrue(err().endsWith("\rqueue [##############################] 100% 2500/2500\n"), err());
        out.reset();
        err.reset();
        assertEquals(0, run(input.toString(), false, "-Q"));
        assertEquals("", err(), "no progress bar when stdout is not a terminal");
    }

    @Test
    void fsnameOnlyAfterQueue() {
        assertEquals(1, run("--fsname", "x", "-Q"));
        assertEquals("coordinatool-client: fsname can only be set after -Q\n", err());
    }

    // ------------------------------------------------------------------ recv / drain

    static final Fid DFID = new Fid(0x200000401L, 7, 0);
    static final WireItem ITEM = new WireItem(20, DFID, DFID, 0, -1, 9, 0, 1, 0, new byte[0], 0, null);

    @Test
    void recvPrintsEachReplyAndAsksAgain() throws Exception {
        script(c -> c instanceof Command.Recv ? List.of(new Reply.ActionList(1, 0, "fs", List.of(ITEM))) : List.of());
        assertEquals(0, run("-R", "-i", "1"));
        ehlo();
        assertEquals(new Command.Recv(-1, -1, -1, 1048576), events.nextCommand());
        assertEquals(new Command.Recv(-1, -1, -1, 1048576), events.nextCommand());
        assertEquals("""
                Got recv reply:
                {
                  "hsm_action_list": {
                    "hal_version": 1,
                    "hal_archive_id": 1,
                    "hal_fsname": "fs",
                    "list": [
                      {
                        "hai_action": 20,
                        "hai_fid": {
                          "f_seq": 8589935617,
                          "f_oid": 7,
                          "f_ver": 0
                        },
                        "hai_dfid": {
                          "f_seq": 8589935617,
                          "f_oid": 7,
                          "f_ver": 0
                        },
                        "hai_extent_offset": 0,
                        "hai_extent_length": -1,
                        "hai_cookie": 9,
                        "hai_gid": 0,
                        "hal_archive_id": 1,
                        "hal_flags": 0,
                        "hai_data": ""
                      }
                    ]
                  },
                  "command": "recv"
                }
                """, out());
    }

    @Test
    void drainReportsEveryItemDone() throws Exception {
        WireItem second = new WireItem(21, DFID, DFID, 0, -1, 10, 0, 1, 0, new byte[0], 0, null);
        script(c -> c instanceof Command.Recv ? List.of(new Reply.ActionList(1, 0, "fs", List.of(ITEM, second)))
                : c instanceof Command.Done ? List.of(Reply.Simple.ok("done")) : List.of());
        assertEquals(0, run("--drain", "-i", "2"));
        ehlo();
        events.nextCommand();
        assertEquals(new Command.Done(9L, DFID, 0), events.nextCommand());
        assertEquals(new Command.Done(10L, DFID, 0), events.nextCommand());
        assertTrue(out().contains("Got done reply:\n{\n  \"command\": \"done\"\n}\n"), out());
    }

    @Test
    void itersBeforeRecvIsOverriddenByIt() throws Exception {
        script(c -> c instanceof Command.Recv ? List.of(new Reply.ActionList(1, 0, "fs", List.of(ITEM))) : List.of());
        Thread closer = new Thread(() -> {
            try {
                ehlo();
                events.nextCommand();
                events.nextCommand();
                ScriptedEvents.Event third = events.next("received");
                stateLoop.execute(() -> third.connection().close());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        closer.start();
        assertEquals(1, run("-i", "1", "-R"));
        closer.join(10_000);
        assertTrue(out().split("Got recv reply:", -1).length - 1 >= 3, "read until the server closed");
        assertTrue(err().startsWith("coordinatool-client: "), err());
    }

    @Test
    void aRecvErrorFails() throws Exception {
        script(c -> List.of(new Reply.Simple("recv", 22, "Buffer too small")));
        assertEquals(1, run("-R"));
        assertTrue(err().contains("recv failed: Buffer too small (status 22)"), err());
    }

    // ------------------------------------------------------------------ connection and options

    @Test
    void givesUpAfterTheTimeoutWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        long start = System.nanoTime();
        int rc = CoordinatoolClient.run(new String[] {"-H", "127.0.0.1", "-p", Integer.toString(port), "--timeout", "1"},
                Map.of(), new ByteArrayInputStream(new byte[0]), new PrintStream(out), new PrintStream(err), false);
        assertEquals(1, rc);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(4));
        assertTrue(err().contains("cannot connect to 127.0.0.1:" + port + ": Connection refused; giving up (timeout 1 s)"), err());
    }

    @Test
    void retriesARefusedEhloUntilTheTimeout() throws Exception {
        events.script = c -> List.of(new Reply.Simple("ehlo", 17, "id already used by another client"));
        List<String> args = List.of("-H", "127.0.0.1", "-p", Integer.toString(address.getPort()), "--timeout", "1",
                "-I", "agent_1");
        int rc = CoordinatoolClient.run(args.toArray(String[]::new), Map.of(), new ByteArrayInputStream(new byte[0]),
                new PrintStream(out), new PrintStream(err), false);
        assertEquals(1, rc);
        assertTrue(err().contains("the server refused the ehlo: ehlo reply with status 17 (id already used by another client);"
                + " giving up (timeout 1 s)"), err());
    }

    @Test
    void versionHelpAndStrayArguments() {
        assertEquals(0, CoordinatoolClient.run(new String[] {"-V"}, Map.of(), System.in, new PrintStream(out),
                new PrintStream(err), false));
        assertTrue(out().startsWith("Coordinatool client version "), out());
        out.reset();
        assertEquals(0, CoordinatoolClient.run(new String[] {"-h"}, Map.of(), System.in, new PrintStream(out),
                new PrintStream(err), false));
        assertTrue(out().contains("--lock-quit"), out());
        assertEquals(1, CoordinatoolClient.run(new String[] {"status"}, Map.of(), System.in, new PrintStream(out),
                new PrintStream(err), false));
        assertEquals("coordinatool-client: extra argument specified: status\n", err());
    }

    // ------------------------------------------------------------------ find

    static final Fid FOUND_FID = new Fid(0x200000401L, 0x2a, 0);

    /** Times in the local zone, as the client prints them. */
    static String local(long epochNanos) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                .format(java.time.Instant.ofEpochSecond(0, epochNanos).atZone(java.time.ZoneId.systemDefault()));
    }

    @Test
    void findByFidPrintsEveryRequest() throws Exception {
        long t = 1735689600_000_000_000L;
        script(c -> List.of(new Reply.FindResult(FOUND_FID, List.of(
                new Reply.Found("archive", 5, 1, "running", null, "mover1", 0, 0, 0, t, true),
                new Reply.Found("cancel", 5, 1, "queued", "cancels", "mover1", 0, 1, 1, t + 1_000_000_000L, false),
                new Reply.Found("archive", 6, 2, "queued", "batch", "mover2", 1, 3, 4, t, false),
                new Reply.Found("restore", 7, 1, "queued", "client", "mover3", 0, 1, 2, t, false),
                new Reply.Found("remove", 8, 1, "queued", "global", null, 0, 2, 9, t, false)))));
        assertEquals(0, run("--find", "0x200000401:0x2a:0x0"));
        ehlo();
        assertEquals(new Command.Find(FOUND_FID, null), events.nextCommand());
        String f = "[0x200000401:0x2a:0x0] ";
        assertEquals(f + "archive cookie 0x5 archive 1: running on mover1, since " + local(t) + ", cancel pending\n"
                + f + "cancel cookie 0x5 archive 1: cancel pending, to be sent to mover1, position 1 of 1, since "
                + local(t + 1_000_000_000L) + "\n"
                + f + "archive cookie 0x6 archive 2: queued in batch slot 1 of mover2, position 3 of 4, since " + local(t) + "\n"
                + f + "restore cookie 0x7 archive 1: queued for mover3, position 1 of 2, since " + local(t) + "\n"
                + f + "remove cookie 0x8 archive 1: queued in the global remove queue, position 2 of 9, since " + local(t)
                + "\n", out());
    }

    @Test
    void findOfAnUnknownFileExitsWithItsOwnStatus() throws Exception {
        script(c -> List.of(new Reply.FindResult(FOUND_FID, List.of())));
        assertEquals(CoordinatoolClient.EXIT_UNKNOWN, run("--find", "[0x200000401:0x2a:0x0]"));
        assertEquals("[0x200000401:0x2a:0x0]: no request known\n", out());
        out.reset();
        assertEquals(CoordinatoolClient.EXIT_UNKNOWN, run("--json", "--find", "[0x200000401:0x2a:0x0]"));
        assertEquals("{\n  \"command\": \"find\",\n  \"fid\": \"[0x200000401:0x2a:0x0]\",\n  \"requests\": []\n}\n", out());
    }

    @Test
    void findSendsPathsAbsolute() throws Exception {
        script(c -> List.of(new Reply.Simple("find", 2, "no such file: x")));
        assertEquals(1, run("--find", "some/file"));
        ehlo();
        String cwd = java.nio.file.Path.of("").toAbsolutePath().toString();
        assertEquals(new Command.Find(null, cwd + "/some/file"), events.nextCommand());
        assertEquals("coordinatool-client: find failed: no such file: x (status 2)\n", err());
    }

    @Test
    void findRefusesABadBracketedFidWithoutConnecting() {
        assertEquals(1, run("--find", "[0x1:0x2]"));
        assertTrue(err().startsWith("coordinatool-client: invalid FID \"[0x1:0x2]\""), err());
        assertTrue(events.events.isEmpty());
    }

    @Test
    void findOnAServerWithoutItSaysSo() throws Exception {
        script(c -> List.of(new Reply.Simple("find", 22, "unknown command \"find\"")));
        assertEquals(1, run("--find", "1:2:3"));
        assertEquals("coordinatool-client: the server does not support find (unknown command \"find\")\n", err());
        err.reset();
        script(c -> List.of());
        events.closeAfter = c -> c instanceof Command.Find;
        assertEquals(1, run("--find", "1:2:3"));
        assertEquals("coordinatool-client: the server does not support find (it closed the connection)\n", err());
    }

    // ------------------------------------------------------------------ top

    @Test
    void topPrintsSuccessiveFramesWhenNotOnATerminal() throws Exception {
        int[] done = {0};
        script(c -> {
            done[0] += 10;
            return List.of(new Reply.StatusReport(new Reply.Counters(0, 2, 0, 0, 7, 1, 0, 0, done[0], 0, 0), 1, 1,
                    List.of(new Reply.ClientReport("mover1", 0, 2, 0, 0, done[0], 0, "waiting", List.of(), 0, null,
                            new Reply.Limits(0, 4, -1)),
                            new Reply.ClientReport("old", 0, 0, 0, 0, 0, 0, "ready", List.of(), 0, null, null)), null));
        });
        assertEquals(0, run("--top", "--interval", "0.1", "--count", "2"));
        ehlo();
        assertEquals(new Command.Status(4), events.nextCommand());
        assertEquals(new Command.Status(4), events.nextCommand());
        String[] frames = out().split("(?<=\n)\n(?=coordinatool  )");
        assertEquals(2, frames.length, out());
        assertTrue(frames[0].matches("(?s)coordinatool  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d  dispatching: locked  agents: 1\n.*"),
                frames[0]);
        assertTrue(frames[0].contains("""
                action      queued   running      done    done/s
                restore          0         0         0         -
                archive          7         2        10         -
                remove           1         0         0         -
                cancel           0         -         0         -

                client  status   restore  archive  remove  done r/a/m
                mover1  waiting  0/0      2/4      0/-     0/10/0
                old     ready    0/?      0/?      0/?     0/0/0
                """), frames[0]);
        java.util.regex.Matcher rate = java.util.regex.Pattern.compile("archive +7 +2 +20 +(\\d+\\.\\d)\n")
                .matcher(frames[1]);
        assertTrue(rate.find(), frames[1]);
        double perSecond = Double.parseDouble(rate.group(1));
        assertTrue(perSecond > 0 && perSecond <= 100, "10 more done in at least 0.1 s: " + perSecond);
        assertTrue(!out().contains("\033"), "no escape sequences off a terminal");
    }

    @Test
    void topOnATerminalClearsBetweenFramesAndShowsTheCursorAgain() throws Exception {
        script(c -> List.of(STATUS));
        assertEquals(0, run("", true, "--top", "--interval", "0.1", "--count", "2"));
        String text = out();
        assertTrue(text.startsWith(CoordinatoolClient.HIDE_CURSOR + CoordinatoolClient.CLEAR_HOME + "coordinatool  "), text);
        assertEquals(2, text.split(java.util.regex.Pattern.quote(CoordinatoolClient.CLEAR_HOME), -1).length - 1);
        assertTrue(text.endsWith(CoordinatoolClient.SHOW_CURSOR), text);
    }

    @Test
    void topOptionsAreChecked() {
        assertEquals(1, run("--top", "--interval", "0"));
        assertTrue(err().contains("--interval must be between 0.1 and 86400 seconds"), err());
        assertEquals(1, run("--top", "--count", "0"));
        assertTrue(err().contains("--count must be at least 1"), err());
    }
}
