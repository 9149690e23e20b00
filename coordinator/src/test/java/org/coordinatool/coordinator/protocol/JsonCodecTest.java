package org.coordinatool.coordinator.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.coordinatool.hsm.Fid;
import org.junit.jupiter.api.Test;

class JsonCodecTest {

    static final Fid FID = ItemJsonTest.FID;

    static Command decode(String json) {
        return JsonCodec.decodeCommand(json.getBytes(StandardCharsets.UTF_8));
    }

    static String encode(Reply reply) {
        return new String(JsonCodec.encodeReply(reply), StandardCharsets.UTF_8);
    }

    static String encode(Command command) {
        return new String(JsonCodec.encodeCommand(command), StandardCharsets.UTF_8);
    }

    static Command.Invalid invalid(String json) {
        return assertInstanceOf(Command.Invalid.class, decode(json));
    }

    // ------------------------------------------------------------ decoding commands

    @Test
    void decodesTheSpecEhlo() {
        Command.Ehlo e = assertInstanceOf(Command.Ehlo.class,
                decode("{\"command\": \"ehlo\", \"fsname\": \"testfs0\", \"archive_ids\": [1], \"id\": \"agent_1\"}"));
        assertEquals(new Command.Ehlo("agent_1", "testfs0", List.of(1L), null, List.of()), e);
        assertEquals(new Command.Ehlo(null, null, null, null, List.of()), decode("{\"command\": \"ehlo\"}"));
    }

    @Test
    void ehloKeepsRawArchiveIdsForTheCoreToJudge() {
        Command.Ehlo e = assertInstanceOf(Command.Ehlo.class,
                decode("{\"command\":\"ehlo\",\"archive_ids\":[0,-1,4294967296]}"));
        assertEquals(List.of(0L, -1L, 4294967296L), e.archiveIds());
        assertEquals(List.of(), ((Command.Ehlo) decode("{\"command\":\"ehlo\",\"archive_ids\":[]}")).archiveIds());
    }

    @Test
    void ehloHaiListKeepsFullItemsClaimsAndReasons() {
        String full = new String(ItemJson.toBytes(ItemJsonTest.archive("tag=n1"), JsonStyle.WIRE), StandardCharsets.UTF_8);
        String claim = "{\"hai_cookie\": 7, \"hai_dfid\": {\"f_seq\": 1, \"f_oid\": 2, \"f_ver\": 3}}";
        String bad = "{\"hai_cookie\": \"7\"}";
        Command.Ehlo e = assertInstanceOf(Command.Ehlo.class, decode(
                "{\"command\": \"ehlo\", \"fsname\": \"testfs0\", \"hai_list\": [" + full + ", " + claim + ", "
                        + bad + "], \"id\": \"agent_1\"}"));
        assertEquals(2, e.haiList().size());
        assertEquals(ItemJsonTest.archive("tag=n1"), e.haiList().get(0));
        assertEquals(0, e.haiList().get(1).action());
        assertEquals(7, e.haiList().get(1).cookie());
        assertEquals(List.of("hai_list[2].hai_cookie: expected an integer, got a string"), e.invalidItems());
    }

    @Test
    void decodesRecvWithDefaults() {
        assertEquals(new Command.Recv(3, 3, 3, 1048576), decode(
                "{\"command\": \"recv\", \"max_archive\": 3, \"max_restore\": 3, \"max_remove\": 3, \"max_bytes\": 1048576}"));
        assertEquals(new Command.Recv(-1, -1, -1, 1048576), decode("{\"command\": \"recv\"}"));
        assertEquals(new Command.Recv(-1, 5, -1, -1), decode(
                "{\"max_archive\": 4294967295, \"max_restore\": 5, \"max_bytes\": 18446744073709551615, \"command\": \"recv\"}"));
    }

