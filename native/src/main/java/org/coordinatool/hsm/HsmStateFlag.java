package org.coordinatool.hsm;

import java.util.EnumSet;
import java.util.Set;

/** {@code enum hsm_states}: per-file HSM flags as returned in {@code hus_states}. */
public enum HsmStateFlag {
    EXISTS(0x001),
    DIRTY(0x002),
    RELEASED(0x004),
    ARCHIVED(0x008),
    NORELEASE(0x010),
    NOARCHIVE(0x020),
    LOST(0x040),
    PCCRW(0x080),
    PCCRO(0x100);

    private final int bit;

    HsmStateFlag(int bit) {
        this.bit = bit;
    }

    public int bit() {
        return bit;
    }

    public static Set<HsmStateFlag> fromMask(int mask) {
        Set<HsmStateFlag> set = EnumSet.noneOf(HsmStateFlag.class);
        for (HsmStateFlag f : values()) {
            if ((mask & f.bit) != 0) {
                set.add(f);
            }
        }
        return set;
    }
}
