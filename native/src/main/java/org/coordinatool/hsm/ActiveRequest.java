package org.coordinatool.hsm;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One line of the MDT's {@code hsm.active_requests} listing, reduced to what is needed to queue the
 * request again. {@code data} is what the listing shows, which the MDT cuts to the first few bytes
 * of the real {@code hai_data}; {@code archiveId} and {@code flags} are the list-level values the
 * request was sent with.
 */
public record ActiveRequest(HsmAction action, Fid fid, Fid dfid, long compoundId, long cookie, int archiveId,
                            long flags, HsmExtent extent, long gid, byte[] data) {

    public ActiveRequest {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(fid, "fid");
        Objects.requireNonNull(dfid, "dfid");
        Objects.requireNonNull(extent, "extent");
        data = data.clone();
    }

    /** A copy of the bytes shown in {@code data=[...]}. */
    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The data as the original client would send it: NUL-padded to a multiple of 8. */
    public byte[] paddedData() {
        return DataPadding.NUL_TO_8.apply(data);
    }

    public HsmActionItem toActionItem(DataPadding padding) {
        return new HsmActionItem(action, fid, dfid, extent, cookie, gid, padding.apply(data));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ActiveRequest other
                && action == other.action
                && fid.equals(other.fid)
                && dfid.equals(other.dfid)
                && compoundId == other.compoundId
                && cookie == other.cookie
                && archiveId == other.archiveId
                && flags == other.flags
                && extent.equals(other.extent)
                && gid == other.gid
                && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(action, fid, dfid, compoundId, cookie, archiveId, flags, extent, gid)
                + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "ActiveRequest[action=" + action + ", fid=" + fid + ", dfid=" + dfid
                + ", compound/cookie=" + HsmExtent.hex(compoundId) + "/" + HsmExtent.hex(cookie)
                + ", archive#=" + Integer.toUnsignedString(archiveId) + ", flags=" + HsmExtent.hex(flags)
                + ", extent=" + extent + ", gid=" + HsmExtent.hex(gid)
                + ", data=[" + HexFormat.of().withUpperCase().formatHex(data) + "]]";
    }
}