    @Test
    void decodesDoneAndTreatsABadKeyAsAbsent() {
        assertEquals(new Command.Done(1635591151L, FID, 0), decode("{\"command\": \"done\", \"hai_cookie\": 1635591151, "
                + "\"hai_dfid\": {\"f_seq\": 8589955619, \"f_oid\": 7374, \"f_ver\": 0}, \"status\": 0}"));
        assertEquals(new Command.Done(null, null, 5), decode("{\"command\": \"done\", \"status\": 5}"));
        assertEquals(new Command.Done(null, null, 0), decode("{\"command\": \"done\", \"hai_cookie\": 1.5, "
                + "\"hai_dfid\": {\"f_seq\": 1, \"f_oid\": 2, \"f_ver\": 3, \"x\": 4}}"));
        assertEquals(new Command.Done(-1L, new Fid(1, 2, 3), 0), decode("{\"command\": \"done\", "
                + "\"hai_cookie\": -1, \"hai_dfid\": {\"f_seq\": 1, \"f_oid\": 2, \"f_ver\": 3}, \"archive_id\": 9}"));
    }

    @Test
    void decodesQueueWithEitherFsnameSpelling() {
        String item = ItemJson.toCompactJson(ItemJsonTest.archive("a"));
        Command.Queue q = assertInstanceOf(Command.Queue.class, decode(
                "{\"hal_fsname\": \"fs\", \"hsm_action_items\": [" + item + ", {\"hai_action\": 20}], \"command\": \"queue\"}"));
        assertTrue(q.itemsPresent());
        assertEquals(List.of(ItemJsonTest.archive("a")), q.items());
        assertEquals(1, q.invalidItems().size());
        assertTrue(q.invalidItems().get(0).startsWith("hsm_action_items[1]: missing hai_fid"), q.invalidItems().get(0));
        assertEquals("fs", q.fsname());
        assertEquals("fs2", ((Command.Queue) decode(
                "{\"command\": \"queue\", \"fsname\": \"fs2\", \"hal_fsname\": \"x\", \"hsm_action_items\": []}")).fsname());
        Command.Queue missing = assertInstanceOf(Command.Queue.class, decode("{\"command\": \"queue\"}"));
        assertFalse(missing.itemsPresent());
        assertNull(missing.fsname());
    }

    @Test
    void decodesStatusAndLock() {
        assertEquals(new Command.Status(4), decode("{\"command\": \"status\"}"));
        assertEquals(new Command.Status(6), decode("{\"command\": \"status\", \"verbose\": 6}"));
        assertEquals(new Command.Lock(0), decode("{\"command\": \"lock\"}"));
        assertEquals(new Command.Lock(7), decode("{\"command\": \"lock\", \"locked\": 7}"));
    }

    @Test
    void ignoresMembersOfOtherCommands() {
        assertEquals(new Command.Status(4), decode("{\"command\": \"status\", \"locked\": \"no\", \"x\": [1, {}]}"));
    }

    @Test
    void wrongMemberTypesGiveInvalidWithTheCommandName() {
        assertEquals(new Command.Invalid("recv", "recv: max_bytes: expected an integer, got a string"),
                decode("{\"command\": \"recv\", \"max_bytes\": \"1M\"}"));
        assertEquals(new Command.Invalid("lock", "lock: locked: expected an integer, got a boolean"),
                decode("{\"locked\": true, \"command\": \"lock\"}"));
        assertEquals(new Command.Invalid("ehlo", "ehlo: archive_ids[1]: expected an integer, got a string"),
                decode("{\"command\": \"ehlo\", \"archive_ids\": [1, \"2\"]}"));
        assertEquals(new Command.Invalid("ehlo", "ehlo: id: expected a string, got an integer"),
                decode("{\"command\": \"ehlo\", \"id\": 12}"));
        assertEquals(new Command.Invalid("queue", "queue: hsm_action_items: expected an array, got an object"),
                decode("{\"command\": \"queue\", \"hsm_action_items\": {}}"));
        assertEquals(new Command.Invalid("status", "status: verbose: expected an integer, got null"),
                decode("{\"command\": \"status\", \"verbose\": null}"));
        assertEquals(new Command.Invalid("done", "done: status: integer out of 32-bit range"),
                decode("{\"command\": \"done\", \"status\": 99999999999}"));
    }

    @Test
    void missingUnknownOrNonStringCommand() {
        assertEquals(new Command.Invalid(null, "missing \"command\" member"), decode("{\"verbose\": 1}"));
        assertEquals(new Command.Invalid(null, "command: expected a string, got an integer"), decode("{\"command\": 1}"));
        Command.Invalid unknown = invalid("{\"command\": \"fly\"}");
        assertEquals("fly", unknown.name());
        assertEquals("unknown command \"fly\"", unknown.error());
        assertEquals("error", invalid("[1, 2]").name());
        assertEquals("a message must be a JSON object, got an array", invalid("[1, 2]").error());
    }

