package org.coordinatool.coordinator.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.coordinatool.hsm.Fid;
import org.junit.jupiter.api.Test;

class ItemJsonTest {

    static final Fid FID = new Fid(8589955619L, 7374, 0);

    static WireItem archive(String data) {
        return new WireItem(20, FID, FID, 0, -1, 1635591151L, 0, 1, 0,
                data.getBytes(StandardCharsets.UTF_8), 1735689600123456789L, null);
    }

    static final String SPEC_ITEM_WIRE = "{\"hai_action\": 20, "
            + "\"hai_fid\": {\"f_seq\": 8589955619, \"f_oid\": 7374, \"f_ver\": 0}, "
            + "\"hai_dfid\": {\"f_seq\": 8589955619, \"f_oid\": 7374, \"f_ver\": 0}, "
            + "\"hai_extent_offset\": 0, \"hai_extent_length\": -1, \"hai_cookie\": 1635591151, "
            + "\"hai_gid\": 0, \"hal_archive_id\": 1, \"hal_flags\": 0, \"hai_data\": \"tag=n1\", "
            + "\"timestamp\": 1735689600123456789}";

    @Test
    void writesTheSpecExampleItemInWireSpacing() {
        assertEquals(SPEC_ITEM_WIRE,
                new String(ItemJson.toBytes(archive("tag=n1"), JsonStyle.WIRE), StandardCharsets.UTF_8));
    }

    @Test
    void writesCompactForRedis() {
        assertEquals(SPEC_ITEM_WIRE.replace(", ", ",").replace(": ", ":"),
                ItemJson.toCompactJson(archive("tag=n1")));
    }

    @Test
    void readsBothSpacingsBack() throws Exception {
        assertEquals(archive("tag=n1"), ItemJson.parse(SPEC_ITEM_WIRE));
        assertEquals(archive("tag=n1"), ItemJson.parse(ItemJson.toCompactJson(archive("tag=n1"))));
    }

    @Test
    void anEqualFidAndDfidAreOneObjectOnceRead() throws Exception {
        WireItem same = ItemJson.parse(SPEC_ITEM_WIRE);
        assertSame(same.fid(), same.dfid());

        Fid other = new Fid(8589955619L, 7375, 0);
        WireItem distinct = ItemJson.parse(ItemJson.toCompactJson(new WireItem(21, FID, other, 0, -1, 1L, 0, 1, 0,
                new byte[0], 0, null)));
        assertEquals(FID, distinct.fid());
        assertEquals(other, distinct.dfid());
    }

    @Test
    void omitsZeroTimestamp() {
        String json = ItemJson.toCompactJson(archive("x").withTimestamp(0));
        assertTrue(json.endsWith("\"hai_data\":\"x\"}"), json);
    }

    @Test
    void writesNulAndControlBytesAsEscapes() throws Exception {
        WireItem item = archive("").withData(new byte[] {'c', 'r', '=', 'a', 0, 0, 0x1f, '"', '\\', '\n'});
        String json = ItemJson.toCompactJson(item);
        assertTrue(json.contains("\"hai_data\":\"cr=a\\u0000\\u0000\\u001F\\\"\\\\\\n\""), json);
        assertEquals(item, ItemJson.parse(json));
    }

    @Test
    void keepsMultiByteUtf8AsIs() throws Exception {
        WireItem item = archive("h\u00e9\u20ac\uD83D\uDE00");
        String json = ItemJson.toCompactJson(item);
        assertTrue(json.contains("\"hai_data\":\"h\u00e9\u20ac\uD83D\uDE00\""), json);
        assertArrayEquals(item.data(), ItemJson.parse(json).data());
    }

    @Test
    void writesUnsignedValuesSigned() throws Exception {
        Fid big = new Fid(0xfffffffffffffffeL, 0x80000000, -1);
        WireItem item = new WireItem(23, big, big, -2, -1, 0x8000000000000001L, -3, 0xfffffffe,
                0x8000000000000000L, new byte[0], 0, null);
        String json = ItemJson.toCompactJson(item);
        assertEquals("{\"hai_action\":23,"
                + "\"hai_fid\":{\"f_seq\":-2,\"f_oid\":-2147483648,\"f_ver\":-1},"
                + "\"hai_dfid\":{\"f_seq\":-2,\"f_oid\":-2147483648,\"f_ver\":-1},"
                + "\"hai_extent_offset\":-2,\"hai_extent_length\":-1,"
                + "\"hai_cookie\":-9223372036854775807,\"hai_gid\":-3,\"hal_archive_id\":-2,"
                + "\"hal_flags\":-9223372036854775808,\"hai_data\":\"\"}", json);
        assertEquals(item, ItemJson.parse(json));
    }

