package org.coordinatool.hsm;

import java.util.Optional;

/**
 * {@code enum hsm_copytool_action}: what a copytool is asked to do in {@code hai_action}.
 * Codes outside this enum can arrive from Lustre; {@link HsmActionItem} therefore keeps the raw
 * code and callers decide what an unknown action means (lhsmtool reports it back as an error).
 */
public enum HsmAction {
    NONE(10, "NOOP"),
    ARCHIVE(20, "ARCHIVE"),
    RESTORE(21, "RESTORE"),
    REMOVE(22, "REMOVE"),
    CANCEL(23, "CANCEL");

    /** What {@code hsm_copytool_action2name} prints for a code outside the enum. */
    public static final String UNKNOWN_NAME = "UNKNOWN";

    private final int code;
    private final String lustreName;

    HsmAction(int code, String lustreName) {
        this.code = code;
        this.lustreName = lustreName;
    }

    public int code() {
        return code;
    }

    /** The name Lustre prints ({@code hsm_copytool_action2name}); NONE prints as NOOP. */
    public String lustreName() {
        return lustreName;
    }

    public static Optional<HsmAction> fromCode(int code) {
        return switch (code) {
            case 10 -> Optional.of(NONE);
            case 20 -> Optional.of(ARCHIVE);
            case 21 -> Optional.of(RESTORE);
            case 22 -> Optional.of(REMOVE);
            case 23 -> Optional.of(CANCEL);
            default -> Optional.empty();
        };
    }

    /** Lustre's name for any code, {@value #UNKNOWN_NAME} for codes outside the enum. */
    public static String nameOf(int code) {
        return fromCode(code).map(HsmAction::lustreName).orElse(UNKNOWN_NAME);
    }
}
