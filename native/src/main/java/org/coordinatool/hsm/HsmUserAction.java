package org.coordinatool.hsm;

/** {@code enum hsm_user_action}: what a user asks for in {@code hr_action} (not the HSMA_* codes). */
public enum HsmUserAction {
    NONE(1),
    ARCHIVE(10),
    RESTORE(11),
    RELEASE(12),
    REMOVE(13),
    CANCEL(14);

    private final int code;

    HsmUserAction(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
