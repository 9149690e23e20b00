package org.coordinatool.mover.shim;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Constants and frame encoding of the shim protocol, version 1 (preload-shim/PROTOCOL.md). Both
 * ends run on the same machine, so integers are in the host's byte order.
 */
public final class ShimProtocol {

    public static final int MAGIC = 0x48535443;
    public static final int VERSION = 1;
    public static final int HEADER_SIZE = 16;
    public static final int MAX_PAYLOAD = 16 << 20;
    public static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** The variable the copytool's environment names the agent's socket in. */
    public static final String SOCKET_ENV = "COORDINATOOL_AGENT_SOCKET";

    public static final int REGISTER = 1;
    public static final int RECV = 2;
    public static final int REJECT = 3;
    public static final int UNREGISTER = 4;
    public static final int BEGIN = 5;
    public static final int END = 6;
    public static final int REGISTER_REPLY = 101;
    public static final int ACTION_LIST = 102;
    public static final int SHUTDOWN = 103;

    /** Size of the fixed part of REGISTER: pid, rfd_flags, archive_count. */
    static final int REGISTER_FIXED_SIZE = 12;
    /** Size of BEGIN and END: cookie, lu_fid, value. */
    static final int NOTICE_SIZE = 28;

    private ShimProtocol() {
    }

    public static byte[] registerReply(int rc) {
        return frame(REGISTER_REPLY, 4).putInt(rc).array();
    }

    /** An ACTION_LIST whose payload is a complete hsm_action_list. */
    public static byte[] actionList(byte[] hal) {
        return frame(ACTION_LIST, hal.length).put(hal).array();
    }

    public static byte[] shutdown() {
        return frame(SHUTDOWN, 0).array();
    }

    private static ByteBuffer frame(int type, int length) {
        if (length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("payload of " + length + " bytes exceeds " + MAX_PAYLOAD);
        }
        return ByteBuffer.allocate(HEADER_SIZE + length).order(ORDER)
                .putInt(MAGIC).putShort((short) VERSION).putShort((short) type).putInt(length).putInt(0);
    }
}
