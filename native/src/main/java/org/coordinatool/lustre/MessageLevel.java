package org.coordinatool.lustre;

/** {@code enum llapi_message_level}: how much liblustreapi prints on its own. */
public enum MessageLevel {
    OFF(0),
    FATAL(1),
    ERROR(2),
    WARN(3),
    NORMAL(4),
    INFO(5),
    DEBUG(6),
    MAX(7);

    private final int value;

    MessageLevel(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }
}
