package org.coordinatool.hsm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;

/**
 * The meaningful part of {@code struct hsm_user_state}: the state bit mask and the archive id
 * recorded on the file (the in-progress fields are never filled by the MDT).
 */
public record HsmUserState(int states, int archiveId) {

    /** Size of {@code struct hsm_user_state} without its unused flexible tail. */
    public static final int SIZE = 32;

    public Set<HsmStateFlag> flags() {
        return HsmStateFlag.fromMask(states);
    }

    public boolean has(HsmStateFlag flag) {
        return (states & flag.bit()) != 0;
    }

    public static HsmUserState decode(byte[] struct, ByteOrder order) {
        if (struct.length < 8) {
            throw new IllegalArgumentException("hsm_user_state needs 8 bytes, got " + struct.length);
        }
        ByteBuffer b = ByteBuffer.wrap(struct).order(order);
        return new HsmUserState(b.getInt(0), b.getInt(4));
    }
}
