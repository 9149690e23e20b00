package org.coordinatool.hsm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * {@code struct hsm_user_request}: a 24-byte {@code hsm_request}, the items (32 bytes each) and
 * the opaque data blob right after them, which the MDT copies into every action item it creates.
 */
public record HsmUserRequest(HsmUserAction action, int archiveId, long flags, List<HsmUserItem> items, byte[] data) {

    public static final int HEADER_SIZE = 24;

    /** Request flags ({@code hr_flags}). */
    public static final long HSM_FORCE_ACTION = 0x1;
    public static final long HSM_GHOST_COPY = 0x2;
    public static final long HSM_REQ_BLOCKING = 0x4;

    public HsmUserRequest {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(data, "data");
        items = List.copyOf(items);
        data = data.clone();
        long size = HEADER_SIZE + (long) HsmUserItem.SIZE * items.size() + data.length;
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("hsm_user_request of " + size + " bytes is too large");
        }
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** {@code hur_len}: header, items and data, unpadded. */
    public int length() {
        return HEADER_SIZE + HsmUserItem.SIZE * items.size() + data.length;
    }

    public byte[] encode(ByteOrder order) {
        ByteBuffer b = ByteBuffer.allocate(length()).order(order);
        b.putInt(action.code())
                .putInt(archiveId)
                .putLong(flags)
                .putInt(items.size())
                .putInt(data.length);
        for (HsmUserItem item : items) {
            HalCodec.putFid(b, item.fid());
            HalCodec.putExtent(b, item.extent());
        }
        b.put(data);
        return b.array();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HsmUserRequest other
                && action == other.action
                && archiveId == other.archiveId
                && flags == other.flags
                && items.equals(other.items)
                && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(action, archiveId, flags, items) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "HsmUserRequest[action=" + action + ", archiveId=" + Integer.toUnsignedString(archiveId)
                + ", flags=" + HsmExtent.hex(flags) + ", items=" + items
                + ", data=" + HexFormat.of().formatHex(data) + "]";
    }
}
