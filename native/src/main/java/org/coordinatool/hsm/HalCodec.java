package org.coordinatool.hsm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Binary codec for {@code struct hsm_action_list} / {@code struct hsm_action_item} in Lustre's
 * exact layout: 32-byte header, NUL-terminated fsname padded to 8, items 8-byte aligned with zero
 * padding, {@code hai_len} unpadded. Integers use the host byte order of the peer, which is the
 * machine's native order for anything read from liblustreapi.
 */
public final class HalCodec {

    private static final HalCodec HOST = new HalCodec(ByteOrder.nativeOrder());

    private final ByteOrder order;

    private HalCodec(ByteOrder order) {
        this.order = order;
    }

    /** The codec for structures exchanged with the local liblustreapi. */
    public static HalCodec hostOrder() {
        return HOST;
    }

    public static HalCodec of(ByteOrder order) {
        return order == HOST.order ? HOST : new HalCodec(Objects.requireNonNull(order, "order"));
    }

    public ByteOrder order() {
        return order;
    }

    /** {@code hai_len} of an item carrying {@code dataLength} bytes. */
    public static int haiLength(int dataLength) {
        checkDataLength(dataLength);
        return HsmActionItem.HEADER_SIZE + dataLength;
    }

    /** Bytes such an item occupies in a HAL ({@code hai_len} rounded up to 8). */
    public static int slotSize(int dataLength) {
        checkDataLength(dataLength);
        return roundUp8(HsmActionItem.HEADER_SIZE + dataLength);
    }

    /** Bytes the NUL-terminated fsname occupies after the header, padded to 8. */
    public static int fsnameFieldSize(String fsname) {
        return roundUp8(fsname.getBytes(StandardCharsets.UTF_8).length + 1);
    }

    /** Offset of the first item from the start of the HAL ({@code hai_first}). */
    public static int firstItemOffset(String fsname) {
        return HsmActionList.HEADER_SIZE + fsnameFieldSize(fsname);
    }

    /** {@code hal_size}: what an encoded list occupies. */
    public static int halSize(HsmActionList hal) {
        return halSize(hal.fsname(), hal.items());
    }

