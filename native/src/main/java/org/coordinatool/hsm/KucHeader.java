package org.coordinatool.hsm;

/**
 * {@code struct kuc_hdr}, the 8-byte frame in front of every message on the copytool pipe.
 * {@code msgLength} counts the header itself; it is 16 bits wide, so a framed HAL can never exceed
 * {@value #MAX_MESSAGE_LENGTH} bytes.
 */
public record KucHeader(int magic, int transport, int flags, int msgType, int msgLength) {

    public static final int SIZE = 8;
    public static final int KUC_MAGIC = 0x191C;
    public static final int TRANSPORT_GENERIC = 1;
    public static final int TRANSPORT_HSM = 2;
    public static final int MSG_SHUTDOWN = 1;
    public static final int HMT_ACTION_LIST = 100;
    public static final int MAX_MESSAGE_LENGTH = 0xFFFF;

    public KucHeader {
        checkRange("magic", magic, 0xFFFF);
        checkRange("transport", transport, 0xFF);
        checkRange("flags", flags, 0xFF);
        checkRange("msgType", msgType, 0xFFFF);
        checkRange("msgLength", msgLength, MAX_MESSAGE_LENGTH);
    }

    /** Header of an HSM action-list message carrying a HAL of {@code halSize} bytes. */
    public static KucHeader actionList(int halSize) {
        if (halSize < 0 || halSize > MAX_MESSAGE_LENGTH - SIZE) {
            throw new IllegalArgumentException("a " + halSize + "-byte HAL does not fit a KUC message (at most "
                    + (MAX_MESSAGE_LENGTH - SIZE) + " bytes)");
        }
        return new KucHeader(KUC_MAGIC, TRANSPORT_HSM, 0, HMT_ACTION_LIST, SIZE + halSize);
    }

    /** The bare header the kernel sends when the filesystem is being unmounted. */
    public static KucHeader shutdown() {
        return new KucHeader(KUC_MAGIC, TRANSPORT_GENERIC, 0, MSG_SHUTDOWN, SIZE);
    }

    public boolean isActionList() {
        return magic == KUC_MAGIC && transport == TRANSPORT_HSM && msgType == HMT_ACTION_LIST;
    }

    public boolean isShutdown() {
        return magic == KUC_MAGIC && transport == TRANSPORT_GENERIC && msgType == MSG_SHUTDOWN;
    }

    private static void checkRange(String field, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException("kuc_hdr " + field + " " + value + " outside 0.." + max);
        }
    }
}
