package org.coordinatool.mover;

import java.util.ArrayList;
import java.util.List;
import org.coordinatool.coordinator.protocol.Reply;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.hsm.HalCodec;
import org.coordinatool.hsm.HsmActionItem;
import org.coordinatool.hsm.HsmActionList;
import org.coordinatool.hsm.HsmExtent;

/** The binary hsm_action_list a copytool receives, built from the action list of a recv reply. */
final class HalEncoder {

    private HalEncoder() {
    }

    /**
     * The list in Lustre's layout, host byte order. The header takes the list's archive id, flags
     * and fsname; the items keep their data bytes exactly.
     */
    static HsmActionList toHal(Reply.ActionList list) {
        List<HsmActionItem> items = new ArrayList<>(list.items().size());
        for (WireItem w : list.items()) {
            items.add(new HsmActionItem(w.action(), w.fid(), w.dfid(),
                    new HsmExtent(w.extentOffset(), w.extentLength()), w.cookie(), w.gid(), w.data()));
        }
        return new HsmActionList(list.flags(), list.archiveId(), list.fsname(), items);
    }

    static byte[] encode(HsmActionList hal) {
        return HalCodec.hostOrder().encode(hal);
    }
}