    @Test
    void invalidJsonKeepsTheCommandWhenItWasRead() {
        Command.Invalid i = invalid("{\"command\": \"status\", \"verbose\": tru}");
        assertEquals("status", i.name());
        assertTrue(i.error().startsWith("invalid JSON: Unrecognized token 'tru'"), i.error());
        assertEquals("error", invalid("{\"verbose\": 1, \"command\" \"x\"}").name());
        assertEquals("unexpected data after the JSON object", invalid("{\"command\": \"status\"} {}").error());
    }

    @Test
    void absurdNestingIsRefusedNotFatal() {
        String deep = "[".repeat(300) + "]".repeat(300);
        Command.Invalid i = invalid("{\"command\": \"status\", \"x\": " + deep + "}");
        assertEquals("status", i.name());
        assertTrue(i.error().startsWith("invalid JSON: Document nesting depth (257) exceeds the maximum allowed"), i.error());
    }

    @Test
    void relaysOutDocumentsForPeople() throws Exception {
        assertEquals("{\n  \"command\": \"status\",\n  \"clients\": [\n    {\n      \"client_id\": \"a\",\n"
                + "      \"batches\": []\n    }\n  ],\n  \"x\": {},\n  \"n\": 1.50\n}",
                JsonCodec.relayout(("{\"command\":\"status\", \"clients\": [{\"client_id\": \"a\", \"batches\": []}],"
                        + " \"x\": {}, \"n\": 1.50}").getBytes(StandardCharsets.UTF_8), JsonStyle.PRETTY));
        assertThrows(InvalidContentException.class,
                () -> JsonCodec.relayout("{\"a\":".getBytes(StandardCharsets.UTF_8), JsonStyle.PRETTY));
    }

    // ------------------------------------------------------------ encoding replies (spec §2.7)

    @Test
    void encodesSimpleRepliesWithOmission() {
        assertEquals("{\"command\": \"ehlo\"}", encode(Reply.Simple.ok("ehlo")));
        assertEquals("{\"command\": \"done\"}", encode(new Reply.Simple("done", 0, "")));
        assertEquals("{\"command\": \"recv\", \"status\": 22, \"error\": \"Client must send EHLO first and not already be in RECV\"}",
                encode(new Reply.Simple("recv", 22, "Client must send EHLO first and not already be in RECV")));
        assertEquals("{\"command\": \"ehlo\", \"status\": 17, \"error\": \"id already used by another client\"}",
                encode(new Reply.Simple("ehlo", 17, "id already used by another client")));
        assertEquals("{\"command\": \"queue\", \"enqueued\": 1, \"skipped\": 1}",
                encode(new Reply.QueueResult(1, 1, 0, null)));
        assertEquals("{\"command\": \"queue\", \"skipped\": 2, \"status\": 22, \"error\": \"x\"}",
                encode(new Reply.QueueResult(0, 2, 22, "x")));
    }

    static final String SPEC_RECV_REPLY = "{\"hsm_action_list\": {\"hal_version\": 1, \"hal_archive_id\": 1, "
            + "\"hal_fsname\": \"testfs0\", \"list\": [" + ItemJsonTest.SPEC_ITEM_WIRE + "]}, \"command\": \"recv\"}";

    @Test
    void encodesTheSpecRecvReply() {
        assertEquals(SPEC_RECV_REPLY,
                encode(new Reply.ActionList(1, 0, "testfs0", List.of(ItemJsonTest.archive("tag=n1")))));
        assertTrue(encode(new Reply.ActionList(2, 5, "fs", List.of()))
                .equals("{\"hsm_action_list\": {\"hal_version\": 1, \"hal_archive_id\": 2, \"hal_flags\": 5, "
                        + "\"hal_fsname\": \"fs\", \"list\": []}, \"command\": \"recv\"}"));
    }

    static Reply.StatusReport specStatus() {
        return new Reply.StatusReport(
                new Reply.Counters(0, 3, 0, 0, 7, 0, 0, 0, 12, 0, 0), 2, 0, List.of(
                new Reply.ClientReport("localhost:40522", 0, 0, 0, 0, 0, 0, "ready", List.of(), 0, null, null),
                new Reply.ClientReport("agent_1", 0, 3, 0, 0, 12, 0, "ready", List.of(), 0, null, null)), null);
    }

