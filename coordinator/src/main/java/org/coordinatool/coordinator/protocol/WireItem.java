package org.coordinatool.coordinator.protocol;

import java.util.Arrays;
import java.util.Objects;
import org.coordinatool.hsm.Fid;

/**
 * One hsm_action_item as it travels in the JSON protocol and in Redis.
 *
 * <p>The data is kept as raw bytes: Lustre's hai_data is opaque and may hold NULs or bytes that are
 * not UTF-8. {@code extraJson} carries the members of a received item that the protocol does not
 * define, as a compact JSON fragment ({@code "k":v,"k2":v2} without braces), so they are forwarded
 * verbatim to agents and Redis without keeping a JSON tree per request; it is null when there were
 * none.
 */
public record WireItem(
        int action,
        Fid fid,
        Fid dfid,
        long extentOffset,
        long extentLength,
        long cookie,
        long gid,
        int archiveId,
        long flags,
        byte[] data,
        long timestamp,
        String extraJson) {

    public WireItem {
        Objects.requireNonNull(fid, "fid");
        Objects.requireNonNull(dfid, "dfid");
        Objects.requireNonNull(data, "data");
    }

    /** Lustre's hai_len: the fixed 72-byte item header plus the data, unpadded. */
    public int haiLen() {
        return 72 + data.length;
    }

    public WireItem withTimestamp(long newTimestamp) {
        return new WireItem(action, fid, dfid, extentOffset, extentLength, cookie, gid, archiveId,
                flags, data, newTimestamp, extraJson);
    }

    public WireItem withData(byte[] newData) {
        return new WireItem(action, fid, dfid, extentOffset, extentLength, cookie, gid, archiveId,
                flags, newData, timestamp, extraJson);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WireItem w
                && action == w.action && fid.equals(w.fid) && dfid.equals(w.dfid)
                && extentOffset == w.extentOffset && extentLength == w.extentLength
                && cookie == w.cookie && gid == w.gid && archiveId == w.archiveId
                && flags == w.flags && Arrays.equals(data, w.data) && timestamp == w.timestamp
                && Objects.equals(extraJson, w.extraJson);
    }

    @Override
    public int hashCode() {
        return Objects.hash(cookie, dfid, action) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "WireItem[action=" + action + ", dfid=" + dfid + ", cookie=0x"
                + Long.toHexString(cookie) + ", archiveId=" + archiveId + ", dataLen="
                + data.length + "]";
    }
}
