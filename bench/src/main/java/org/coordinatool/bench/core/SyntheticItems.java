package org.coordinatool.bench.core;

import java.nio.charset.StandardCharsets;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.hsm.Fid;
import org.coordinatool.hsm.HsmAction;

/**
 * Synthetic requests as Lustre would send them: request number n has dfid (and fid)
 * [0x200000400:n:0], cookie 0x1000000 + n, archive id 1, and data of a chosen length whose first
 * bytes name the request ("tag=n", then '.' padding), so every request holds its own bytes.
 */
public final class SyntheticItems {

    public static final int ARCHIVE_ID = 1;
    public static final long SEQ = 0x200000400L;
    public static final long COOKIE_BASE = 0x100_0000L;

    private final int dataLength;

    public SyntheticItems(int dataLength) {
        this.dataLength = dataLength;
    }

    public static Fid dfid(long n) {
        return new Fid(SEQ + (n >>> 32), (int) n, 0);
    }

    public WireItem archive(long n) {
        return item(HsmAction.ARCHIVE, n);
    }

    public WireItem restore(long n) {
        return item(HsmAction.RESTORE, n);
    }

    public WireItem item(HsmAction action, long n) {
        Fid fid = dfid(n);
        return new WireItem(action.code(), fid, fid, 0, -1, COOKIE_BASE + n, 0, ARCHIVE_ID, 0, data(n),
                1_700_000_000_000_000_000L + n, null);
    }

    private byte[] data(long n) {
        byte[] data = new byte[dataLength];
        byte[] tag = ("tag=" + n).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < dataLength; i++) {
            data[i] = i < tag.length ? tag[i] : (byte) '.';
        }
        return data;
    }
}
