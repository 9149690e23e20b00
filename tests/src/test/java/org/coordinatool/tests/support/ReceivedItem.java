package org.coordinatool.tests.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.coordinatool.hsm.Fid;
import org.coordinatool.hsm.HsmAction;
import org.coordinatool.hsm.HsmActionItem;
import org.coordinatool.hsm.HsmExtent;

/**
 * One hsm_action_item as an agent received it in a {@code recv} reply, with the JSON object itself
 * (an agent gives it back verbatim in the {@code hai_list} of a reconnecting {@code ehlo}).
 */
public record ReceivedItem(int action, Fid fid, Fid dfid, long extentOffset, long extentLength, long cookie,
                           long gid, byte[] data, int halArchiveId, long halFlags, ObjectNode json) {

    public static ReceivedItem of(JsonNode item) {
        if (!(item instanceof ObjectNode object)) {
            throw new AssertionError("hsm_action_item is not an object: " + item);
        }
        for (String member : new String[] {"hai_action", "hai_fid", "hai_dfid", "hai_extent_offset",
            "hai_extent_length", "hai_cookie", "hai_gid"}) {
            if (!item.has(member)) {
                throw new AssertionError("hsm_action_item without " + member + ": " + item);
            }
        }
        byte[] data;
        if (item.has("hai_data_b64")) {
            data = Base64.getDecoder().decode(item.get("hai_data_b64").asText());
        } else if (item.has("hai_data")) {
            data = item.get("hai_data").asText().getBytes(StandardCharsets.UTF_8);
        } else {
            throw new AssertionError("hsm_action_item without hai_data: " + item);
        }
        return new ReceivedItem(item.get("hai_action").asInt(), fid(item.get("hai_fid")), fid(item.get("hai_dfid")),
                item.get("hai_extent_offset").asLong(), item.get("hai_extent_length").asLong(),
                item.get("hai_cookie").asLong(), item.get("hai_gid").asLong(), data,
                item.path("hal_archive_id").asInt(), item.path("hal_flags").asLong(), object.deepCopy());
    }

    static Fid fid(JsonNode fid) {
        return new Fid(fid.get("f_seq").asLong(), fid.get("f_oid").asInt(), fid.get("f_ver").asInt());
    }

    public boolean is(HsmAction a) {
        return action == a.code();
    }

    /** The data as text (NUL bytes kept as {@code \0}). */
    public String dataText() {
        return new String(data, StandardCharsets.UTF_8);
    }

    /** What the agent hands to liblustreapi. */
    public HsmActionItem toHsmActionItem() {
        return new HsmActionItem(action, fid, dfid, new HsmExtent(extentOffset, extentLength), cookie, gid, data);
    }

    /** The identity of the request this item belongs to (a cancel item carries its target's). */
    public RequestId id() {
        return new RequestId(cookie, dfid);
    }

    /** A request's identity: cookie and data FID, as on the wire and in Redis. */
    public record RequestId(long cookie, Fid dfid) {

        /** The field name in the Redis hashes (spec: 48 lowercase hex digits). */
        public String redisKey() {
            return String.format("%016x%016x%08x%08x", cookie, dfid.seq(), dfid.oid(), dfid.ver());
        }
    }
}
