package org.coordinatool.coordinator.queue;

/**
 * The kinds of requests the coordinator tracks. The first three are counted per type (running,
 * pending, done) and declared in scheduling priority order; cancels are short-lived orders
 * addressed to the agent running the cancelled request.
 */
public enum ActionType {
    RESTORE(21, "restore"),
    REMOVE(22, "remove"),
    ARCHIVE(20, "archive"),
    CANCEL(23, "cancel");

    /** Number of counted types: RESTORE, REMOVE and ARCHIVE occupy ordinals 0..2. */
    public static final int COUNTED = 3;

    /** The counted types in the order a scheduling pass serves them. */
    public static final ActionType[] PRIORITY = {RESTORE, REMOVE, ARCHIVE};

    private final int code;
    private final String wireName;

    ActionType(int code, String wireName) {
        this.code = code;
        this.wireName = wireName;
    }

    /** The hai_action value. */
    public int code() {
        return code;
    }

    /** Suffix of the per-type counters on the wire (running_restore, ...). */
    public String wireName() {
        return wireName;
    }

    /** The type of a queueable request (archive, restore, remove), null for any other code. */
    public static ActionType ofRequestCode(int code) {
        return switch (code) {
            case 20 -> ARCHIVE;
            case 21 -> RESTORE;
            case 22 -> REMOVE;
            default -> null;
        };
    }
}