    @Test
    void readsUnsignedSpellingsKeepingTheLowBits() throws Exception {
        String json = "{\"hai_action\":20,"
                + "\"hai_fid\":{\"f_seq\":18446744073709551614,\"f_oid\":4294967295,\"f_ver\":2147483648},"
                + "\"hai_dfid\":{\"f_seq\":1,\"f_oid\":2,\"f_ver\":3},"
                + "\"hai_extent_offset\":0,\"hai_extent_length\":18446744073709551615,"
                + "\"hai_cookie\":9223372036854775808,\"hai_gid\":0,\"hal_archive_id\":4294967295,"
                + "\"hai_data\":\"\"}";
        WireItem item = ItemJson.parse(json);
        assertEquals(new Fid(-2, -1, Integer.MIN_VALUE), item.fid());
        assertEquals(-1, item.extentLength());
        assertEquals(Long.MIN_VALUE, item.cookie());
        assertEquals(-1, item.archiveId());
        assertEquals(0, item.flags());
        assertEquals(0, item.timestamp());
    }

    @Test
    void refusesNumbersOutOfRange() {
        String base = ItemJson.toCompactJson(archive("x"));
        assertInvalid(base.replace("\"hai_cookie\":1635591151", "\"hai_cookie\":18446744073709551616"),
                "hai_cookie: integer out of 64-bit range");
        assertInvalid(base.replace("\"hai_cookie\":1635591151", "\"hai_cookie\":-9223372036854775809"),
                "hai_cookie: integer out of 64-bit range");
        assertInvalid(base.replace("\"f_oid\":7374", "\"f_oid\":4294967296"),
                "f_oid: integer out of 32-bit range");
        assertInvalid(base.replace("\"hai_action\":20", "\"hai_action\":-2147483649"),
                "hai_action: integer out of 32-bit range");
        assertInvalid(base.replace("\"hai_gid\":0", "\"hai_gid\":0.0"),
                "hai_gid: expected an integer, got a non-integer number");
        assertInvalid(base.replace("\"hai_gid\":0", "\"hai_gid\":\"0\""),
                "hai_gid: expected an integer, got a string");
    }

    @Test
    void fidMustHaveExactlyItsThreeMembers() {
        String base = ItemJson.toCompactJson(archive("x"));
        assertInvalid(base.replaceFirst("\"f_ver\":0", "\"f_ver\":0,\"f_x\":1"),
                "item.hai_fid: unexpected member \"f_x\"");
        assertInvalid(base.replaceFirst(",\"f_ver\":0", ""), "item.hai_fid: missing f_ver");
        assertInvalid(base.replaceFirst("\\{\"f_seq\":8589955619,\"f_oid\":7374,\"f_ver\":0}", "[1,2,3]"),
                "item.hai_fid: expected an object, got an array");
    }

    @Test
    void listsEveryMissingMandatoryMember() {
        assertInvalid("{\"hai_action\":20,\"hal_archive_id\":1}",
                "item: missing hai_fid, hai_dfid, hai_extent_offset, hai_extent_length, hai_cookie, hai_gid, hai_data");
        String noData = ItemJson.toCompactJson(archive("x")).replace(",\"hai_data\":\"x\"", "");
        assertInvalid(noData, "item: missing hai_data");
    }

    @Test
    void preservesUnknownMembersVerbatim() throws Exception {
        String json = ItemJson.toCompactJson(archive("x"))
                .replace("{\"hai_action\"", "{\"x_first\":{\"a\":[1,2.50,null,true]},\"hai_action\"")
                .replaceFirst("\\}$", ",\"zz\":\"v\"}");
        WireItem item = ItemJson.parse(json);
        assertEquals("\"x_first\":{\"a\":[1,2.50,null,true]},\"zz\":\"v\"", item.extraJson());
        String back = ItemJson.toCompactJson(item);
        assertTrue(back.endsWith(",\"timestamp\":1735689600123456789,\"x_first\":{\"a\":[1,2.50,null,true]},\"zz\":\"v\"}"), back);
        String wire = new String(ItemJson.toBytes(item, JsonStyle.WIRE), StandardCharsets.UTF_8);
        assertTrue(wire.endsWith(", \"x_first\": {\"a\": [1, 2.50, null, true]}, \"zz\": \"v\"}"), wire);
        assertEquals(item, ItemJson.parse(wire));
    }

    @Test
    void ignoresHaiLen() throws Exception {
        String json = ItemJson.toCompactJson(archive("x")).replace("{\"hai_action\"", "{\"hai_len\":999,\"hai_action\"");
        WireItem item = ItemJson.parse(json);
        assertNull(item.extraJson());
        assertEquals(73, item.haiLen());
    }

