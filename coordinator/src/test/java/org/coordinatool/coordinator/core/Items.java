package org.coordinatool.coordinator.core;

import java.nio.charset.StandardCharsets;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.coordinator.queue.ActionType;
import org.coordinatool.hsm.Fid;
import org.coordinatool.hsm.HsmActionItem;
import org.coordinatool.hsm.HsmExtent;

/** Test items: request number n has dfid [0x200000400:n:0] and cookie 0x617d0000 + n. */
final class Items {

    static final long COOKIE_BASE = 0x617d_0000L;

    private Items() {
    }

    static Fid dfid(int n) {
        return new Fid(0x200000400L, n, 0);
    }

    static long cookie(int n) {
        return COOKIE_BASE + n;
    }

    static WireItem item(ActionType type, int n, int archiveId, String data) {
        return item(type, n, archiveId, 0, data.getBytes(StandardCharsets.UTF_8));
    }

    static WireItem item(ActionType type, int n, int archiveId, long flags, byte[] data) {
        return new WireItem(type.code(), dfid(n), dfid(n), 0, -1, cookie(n), 0, archiveId, flags, data, 0, null);
    }

    static WireItem archive(int n) {
        return item(ActionType.ARCHIVE, n, 1, "");
    }

    static WireItem archive(int n, String data) {
        return item(ActionType.ARCHIVE, n, 1, data);
    }

    static WireItem restore(int n) {
        return item(ActionType.RESTORE, n, 1, "");
    }

    static WireItem remove(int n) {
        return item(ActionType.REMOVE, n, 1, "");
    }

    /** The Lustre form of an item (list-level archive id and flags are given separately). */
    static HsmActionItem hai(WireItem item) {
        return new HsmActionItem(item.action(), item.fid(), item.dfid(),
                new HsmExtent(item.extentOffset(), item.extentLength()), item.cookie(), item.gid(), item.data());
    }

    /** A cancel order as Lustre sends it for request n. */
    static HsmActionItem cancelHai(int n) {
        return new HsmActionItem(ActionType.CANCEL.code(), dfid(n), dfid(n), HsmExtent.WHOLE_FILE, cookie(n), 0,
                new byte[0]);
    }
}