    static final String SPEC_STATUS_REPLY = "{\"command\": \"status\", \"running_archive\": 3, \"pending_archive\": 7, "
            + "\"done_archive\": 12, \"clients_connected\": 2, \"clients\": ["
            + "{\"client_id\": \"localhost:40522\", \"status\": \"ready\", \"batches\": []}, "
            + "{\"client_id\": \"agent_1\", \"current_archive\": 3, \"done_archive\": 12, \"status\": \"ready\", "
            + "\"batches\": []}]}";

    @Test
    void encodesTheSpecStatusReply() {
        assertEquals(SPEC_STATUS_REPLY, encode(specStatus()));
    }

    static Reply.StatusReport verboseStatus() {
        Reply.DumpEntry entry = new Reply.DumpEntry(new Fid(1, 2, 3), 0x10,
                new byte[] {'c', 'r', '=', 'x', 0, 'y'});
        Reply.DumpEntry raw = new Reply.DumpEntry(new Fid(4, 5, 6), 0, new byte[] {(byte) 0xfe});
        return new Reply.StatusReport(
                new Reply.Counters(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), 1, 2, List.of(
                new Reply.ClientReport("agent_2", 1, 2, 3, 4, 5, 6, "disconnected", List.of(
                        new Reply.BatchReport("tag=a", 2, 1700000000, 1700003600, List.of(entry)),
                        new Reply.BatchReport(null, 0, 0, 0, List.of())), 1735689600123456789L,
                        new Reply.ClientQueueDump(List.of(entry), List.of(), List.of(raw), List.of(), List.of()), null)),
                new Reply.QueueDump(List.of(), List.of(entry), List.of()));
    }

    @Test
    void encodesVerboseStatusInTheOriginalOrder() {
        String dfid = "\"hai_fid\": {\"f_seq\": 1, \"f_oid\": 2, \"f_ver\": 3}, \"hai_cookie\": 16, \"hai_data\": \"cr=x\"";
        assertEquals("{\"command\": \"status\", \"running_restore\": 1, \"running_archive\": 2, \"running_remove\": 3, "
                + "\"pending_restore\": 4, \"pending_archive\": 5, \"pending_remove\": 6, \"pending_cancel\": 7, "
                + "\"done_restore\": 8, \"done_archive\": 9, \"done_remove\": 10, \"done_cancel\": 11, "
                + "\"clients_connected\": 1, \"locked\": 2, \"clients\": [{\"client_id\": \"agent_2\", "
                + "\"current_restore\": 1, \"current_archive\": 2, \"current_remove\": 3, \"done_restore\": 4, "
                + "\"done_archive\": 5, \"done_remove\": 6, \"status\": \"disconnected\", "
                + "\"active_requests\": [{" + dfid + "}], \"waiting_restore\": [], "
                + "\"waiting_remove\": [{\"hai_fid\": {\"f_seq\": 4, \"f_oid\": 5, \"f_ver\": 6}, \"hai_cookie\": 0, "
                + "\"hai_data_b64\": \"/g==\"}], \"waiting_archive\": [], \"cancels\": [], "
                + "\"batches\": [{\"hint\": \"tag=a\", \"current_count\": 2, \"expire_idle_s\": 1700000000, "
                + "\"expire_max_s\": 1700003600, \"waiting_archive\": [{" + dfid + "}]}, {\"waiting_archive\": []}], "
                + "\"disconnected_timestamp\": 1735689600123456789}], "
                + "\"waiting_restore\": [], \"waiting_remove\": [{" + dfid + "}], \"waiting_archive\": []}",
                encode(verboseStatus()));
    }

    // ------------------------------------------------------------ client side

