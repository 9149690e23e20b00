package org.coordinatool.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.hsm.Fid;
import org.coordinatool.hsm.HsmAction;

/**
 * The requests of one run, numbered from 0. Request {@code i} has cookie {@code tag << 32 | i}
 * and the fid {@code [SEQ_BASE + tag : i : 0]} as both fid and dfid, so every request of every
 * run is unique and an item coming back is traced to its number without any lookup; a cookie of
 * another tag is not one of this run's.
 *
 * @param tag distinguishes this run's requests from those a server kept from earlier runs (1..2^24-1)
 * @param measured requests 0..measured-1 follow the mix; the preloaded archives come after them
 */
public record SyntheticRequests(int tag, long measured, long preloaded, ActionMix mix, int archiveId, byte[] data) {

    /** The start of the sequence range Lustre gives to normal files. */
    static final long SEQ_BASE = 0x200000400L;
    static final long MAX_REQUESTS = 1L << 32;

    public SyntheticRequests {
        if (tag <= 0 || tag >= 1 << 24) {
            throw new IllegalArgumentException("tag must be in 1..2^24-1");
        }
        if (measured < 0 || preloaded < 0 || measured + preloaded > MAX_REQUESTS) {
            throw new IllegalArgumentException("at most 2^32 requests per run");
        }
    }

    public long total() {
        return measured + preloaded;
    }

    public boolean isPreloaded(long index) {
        return index >= measured;
    }

    public int actionOf(long index) {
        return isPreloaded(index) ? HsmAction.ARCHIVE.code() : mix.actionOf(index);
    }

    public long cookie(long index) {
        return (long) tag << 32 | index;
    }

    public Fid fid(long index) {
        return new Fid(SEQ_BASE + tag, (int) index, 0);
    }

    /** The request number of an item, or -1 when the item is not one of this run's requests. */
    public long indexOf(long cookie, Fid dfid) {
        long index = cookie & 0xffffffffL;
        if (cookie >>> 32 != tag || index >= total() || !dfid.equals(fid(index))) {
            return -1;
        }
        return index;
    }

    public WireItem item(long index) {
        Fid fid = fid(index);
        return new WireItem(actionOf(index), fid, fid, 0, -1, cookie(index), 0, archiveId, 0, data, 0, null);
    }

    /** ASCII data of {@code size} bytes: a fixed tag, then filler. */
    public static byte[] data(int size) {
        byte[] data = new byte[size];
        Arrays.fill(data, (byte) 'x');
        byte[] prefix = "bench=".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(prefix, 0, data, 0, Math.min(size, prefix.length));
        return data;
    }
}
