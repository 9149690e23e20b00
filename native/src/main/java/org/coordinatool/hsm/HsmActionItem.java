package org.coordinatool.hsm;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code struct hsm_action_item}. The action is kept as its raw code so that an item carrying
 * an action this code does not know survives decoding and can still be answered (reported as an
 * error) by cookie. {@code data} is the opaque {@code hai_data}: arbitrary bytes, NULs included.
 */
public record HsmActionItem(int actionCode, Fid fid, Fid dfid, HsmExtent extent, long cookie, long gid, byte[] data) {

    /** Fixed part of {@code struct hsm_action_item}. */
    public static final int HEADER_SIZE = 72;

    /** Largest data length whose padded slot still fits an int. */
    public static final int MAX_DATA_LENGTH = Integer.MAX_VALUE - HEADER_SIZE - 7;

    private static final int TO_STRING_DATA_BYTES = 32;

    public HsmActionItem {
        Objects.requireNonNull(fid, "fid");
        Objects.requireNonNull(dfid, "dfid");
        Objects.requireNonNull(extent, "extent");
        Objects.requireNonNull(data, "data");
        if (data.length > MAX_DATA_LENGTH) {
            throw new IllegalArgumentException("hai_data of " + data.length + " bytes exceeds " + MAX_DATA_LENGTH);
        }
        data = data.clone();
    }

    public HsmActionItem(HsmAction action, Fid fid, Fid dfid, HsmExtent extent, long cookie, long gid, byte[] data) {
        this(action.code(), fid, dfid, extent, cookie, gid, data);
    }

    /** Empty if the code is not one of Lustre's HSMA_* values. */
    public Optional<HsmAction> action() {
        return HsmAction.fromCode(actionCode);
    }

    /** Lustre's display name of the action, {@code UNKNOWN} for foreign codes. */
    public String actionName() {
        return HsmAction.nameOf(actionCode);
    }

    /** A copy of {@code hai_data}. */
    @Override
    public byte[] data() {
        return data.clone();
    }

    /** {@code hai_data} without copying. */
    public ByteBuffer dataBuffer() {
        return ByteBuffer.wrap(data).asReadOnlyBuffer();
    }

    public int dataLength() {
        return data.length;
    }

    /** {@code hai_len}: header plus data, not rounded. */
    public int haiLength() {
        return HEADER_SIZE + data.length;
    }

    /** Bytes this item occupies inside a HAL: {@code hai_len} rounded up to 8. */
    public int slotSize() {
        return HalCodec.slotSize(data.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HsmActionItem other
                && actionCode == other.actionCode
                && cookie == other.cookie
                && gid == other.gid
                && fid.equals(other.fid)
                && dfid.equals(other.dfid)
                && extent.equals(other.extent)
                && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(actionCode, fid, dfid, extent, cookie, gid);
        return 31 * h + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        String shown = HexFormat.of().formatHex(data, 0, Math.min(data.length, TO_STRING_DATA_BYTES));
        return "HsmActionItem[action=" + actionName() + "(" + actionCode + ")"
                + ", fid=" + fid + ", dfid=" + dfid + ", extent=" + extent
                + ", cookie=" + HsmExtent.hex(cookie) + ", gid=" + HsmExtent.hex(gid)
                + ", data=" + data.length + " bytes [" + shown
                + (data.length > TO_STRING_DATA_BYTES ? "...]" : "]") + "]";
    }
}