    @Test
    void encodesTheSpecClientRequests() {
        assertEquals("{\"command\": \"ehlo\", \"fsname\": \"testfs0\", \"archive_ids\": [1], \"id\": \"agent_1\"}",
                encode(new Command.Ehlo("agent_1", "testfs0", List.of(1L), null, List.of())));
        assertEquals("{\"command\": \"ehlo\"}", encode(new Command.Ehlo(null, null, List.of(), List.of(), List.of())));
        assertEquals("{\"command\": \"recv\", \"max_archive\": 3, \"max_restore\": 3, \"max_remove\": 3, \"max_bytes\": 1048576}",
                encode(new Command.Recv(3, 3, 3, 1048576)));
        assertEquals("{\"command\": \"done\", \"hai_cookie\": 1635591151, "
                + "\"hai_dfid\": {\"f_seq\": 8589955619, \"f_oid\": 7374, \"f_ver\": 0}, \"status\": 0}",
                encode(new Command.Done(1635591151L, FID, 0)));
        assertEquals("{\"command\": \"lock\", \"locked\": 7}", encode(new Command.Lock(7)));
        assertEquals("{\"command\": \"status\", \"verbose\": 4}", encode(new Command.Status(4)));
        assertEquals("{\"fsname\": \"fs\", \"hsm_action_items\": [" + ItemJsonTest.SPEC_ITEM_WIRE + "], \"command\": \"queue\"}",
                encode(new Command.Queue(true, List.of(ItemJsonTest.archive("tag=n1")), List.of(), "fs")));
        assertThrows(IllegalArgumentException.class, () -> JsonCodec.encodeCommand(new Command.Invalid(null, "x")));
    }

    @Test
    void everyEncodedCommandDecodesToItself() {
        List<Command> commands = List.of(
                new Command.Ehlo("a", "fs", List.of(1L, 2L), List.of(ItemJsonTest.archive("x")), List.of()),
                new Command.Recv(1, 2, 3, 4), new Command.Done(5L, FID, 6), new Command.Status(6),
                new Command.Lock(2), new Command.Queue(true, List.of(ItemJsonTest.archive("y")), List.of(), null),
                new Command.Find(FID, null), new Command.Find(null, "/mnt/lustre/d/f"));
        for (Command c : commands) {
            assertEquals(c, JsonCodec.decodeCommand(JsonCodec.encodeCommand(c)));
        }
    }