    /** {@code hal_size} of a list with this fsname and these items (for byte budgets). */
    public static int halSize(String fsname, Collection<HsmActionItem> items) {
        long size = firstItemOffset(fsname);
        for (HsmActionItem item : items) {
            size += item.slotSize();
        }
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("HAL of " + size + " bytes exceeds " + Integer.MAX_VALUE);
        }
        return (int) size;
    }

    static int roundUp8(long n) {
        return (int) ((n + 7) & ~7L);
    }

    private static void checkDataLength(int dataLength) {
        if (dataLength < 0 || dataLength > HsmActionItem.MAX_DATA_LENGTH) {
            throw new IllegalArgumentException("data length " + dataLength + " outside 0.." + HsmActionItem.MAX_DATA_LENGTH);
        }
    }

    public byte[] encode(HsmActionList hal) {
        byte[] out = new byte[halSize(hal)];
        encode(hal, ByteBuffer.wrap(out));
        return out;
    }

    /** Writes the HAL at the buffer's position and advances it; padding is written as zeros. */
    public void encode(HsmActionList hal, ByteBuffer dst) {
        int size = halSize(hal);
        if (dst.remaining() < size) {
            throw new IllegalArgumentException("HAL needs " + size + " bytes, buffer has " + dst.remaining());
        }
        ByteBuffer b = dst.slice().order(order);
        b.putInt(hal.version())
                .putInt(hal.items().size())
                .putLong(hal.compoundId())
                .putLong(hal.flags())
                .putInt(hal.archiveId())
                .putInt(0);
        byte[] fsname = hal.fsname().getBytes(StandardCharsets.UTF_8);
        b.put(fsname);
        zeros(b, HsmActionList.HEADER_SIZE + roundUp8(fsname.length + 1));
        for (HsmActionItem item : hal.items()) {
            int start = b.position();
            putItem(b, item);
            zeros(b, start + item.slotSize());
        }
        dst.position(dst.position() + size);
    }

    /** One item as it appears inside a HAL, {@code hai_len} bytes long (no trailing padding). */
    public byte[] encodeItem(HsmActionItem item) {
        byte[] out = new byte[item.haiLength()];
        putItem(ByteBuffer.wrap(out).order(order), item);
        return out;
    }

    /** A complete pipe message: KUC header followed by the HAL. */
    public byte[] encodeKucMessage(HsmActionList hal) {
        int halSize = halSize(hal);
        KucHeader header = KucHeader.actionList(halSize);
        byte[] out = new byte[header.msgLength()];
        ByteBuffer b = ByteBuffer.wrap(out).order(order);
        putKucHeader(b, header);
        encode(hal, b);
        return out;
    }

    public void putKucHeader(ByteBuffer dst, KucHeader header) {
        ByteBuffer b = dst.slice().order(order);
        b.putShort((short) header.magic())
                .put((byte) header.transport())
                .put((byte) header.flags())
                .putShort((short) header.msgType())
                .putShort((short) header.msgLength());
        dst.position(dst.position() + KucHeader.SIZE);
    }

    /** Reads a KUC header at the buffer's position and advances past it. */
    public KucHeader getKucHeader(ByteBuffer src) {
        if (src.remaining() < KucHeader.SIZE) {
            throw new HalFormatException(0, "truncated kuc_hdr: " + src.remaining() + " bytes, need " + KucHeader.SIZE);
        }
        ByteBuffer b = src.slice().order(order);
        KucHeader header = new KucHeader(Short.toUnsignedInt(b.getShort()), Byte.toUnsignedInt(b.get()),
                Byte.toUnsignedInt(b.get()), Short.toUnsignedInt(b.getShort()), Short.toUnsignedInt(b.getShort()));
        src.position(src.position() + KucHeader.SIZE);
        return header;
    }

    public HsmActionList decode(byte[] message) {
        return decode(ByteBuffer.wrap(message));
    }

    /**
     * Decodes the HAL held in the buffer's remaining bytes (the {@code msgsize} bytes recv returned)
     * without moving its position. Every item must lie inside those bytes; the version is not
     * checked (see {@link HsmActionList#hasSupportedVersion()}).
     */
    public HsmActionList decode(ByteBuffer message) {
        ByteBuffer b = message.slice().order(order);
        int size = b.remaining();
        if (size < HsmActionList.HEADER_SIZE) {
            throw new HalFormatException(0, "truncated hal header: " + size + " bytes, need " + HsmActionList.HEADER_SIZE);
        }
        int version = b.getInt(0);
        long count = Integer.toUnsignedLong(b.getInt(4));
        long compoundId = b.getLong(8);
        long flags = b.getLong(16);
        int archiveId = b.getInt(24);
        int nul = HsmActionList.HEADER_SIZE;
        while (nul < size && b.get(nul) != 0) {
            nul++;
        }
        if (nul == size) {
            throw new HalFormatException(HsmActionList.HEADER_SIZE,
                    "hal_fsname is not NUL-terminated within the " + size + "-byte message");
        }
        String fsname = decodeFsname(b, nul);
        long offset = HsmActionList.HEADER_SIZE + roundUp8(nul - HsmActionList.HEADER_SIZE + 1L);
        long room = Math.max(0, size - offset);
        if (count > room / HsmActionItem.HEADER_SIZE) {
            // The fsname's padding may run past the end: the offset must still lie in the message.
            throw new HalFormatException(Math.min(offset, size), "hal_count " + count + " cannot fit: " + room
                    + " bytes after the fsname hold at most " + room / HsmActionItem.HEADER_SIZE + " items");
        }
        List<HsmActionItem> items = new ArrayList<>((int) count);
        for (int k = 0; k < count; k++) {
            if (offset + HsmActionItem.HEADER_SIZE > size) {
                // The previous item's padding may run past the end: the offset must still lie in the message.
                throw new HalFormatException(Math.min(offset, size), "item " + k
                        + " header crosses the end of the " + size + "-byte message");
            }
            long haiLen = Integer.toUnsignedLong(b.getInt((int) offset));
            if (haiLen < HsmActionItem.HEADER_SIZE) {
                throw new HalFormatException(offset, "item " + k + " hai_len " + haiLen + " is below the "
                        + HsmActionItem.HEADER_SIZE + "-byte item header");
            }
            if (offset + haiLen > size) {
                throw new HalFormatException(offset, "item " + k + " hai_len " + haiLen
                        + " crosses the end of the " + size + "-byte message");
            }
            items.add(getItem(b, (int) offset, (int) haiLen));
            offset += roundUp8(haiLen);
        }
        return new HsmActionList(version, compoundId, flags, archiveId, fsname, items);
    }

    private static String decodeFsname(ByteBuffer b, int nul) {
        ByteBuffer raw = b.duplicate().position(HsmActionList.HEADER_SIZE).limit(nul);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(raw).toString();
        } catch (CharacterCodingException e) {
            throw new HalFormatException(HsmActionList.HEADER_SIZE, "hal_fsname is not valid UTF-8");
        }
    }

    private static void putItem(ByteBuffer b, HsmActionItem item) {
        b.putInt(item.haiLength()).putInt(item.actionCode());
        putFid(b, item.fid());
        putFid(b, item.dfid());
        putExtent(b, item.extent());
        b.putLong(item.cookie()).putLong(item.gid());
        b.put(item.dataBuffer());
    }

    private static HsmActionItem getItem(ByteBuffer b, int at, int haiLen) {
        ByteBuffer i = b.duplicate().order(b.order()).position(at + 4);
        int action = i.getInt();
        Fid fid = getFid(i);
        Fid dfid = getFid(i);
        HsmExtent extent = getExtent(i);
        long cookie = i.getLong();
        long gid = i.getLong();
        byte[] data = new byte[haiLen - HsmActionItem.HEADER_SIZE];
        i.get(data);
        return new HsmActionItem(action, fid, dfid, extent, cookie, gid, data);
    }

    /** Relative put of a {@code struct lu_fid} in the buffer's byte order. */
    public static void putFid(ByteBuffer b, Fid fid) {
        b.putLong(fid.seq()).putInt(fid.oid()).putInt(fid.ver());
    }

    /** Relative get of a {@code struct lu_fid} in the buffer's byte order. */
    public static Fid getFid(ByteBuffer b) {
        return new Fid(b.getLong(), b.getInt(), b.getInt());
    }

    public static void putExtent(ByteBuffer b, HsmExtent extent) {
        b.putLong(extent.offset()).putLong(extent.length());
    }

    public static HsmExtent getExtent(ByteBuffer b) {
        return new HsmExtent(b.getLong(), b.getLong());
    }

    private static void zeros(ByteBuffer b, int upTo) {
        while (b.position() < upTo) {
            b.put((byte) 0);
        }
    }
}