    @Test
    void carriesNonUtf8DataAsBase64() throws Exception {
        byte[] data = {'a', (byte) 0xff, 0, (byte) 0xc3};
        WireItem item = archive("").withData(data);
        String json = ItemJson.toCompactJson(item);
        assertTrue(json.contains("\"hai_data_b64\":\"Yf8Aww==\""), json);
        assertTrue(!json.contains("\"hai_data\""), json);
        assertArrayEquals(data, ItemJson.parse(json).data());
    }

    @Test
    void refusesBadBase64AndDoubleData() {
        String base = ItemJson.toCompactJson(archive("x"));
        assertInvalid(base.replace("\"hai_data\":\"x\"", "\"hai_data_b64\":\"!!\""),
                "item.hai_data_b64: invalid base64");
        assertInvalid(base.replace("\"hai_data\":\"x\"", "\"hai_data\":\"x\",\"hai_data_b64\":\"eA==\""),
                "item: both hai_data and hai_data_b64 are present");
    }

    @Test
    void refusesUnpairedSurrogateEscapes() {
        String base = ItemJson.toCompactJson(archive("x"));
        assertInvalid(base.replace("\"hai_data\":\"x\"", "\"hai_data\":\"a\\ud800b\""),
                "item.hai_data: unpaired surrogate \\ud800 at character 1");
    }

    @Test
    void reportsInvalidJsonReadably() {
        assertInvalid("{\"hai_action\":", "item: invalid JSON");
        assertInvalid(SPEC_ITEM_WIRE + " {}", "item: unexpected data after the object");
    }

    @Test
    void staysInSyncAfterAnInvalidItem() throws Exception {
        String bad = ItemJson.toCompactJson(archive("bad")).replace("\"hai_gid\":0", "\"hai_gid\":{\"deep\":[{}]}");
        byte[] json = ("[" + bad + "," + SPEC_ITEM_WIRE + "]").getBytes(StandardCharsets.UTF_8);
        List<Object> results = new ArrayList<>();
        try (JsonParser p = JsonStyle.parser(json, 0, json.length)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.START_OBJECT) {
                try {
                    results.add(ItemJson.read(p, "i"));
                } catch (InvalidContentException e) {
                    results.add(e.getMessage());
                }
            }
        }
        assertEquals(List.of("i.hai_gid: expected an integer, got an object", archive("tag=n1")), results);
    }

    @Test
    void claimNeedsOnlyCookieAndDfid() throws Exception {
        byte[] json = "{\"hai_cookie\":5,\"hai_dfid\":{\"f_seq\":1,\"f_oid\":2,\"f_ver\":0},\"hai_gid\":\"x\"}"
                .getBytes(StandardCharsets.UTF_8);
        try (JsonParser p = JsonStyle.parser(json, 0, json.length)) {
            p.nextToken();
            WireItem claim = ItemJson.readClaim(p, "c");
            assertEquals(0, claim.action());
            assertEquals(5, claim.cookie());
            assertEquals(new Fid(1, 2, 0), claim.dfid());
            assertEquals(0, claim.data().length);
        }
        byte[] noKey = "{\"hai_cookie\":5}".getBytes(StandardCharsets.UTF_8);
        try (JsonParser p = JsonStyle.parser(noKey, 0, noKey.length)) {
            p.nextToken();
            InvalidContentException e = assertThrows(InvalidContentException.class, () -> ItemJson.readClaim(p, "c"));
            assertTrue(e.getMessage().startsWith("c: missing hai_action, hai_fid, hai_dfid"), e.getMessage());
        }
    }

    private static void assertInvalid(String json, String messagePrefix) {
        InvalidContentException e = assertThrows(InvalidContentException.class, () -> ItemJson.parse(json));
        assertTrue(e.getMessage().startsWith(messagePrefix) || e.getMessage().contains(messagePrefix),
                "message was: " + e.getMessage());
    }

    @Test
    void anItemInAnotherEncodingIsInvalidContentNotAnException() {
        // NULs where Jackson sees UTF-32: it threw CharConversionException.
        byte[] utf32 = new byte[12];
        System.arraycopy("tion".getBytes(StandardCharsets.US_ASCII), 0, utf32, 8, 4);
        assertThrows(InvalidContentException.class, () -> ItemJson.parse(utf32));
        byte[] utf16 = ItemJson.toCompactJson(archive("tag=n1")).getBytes(StandardCharsets.UTF_16LE);
        assertThrows(InvalidContentException.class, () -> ItemJson.parse(utf16));
    }
}