    @Test
    void decodesReplies() throws Exception {
        assertEquals(specStatus(), JsonCodec.decodeReply(SPEC_STATUS_REPLY.getBytes(StandardCharsets.UTF_8)));
        assertEquals(new Reply.ActionList(1, 0, "testfs0", List.of(ItemJsonTest.archive("tag=n1"))),
                JsonCodec.decodeReply(SPEC_RECV_REPLY.getBytes(StandardCharsets.UTF_8)));
        assertEquals(new Reply.QueueResult(1, 1, 0, null), JsonCodec.decodeReply(
                "{\"command\": \"queue\", \"enqueued\": 1, \"skipped\": 1}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(new Reply.Simple("lock", -22, "invalid locked value"), JsonCodec.decodeReply(
                "{\"command\": \"lock\", \"status\": -22, \"error\": \"invalid locked value\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(new Reply.Simple("status", 22, "bad"), JsonCodec.decodeReply(
                "{\"command\": \"status\", \"status\": 22, \"error\": \"bad\"}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void decodesAVerboseStatusBackWithDataCutAtNul() throws Exception {
        Reply.StatusReport back = (Reply.StatusReport) JsonCodec.decodeReply(JsonCodec.encodeReply(verboseStatus()));
        assertEquals(verboseStatus().counters(), back.counters());
        Reply.ClientReport c = back.clients().get(0);
        assertEquals("disconnected", c.state());
        assertEquals(1735689600123456789L, c.disconnectedTimestamp());
        assertEquals("tag=a", c.batches().get(0).hint());
        assertArrayEquals("cr=x".getBytes(StandardCharsets.UTF_8), c.queues().activeRequests().get(0).data());
        assertArrayEquals(new byte[] {(byte) 0xfe}, c.queues().waitingRemove().get(0).data());
        assertEquals(new Fid(1, 2, 3), back.globalQueues().waitingRemove().get(0).dfid());
    }

    @Test
    void refusesRepliesThatAreNotReplies() {
        assertThrows(InvalidContentException.class, () -> JsonCodec.decodeReply("{\"status\": 1}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(InvalidContentException.class, () -> JsonCodec.decodeReply("{\"command\":".getBytes(StandardCharsets.UTF_8)));
        assertThrows(InvalidContentException.class, () -> JsonCodec.decodeReply(
                "{\"hsm_action_list\": {\"hal_version\": 2, \"list\": []}, \"command\": \"recv\"}".getBytes(StandardCharsets.UTF_8)));
    }

    // ------------------------------------------------------------ find (extension)

    @Test
    void decodesFindByFidInEitherSpellingOrByPath() {
        Fid fid = new Fid(0x200000401L, 0x2a, 0);
        assertEquals(new Command.Find(fid, null), decode("{\"command\": \"find\", \"fid\": \"[0x200000401:0x2a:0x0]\"}"));
        assertEquals(new Command.Find(fid, null), decode("{\"fid\": \"0x200000401:0x2a:0x0\", \"command\": \"find\"}"));
        assertEquals(new Command.Find(null, "/mnt/lustre/x"), decode("{\"command\": \"find\", \"path\": \"/mnt/lustre/x\"}"));
    }

    @Test
    void malformedFindCommandsAreInvalidWithAReason() {
        assertEquals(new Command.Invalid("find", "find: missing \"fid\" or \"path\""), decode("{\"command\": \"find\"}"));
        assertEquals(new Command.Invalid("find", "find: give \"fid\" or \"path\", not both"),
                decode("{\"command\": \"find\", \"fid\": \"1:2:3\", \"path\": \"/x\"}"));
        assertEquals(new Command.Invalid("find", "find: fid: expected a string, got an object"),
                decode("{\"command\": \"find\", \"fid\": {\"f_seq\": 1, \"f_oid\": 2, \"f_ver\": 0}}"));
        assertEquals(new Command.Invalid("find", "find: path: expected a string, got null"),
                decode("{\"command\": \"find\", \"path\": null}"));
        assertEquals(new Command.Invalid("find", "find: path must be absolute, got \"x/y\""),
                decode("{\"command\": \"find\", \"path\": \"x/y\"}"));
        assertEquals(new Command.Invalid("find", "find: path contains a NUL character"),
                decode("{\"command\": \"find\", \"path\": \"/a\\u0000b\"}"));
        for (String bad : List.of("[0x1:0x2:0x3", "0x1:0x2:0x3]", "0x1:0x2", "zz", "", " 0x1:0x2:0x3",
                "[0x1:0x100000000:0x0]")) {
            Command.Invalid invalid = invalid("{\"command\": \"find\", \"fid\": \"" + bad + "\"}");
            assertEquals("find", invalid.command());
            assertTrue(invalid.error().startsWith("find: fid: invalid FID \"" + bad + "\""), invalid.error());
        }
    }

    @Test
    void encodesFindAndItsReplyAndDecodesThemBack() throws Exception {
        Fid fid = new Fid(0x200000401L, 0x2a, 0);
        assertEquals("{\"command\": \"find\", \"fid\": \"[0x200000401:0x2a:0x0]\"}", encode(new Command.Find(fid, null)));
        assertEquals("{\"command\": \"find\", \"path\": \"/m/x\"}", encode(new Command.Find(null, "/m/x")));
        Reply.FindResult result = new Reply.FindResult(fid, List.of(
                new Reply.Found("archive", 5, 1, "running", null, "mover1", 0, 0, 0, 1735689600000000000L, true),
                new Reply.Found("cancel", 5, 1, "queued", "cancels", "mover1", 0, 1, 1, 1735689601000000000L, false),
                new Reply.Found("archive", 6, 2, "queued", "batch", "mover2", 0, 3, 4, 1735689602000000000L, false),
                new Reply.Found("restore", 7, 1, "queued", "global", null, 0, 2, 9, 1735689603000000000L, false)));
        String wire = encode(result);
        assertEquals("{\"command\": \"find\", \"fid\": \"[0x200000401:0x2a:0x0]\", \"requests\": ["
                + "{\"action\": \"archive\", \"hai_cookie\": 5, \"hal_archive_id\": 1, \"state\": \"running\", "
                + "\"client_id\": \"mover1\", \"since\": 1735689600000000000, \"cancel_pending\": true}, "
                + "{\"action\": \"cancel\", \"hai_cookie\": 5, \"hal_archive_id\": 1, \"state\": \"queued\", "
                + "\"queue\": \"cancels\", \"client_id\": \"mover1\", \"position\": 1, \"queue_length\": 1, "
                + "\"since\": 1735689601000000000}, "
                + "{\"action\": \"archive\", \"hai_cookie\": 6, \"hal_archive_id\": 2, \"state\": \"queued\", "
                + "\"queue\": \"batch\", \"client_id\": \"mover2\", \"batch_slot\": 0, \"position\": 3, "
                + "\"queue_length\": 4, \"since\": 1735689602000000000}, "
                + "{\"action\": \"restore\", \"hai_cookie\": 7, \"hal_archive_id\": 1, \"state\": \"queued\", "
                + "\"queue\": \"global\", \"position\": 2, \"queue_length\": 9, \"since\": 1735689603000000000}]}", wire);
        assertEquals(result, JsonCodec.decodeReply(wire.getBytes(StandardCharsets.UTF_8)));
        assertEquals(new Reply.FindResult(fid, List.of()),
                JsonCodec.decodeReply("{\"command\": \"find\", \"fid\": \"0x200000401:0x2a:0x0\", \"requests\": []}"
                        .getBytes(StandardCharsets.UTF_8)));
        assertEquals(new Reply.Simple("find", 2, "no such file: /m/x"), JsonCodec.decodeReply(
                "{\"command\": \"find\", \"status\": 2, \"error\": \"no such file: /m/x\"}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(InvalidContentException.class, () -> JsonCodec.decodeReply(
                "{\"command\": \"find\", \"requests\": []}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(InvalidContentException.class, () -> JsonCodec.decodeReply(
                "{\"command\": \"find\", \"fid\": \"1:2:3\", \"requests\": [{\"action\": \"archive\"}]}"
                        .getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void statusCarriesClientLimitsWhichOldRepliesLack() throws Exception {
        Reply.StatusReport withLimits = new Reply.StatusReport(new Reply.Counters(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 1, 0,
                List.of(new Reply.ClientReport("m", 0, 0, 0, 0, 0, 0, "ready", List.of(), 0, null,
                        new Reply.Limits(0, 4, -1))), null);
        String wire = encode(withLimits);
        assertEquals("{\"command\": \"status\", \"clients_connected\": 1, \"clients\": [{\"client_id\": \"m\", "
                + "\"status\": \"ready\", \"batches\": [], \"max_restore\": 0, \"max_archive\": 4, \"max_remove\": -1}]}", wire);
        assertEquals(withLimits, JsonCodec.decodeReply(wire.getBytes(StandardCharsets.UTF_8)));
        assertNull(((Reply.StatusReport) JsonCodec.decodeReply(SPEC_STATUS_REPLY.getBytes(StandardCharsets.UTF_8)))
                .clients().get(0).limits());
    }

    // ------------------------------------------------------------ encodings other than UTF-8

    /** {@code {"command": "status"}} in UTF-16LE, which Jackson alone would read as such. */
    private static final byte[] STATUS_UTF16LE = "{\"command\": \"status\"}".getBytes(StandardCharsets.UTF_16LE);

    @Test
    void bytesJacksonWouldTakeForAnotherEncodingAreInvalidJsonNotAnException() {
        // NULs where Jackson sees UTF-32 with an unsupported byte order: it threw CharConversionException.
        Command.Invalid ucs4 = assertInstanceOf(Command.Invalid.class,
                JsonCodec.decodeCommand(new byte[] {0, 0, '+', 0, 0, 0, 0, 8}));
        assertTrue(ucs4.error().startsWith("invalid JSON: "), ucs4.error());
        Command.Invalid utf16 = assertInstanceOf(Command.Invalid.class, JsonCodec.decodeCommand(STATUS_UTF16LE));
        assertTrue(utf16.error().startsWith("invalid JSON: "), utf16.error());
    }

    @Test
    void aReplyInAnotherEncodingIsInvalidContentNotAnException() {
        byte[] utf32 = {1, 0, 0, 0, 0, 0, 0, 0, 'd', '"', ':', ' ', '"', 'e', 'h', 'l', 'o', '"', '}'};
        assertThrows(InvalidContentException.class, () -> JsonCodec.decodeReply(utf32));
        assertThrows(InvalidContentException.class, () -> JsonCodec.decodeReply(STATUS_UTF16LE));
    }
}
